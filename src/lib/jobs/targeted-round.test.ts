import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CONTRAST_TEST, CONTRAST_TRAIN, contrastRecording } from '../../../tests/fixtures/contrast';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { RecordedGenerator } from '../backends/recorded-generator';
import { openDatabase } from '../storage/db';
import { addSamples, listSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { createGenerationJob, runGenerationJob } from './generation-job';
import { compareRound, findConfusions, type RoundDeps } from './targeted-round';
import { trainClassifier } from './training-job';
import { DEFAULT_GENERATION } from '../domain/generation';

let n = 0;
const deps: RoundDeps = { encoderFor: () => Promise.reject(new Error('the n-gram student needs no encoder')) };

async function confusedStudent(withTestSet: boolean) {
  const db = await openDatabase({}, `targeted-round-${n++}`);
  const task = await createTask(db, NEWS_DRAFT);
  const rows = (split: 'train' | 'test', source: 'human' | 'synthetic') => (r: { text: string; label: string }) => ({
    ...r,
    taskId: task.id,
    language: 'sw',
    split,
    source,
  });
  await addSamples(db, CONTRAST_TRAIN.map(rows('train', 'synthetic')));
  // Without a test set, the hard cases are among the training data (cross-validation finds them).
  await addSamples(db, CONTRAST_TEST.map(withTestSet ? rows('test', 'human') : rows('train', 'human')));
  const { record } = await trainClassifier(
    db,
    task.id,
    {
      student: 'ngram',
      sources: ['synthetic', 'human', 'edited'],
      languages: [],
      encoder: null,
      seed: 1,
    },
    null,
  );
  return { db, task, record };
}

describe('confusion-driven generation', () => {
  it('finds the confused cell, writes hard cases for it alone, and the student gets better there', async () => {
    const { db, task, record } = await confusedStudent(true);
    const found = await findConfusions(db, record.id, deps);
    expect(found.basis).toBe('test');
    expect(found.targets[0]).toMatchObject({ label: 'sports', language: 'sw', confusedWith: 'politics' });

    const target = found.targets[0] as (typeof found.targets)[number];
    const job = await createGenerationJob(db, task.id, {
      ...DEFAULT_GENERATION,
      perCell: 10,
      generator: { kind: 'recorded', url: 'contrast.json' },
      targets: [{ label: target.label, language: target.language, confusedWith: target.confusedWith }],
    });
    const end = await runGenerationJob(db, job.id, new RecordedGenerator(contrastRecording()));
    expect(end.status).toBe('done');
    const written = (await listSamples(db, task.id)).filter((s) => s.jobId === job.id);
    // Only the targeted cell is filled, and each sample says what it was contrasted with.
    expect(written).toHaveLength(10);
    for (const s of written) {
      expect(s).toMatchObject({ label: 'sports', language: 'sw', split: 'train', source: 'synthetic' });
      expect(s.meta).toMatchObject({ contrast: 'politics', strategy: 'demonstrations+diversity+contrast' });
    }

    const round = await compareRound(db, record.id, job.id, found.basis, deps);
    expect(round.added).toBe(10);
    expect(round.cells.map((c) => `${c.label}/${c.language}`)).toEqual(['sports/sw', 'politics/sw']);
    const sports = round.cells[0] as (typeof round.cells)[number];
    expect(sports.after).toBeGreaterThan(sports.before);
    expect(round.macroAfter).toBeGreaterThan(round.macroBefore);
    expect(round.afterId).not.toBe(record.id);
  });

  it('cross-validates on the training data when there is no test set, before and after', async () => {
    const { db, task, record } = await confusedStudent(false);
    const found = await findConfusions(db, record.id, deps);
    expect(found.basis).toBe('cv');
    expect(found.items).toBe(CONTRAST_TRAIN.length + CONTRAST_TEST.length);
    const target = found.targets[0];
    expect(target).toMatchObject({ label: 'sports', language: 'sw', confusedWith: 'politics' });
    const job = await createGenerationJob(db, task.id, {
      ...DEFAULT_GENERATION,
      perCell: 10,
      generator: { kind: 'recorded', url: 'contrast.json' },
      targets: [{ label: 'sports', language: 'sw', confusedWith: 'politics' }],
    });
    await runGenerationJob(db, job.id, new RecordedGenerator(contrastRecording()));
    // Scored on the same folds of the earlier training data; the new samples only ever train.
    const round = await compareRound(db, record.id, job.id, 'cv', deps);
    expect(round.basis).toBe('cv');
    expect(round.added).toBe(10);
    const sports = round.cells[0] as (typeof round.cells)[number];
    expect(sports.after).toBeGreaterThan(sports.before);
  });
});
