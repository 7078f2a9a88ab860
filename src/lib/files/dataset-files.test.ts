import 'fake-indexeddb/auto';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { NEWS_CONFIG, NEWS_DRAFT, recordedGeneratorFor } from '../../../tests/fixtures/news-generation';
import { createGenerationJob, runGenerationJob } from '../jobs/generation-job';
import { openDatabase } from '../storage/db';
import { samplesOfJob } from '../storage/jobs-store';
import { addSamples, listSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { huggingFaceFiles, samplesToCsv, samplesToJsonl } from './dataset-files';

/** A task filled by a real generation job (recorded answers), plus one human sample. */
async function generated() {
  const db = await openDatabase({}, `export-${Math.random()}`);
  const task = await createTask(db, NEWS_DRAFT);
  const job = await createGenerationJob(db, task.id, NEWS_CONFIG);
  await runGenerationJob(db, job.id, recordedGeneratorFor());
  await addSamples(db, [
    {
      taskId: task.id,
      text: 'Wagonjwa walitibiwa hospitalini jana.',
      label: 'health',
      language: 'sw',
      split: 'test',
      source: 'human',
    },
  ]);
  const samples = await listSamples(db, task.id);
  const rejected = (await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt !== null);
  return { task, job, samples, rejected };
}

describe('dataset export with provenance and a datasheet', () => {
  it('records how each synthetic sample was made, in JSONL, CSV and the Hugging Face folder', async () => {
    const { task, job, samples, rejected } = await generated();
    const synthetic = samples.filter((s) => s.source === 'synthetic');
    expect(synthetic).toHaveLength(18);
    const jsonl = samplesToJsonl(samples)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; job_id: string; provenance: Record<string, string> | null });
    for (const row of jsonl.filter((r) => r.source === 'synthetic')) {
      expect(row.job_id).toBe(job.id);
      expect(row.provenance).toMatchObject({
        generator: 'recorded:news-demo',
        template: '1',
        temperature: '0.4',
        filters: 'length+duplicate+near-duplicate+label-leak+language',
      });
      expect(Number(row.provenance?.seed)).toBeGreaterThan(0);
      expect(row.provenance).not.toHaveProperty('rejected');
    }
    expect(jsonl.find((r) => r.source === 'human')?.provenance).toBeNull();
    const csv = Papa.parse<Record<string, string>>(samplesToCsv(samples), { header: true, skipEmptyLines: true }).data;
    expect(csv.filter((r) => r.generator === 'recorded:news-demo')).toHaveLength(18);

    const files = huggingFaceFiles(task, samples, rejected);
    const train = (files['train.jsonl'] ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { provenance: object | null });
    expect(train).toHaveLength(18);
    expect(train.every((r) => r.provenance !== null)).toBe(true);
  });

  it('writes a datasheet: composition by language × label × source, generators, filter statistics, limits', async () => {
    const { task, samples, rejected } = await generated();
    expect(rejected.length).toBeGreaterThan(0);
    const card = huggingFaceFiles(task, samples, rejected)['README.md'] ?? '';
    expect(card).toContain('| language | label | human | synthetic |');
    expect(card).toContain('| sw | health | 1 | 3 |');
    expect(card).toContain('| ha | sports | 0 | 3 |');
    expect(card).toMatch(/\| recorded:news-demo \| 18 \| [^|]+ \| 1 \| 0\.4 \|/);
    expect(card).toContain('Kept synthetic texts passed: `length+duplicate+near-duplicate+label-leak+language`.');
    expect(card).toContain(`${rejected.length} generated text(s) were rejected`);
    const reasons = new Set(rejected.map((s) => s.meta?.rejected));
    for (const r of reasons) expect(card).toMatch(new RegExp(`\\| ${r} \\| \\d+ \\|`));
    expect(card).toMatch(/95% of the labelled samples are synthetic\./);
    expect(card).toContain('Cells with fewer than 10 samples: sw × sports (3)');
    expect(card).not.toContain('not labelled yet');
    // Unlabelled pool texts are counted apart, not as human samples.
    const first = samples[0] as (typeof samples)[number];
    const pool = Array.from({ length: 3 }, (_, i) => ({
      ...first,
      id: `pool-${i}`,
      text: `Habari ${i}`,
      label: '',
      split: 'pool' as const,
      source: 'human' as const,
    }));
    const withPool = huggingFaceFiles(task, [...samples, ...pool], rejected)['README.md'] ?? '';
    expect(withPool).toContain('- not labelled yet (real texts in the `pool` split, their label empty): 3');
    expect(withPool).toMatch(/95% of the labelled samples are synthetic\./);
    expect(withPool).toContain('| pool | 3 |');
  });
});
