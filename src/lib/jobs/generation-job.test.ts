import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newsRecording } from '../../../tests/fixtures/recording';
import { RecordedGenerator } from '../backends/recorded-generator';
import type { GenerationCheckpoint } from './generation-job';
import { createGenerationJob, DEFAULT_GENERATION, runGenerationJob, type GenerationProgress } from './generation-job';
import { openDatabase } from '../storage/db';
import { samplesOfJob } from '../storage/jobs-store';
import { createTask } from '../storage/tasks-repo';

let n = 0;
const draft = {
  name: 'News topics',
  description: 'Topic of a news sentence',
  languages: [
    { code: 'sw', name: 'Swahili' },
    { code: 'ha', name: 'Hausa' },
  ],
  labels: ['sports', 'politics', 'health'].map((name) => ({ name, description: '' })),
};
const config = { ...DEFAULT_GENERATION, perCell: 3, generator: { kind: 'recorded' as const, url: 'x' } };

/** A recorded generator positioned after the answers a job's earlier runs used. */
function generatorFor(cp?: GenerationCheckpoint) {
  const gen = new RecordedGenerator(newsRecording());
  for (const [key, calls] of Object.entries(cp?.callsByCell ?? {})) {
    const [label, code] = key.split('\u0000');
    gen.skip(label as string, code === 'sw' ? 'Swahili (macrolanguage)' : 'Hausa', calls);
  }
  return gen;
}

describe('generation job', () => {
  it('fills every cell exactly, keeping rejects with their reasons', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, draft);
    const job = await createGenerationJob(db, task.id, config);
    let last: GenerationProgress | null = null;
    const end = await runGenerationJob(db, job.id, generatorFor(), { onProgress: (p) => (last = p) });
    expect(end.status).toBe('done');
    const samples = await samplesOfJob(db, task.id, job.id);
    const accepted = samples.filter((s) => s.deletedAt === null);
    expect(accepted).toHaveLength(18);
    for (const cell of (last as unknown as GenerationProgress).cells) expect(cell.accepted).toBe(3);
    expect(new Set(accepted.map((s) => s.textHash)).size).toBe(18);
    const reasons = samples.filter((s) => s.deletedAt !== null).map((s) => s.meta?.rejected?.split(':')[0]);
    expect(new Set(reasons)).toEqual(new Set(['duplicate', 'too-short', 'label-leak']));
    expect(accepted[0]?.meta).toMatchObject({ generator: 'recorded:news-demo', template: '1', temperature: '0.4' });
    expect(end.progress).toEqual({ done: 18, total: 18 });
  });

  it('pauses on abort and resumes to exactly the quota, with nothing lost or repeated', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, draft);
    const job = await createGenerationJob(db, task.id, config);
    const controller = new AbortController();
    let steps = 0;
    const paused = await runGenerationJob(db, job.id, generatorFor(), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.streaming === '' && ++steps === 5) controller.abort();
      },
    });
    expect(paused.status).toBe('paused');
    const before = (await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(18);
    const resumed = await runGenerationJob(db, job.id, generatorFor(paused.checkpoint as GenerationCheckpoint));
    expect(resumed.status).toBe('done');
    // No step was stored twice: each text has at most one verdict of each kind.
    const verdicts = (await samplesOfJob(db, task.id, job.id)).map(
      (s) => `${s.label}|${s.language}|${s.text}|${s.meta?.rejected?.split(':')[0] ?? 'ok'}`,
    );
    expect(new Set(verdicts).size).toBe(verdicts.length);
    const after = (await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null);
    expect(after).toHaveLength(18);
    for (const s of before) expect(after).toContainEqual(s);
  });

  it('gives up a cell the generator cannot fill and says which', async () => {
    const db = await openDatabase({}, `gen-${n++}`);
    const task = await createTask(db, { ...draft, labels: [...draft.labels, { name: 'weather', description: '' }] });
    const job = await createGenerationJob(db, task.id, config);
    const end = await runGenerationJob(db, job.id, generatorFor());
    expect(end.status).toBe('failed');
    expect(end.error?.message).toContain('no usable text for weather in Swahili, weather in Hausa');
    expect((await samplesOfJob(db, task.id, job.id)).filter((s) => s.deletedAt === null)).toHaveLength(18);
  });
});
