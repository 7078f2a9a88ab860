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

/**
 * A student that takes Swahili sports news about politicians for politics. The hard cases go to
 * the validation split, or to the training data (cross-validation finds them there); `test`
 * adds a test split, which a round must never read.
 */
async function confusedStudent(
  hardCases: 'validation' | 'train',
  test: readonly { text: string; label: string }[] = [],
) {
  const db = await openDatabase({}, `targeted-round-${n++}`);
  const task = await createTask(db, NEWS_DRAFT);
  const rows =
    (split: 'train' | 'validation' | 'test', source: 'human' | 'synthetic') =>
    (r: { text: string; label: string }) => ({
      ...r,
      taskId: task.id,
      language: 'sw',
      split,
      source,
    });
  await addSamples(db, CONTRAST_TRAIN.map(rows('train', 'synthetic')));
  await addSamples(db, CONTRAST_TEST.map(rows(hardCases, 'human')));
  if (test.length > 0) await addSamples(db, test.map(rows('test', 'human')));
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

/** Test texts whose labels, were they read, would point to other cells than the real confusion. */
const ROTATE: Record<string, string> = { sports: 'health', politics: 'sports', health: 'politics' };
const misleadingTest = () =>
  CONTRAST_TEST.map((r, i) => ({ text: `${r.text} (${i})`, label: ROTATE[r.label] ?? r.label }));

describe('confusion-driven generation', () => {
  it('finds the confused cell, writes hard cases for it alone, and the student gets better there', async () => {
    // A test split that says the opposite is there too, and changes nothing.
    const { db, task, record } = await confusedStudent('validation', misleadingTest());
    const found = await findConfusions(db, record.id, deps);
    expect(found.basis).toBe('validation');
    expect(found.items).toBe(CONTRAST_TEST.length);
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
    expect(round.basis).toBe('validation');
    expect(round.added).toBe(10);
    expect(round.cells.map((c) => `${c.label}/${c.language}`)).toEqual(['sports/sw', 'politics/sw']);
    const sports = round.cells[0] as (typeof round.cells)[number];
    expect(sports.after).toBeGreaterThan(sports.before);
    expect(round.macroAfter).toBeGreaterThan(round.macroBefore);
    expect(round.afterId).not.toBe(record.id);
  });

  it('cross-validates on the training data when there is no validation split, before and after', async () => {
    const { db, task, record } = await confusedStudent('train');
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

  it('never reads the test split: with one, the cells found are those found without it', async () => {
    const without = await confusedStudent('train');
    const withTest = await confusedStudent('train', misleadingTest());
    const a = await findConfusions(without.db, without.record.id, deps);
    const b = await findConfusions(withTest.db, withTest.record.id, deps);
    expect(b.basis).toBe('cv');
    expect(b.items).toBe(a.items);
    expect(b.targets).toEqual(a.targets);
  });
});
