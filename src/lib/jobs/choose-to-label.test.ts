/**
 * @file The human in the loop on the database (issue 19, decision 018): the pool split, the
 * choice of texts to label, labelling and taking it back, and people's labels weighted against
 * synthetic ones with the weight chosen on the validation split.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { LABELLED_FROM_POOL, SKIPPED_FLAG, UNLABELLED, type NewSample } from '../domain/sample';
import { MIN_VALIDATION_TEXTS } from '../domain/student';
import { openDatabase } from '../storage/db';
import {
  addSamples,
  labelFromPool,
  listSamples,
  returnToPool,
  unskipPool,
  updateSample,
  withFlag,
} from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { proposeToLabel } from './choose-to-label';
import { fitWeighted, sampleWeightsFor, trainingSamples, validationSamples } from './fit-student';
import { trainClassifier } from './training-job';

const labels = ['sports', 'politics', 'health'];
const config = {
  student: 'ngram' as const,
  sources: ['synthetic' as const, 'edited' as const, 'human' as const],
  languages: [],
  encoder: null,
  seed: 1,
};

function rowsAs(taskId: string, split: NewSample['split'], source: NewSample['source']) {
  return (r: { text: string; label: string }): NewSample => ({
    text: r.text,
    label: split === 'pool' ? UNLABELLED : r.label,
    taskId,
    language: 'sw',
    split,
    source,
  });
}

describe('the pool and what to label next', () => {
  it('offers the pool in random order while there is nothing to learn from, then the texts the student is unsure about', async () => {
    const db = await openDatabase({}, 'pool-propose');
    const task = await createTask(db, NEWS_DRAFT);
    const pool = noisyLabelledTexts(20, 0, 3).rows;
    await addSamples(db, pool.map(rowsAs(task.id, 'pool', 'human')));

    const first = await proposeToLabel(db, task.id, 10);
    expect(first.basis).toBe('random');
    expect(first.ids).toHaveLength(10);
    expect(first.poolLeft).toBe(60);

    // Training texts (some mislabelled, as real ones are) for sports and politics only; the pool
    // also holds texts that mix both kinds of words. Those and the health texts are what the
    // student is unsure about.
    const training = noisyLabelledTexts(15, 0.2, 4).rows.filter((r) => r.label !== 'health');
    await addSamples(db, training.map(rowsAs(task.id, 'train', 'synthetic')));
    const sports = pool.filter((r) => r.label === 'sports');
    const politics = pool.filter((r) => r.label === 'politics');
    const mixed = sports.slice(0, 12).map((r, i) => ({
      text: `${r.text.split(' ').slice(0, 4).join(' ')} ${(politics[i] as { text: string }).text.split(' ').slice(0, 4).join(' ')} m${i}`,
      label: 'mixed',
    }));
    await addSamples(db, mixed.map(rowsAs(task.id, 'pool', 'human')));
    const events: string[] = [];
    const second = await proposeToLabel(db, task.id, 10, (e) => events.push(e.stage));
    expect(second.basis).toBe('student');
    expect(events).toContain('training');
    expect(events).toContain('scoring');
    expect(second.ids).toHaveLength(10);
    expect(new Set(second.ids).size).toBe(10);
    const byId = new Map((await listSamples(db, task.id, { split: 'pool' })).map((s) => [s.id, s]));
    const unsure = new Set([...mixed, ...pool.filter((r) => r.label === 'health')].map((r) => r.text));
    // 32 of the 72 pool texts are mixed or health; nearly all of the student's 8 are.
    expect(second.ids.slice(0, 8).filter((id) => unsure.has(byId.get(id)?.text ?? '')).length).toBeGreaterThanOrEqual(
      7,
    );
    // One in five drawn at random from the whole pool (the last two), the rest by the student.
    expect(second.reasons.map((r) => r.kind)).toEqual([...Array<string>(8).fill('unsure'), 'random', 'random']);
    for (const r of second.reasons)
      if (r.kind === 'unsure') {
        expect(r.between[0]).not.toBe(r.between[1]);
        expect(r.margin).toBeGreaterThanOrEqual(0);
        expect(r.margin).toBeLessThanOrEqual(1);
      }

    // Skipped and labelled texts are not proposed again.
    const [a, b] = second.ids as [string, string];
    await updateSample(db, a, withFlag(SKIPPED_FLAG, true));
    const labelled = await labelFromPool(db, b, 'health');
    expect(labelled).toMatchObject({ split: 'train', label: 'health', source: 'human' });
    expect(labelled.meta?.[LABELLED_FROM_POOL]).toBeDefined();
    const third = await proposeToLabel(db, task.id, 80);
    expect(third.ids).not.toContain(a);
    expect(third.ids).not.toContain(b);
    expect(third.poolLeft).toBe(70);
    expect(third.skipped).toBe(1);

    // Labelling is undone whole; skipped texts come back on request.
    const back = await returnToPool(db, b);
    expect(back).toMatchObject({ split: 'pool', label: UNLABELLED });
    expect(back.meta?.[LABELLED_FROM_POOL]).toBeUndefined();
    expect(await unskipPool(db, task.id)).toBe(1);
    expect((await proposeToLabel(db, task.id, 80)).poolLeft).toBe(72);
    await expect(
      labelFromPool(db, (await listSamples(db, task.id, { split: 'train' }))[0]?.id ?? '', 'sports'),
    ).rejects.toThrow(/no longer in the unlabelled pool/);
  });

  it('never trains, checks or calibrates on pool texts', async () => {
    const db = await openDatabase({}, 'pool-not-trained');
    const task = await createTask(db, NEWS_DRAFT);
    await addSamples(db, noisyLabelledTexts(10, 0, 5).rows.map(rowsAs(task.id, 'train', 'synthetic')));
    await addSamples(db, noisyLabelledTexts(10, 0, 6).rows.map(rowsAs(task.id, 'pool', 'human')));
    const training = await trainingSamples(db, task.id, config);
    expect(training).toHaveLength(30);
    expect(training.every((s) => s.split === 'train')).toBe(true);
    expect(await validationSamples(db, task.id, labels, config)).toHaveLength(0);
    const { record } = await trainClassifier(db, task.id, config, null);
    expect(record.summary?.samples).toBe(30);
  });
});

describe('people’s labels weighted against synthetic ones', () => {
  /** Synthetic samples that mostly (4 in 5) swap sports and politics; people's few labels are right. */
  async function mixedTask(name: string, validationTexts: number) {
    const db = await openDatabase({}, name);
    const task = await createTask(db, NEWS_DRAFT);
    const swap: Record<string, string> = { sports: 'politics', politics: 'sports', health: 'health' };
    const synthetic = noisyLabelledTexts(30, 0, 11).rows.map((r, i) => ({
      text: `${r.text} s`,
      label: i % 5 < 4 ? (swap[r.label] as string) : r.label,
    }));
    await addSamples(db, synthetic.map(rowsAs(task.id, 'train', 'synthetic')));
    await addSamples(
      db,
      noisyLabelledTexts(8, 0, 12).rows.map((r) => rowsAs(task.id, 'train', 'human')({ ...r, text: `${r.text} h` })),
    );
    if (validationTexts > 0)
      await addSamples(
        db,
        noisyLabelledTexts(Math.ceil(validationTexts / 3), 0, 13)
          .rows.slice(0, validationTexts)
          .map((r) => rowsAs(task.id, 'validation', 'human')({ ...r, text: `${r.text} v` })),
      );
    return { db, task };
  }

  it('gives each person’s label its weight in training, only when the samples are mixed', () => {
    const s = (source: 'human' | 'synthetic') => ({ source }) as Parameters<typeof sampleWeightsFor>[0][number];
    expect(Array.from(sampleWeightsFor([s('human'), s('synthetic'), s('human')], 5) ?? [])).toEqual([5, 1, 5]);
    expect(sampleWeightsFor([s('human'), s('human')], 5)).toBeUndefined();
    expect(sampleWeightsFor([s('synthetic')], 5)).toBeUndefined();
    expect(sampleWeightsFor([s('human'), s('synthetic')], 1)).toBeUndefined();
  });

  it('chooses the weight on the validation split: a large one when the synthetic labels mislead', async () => {
    const { db, task } = await mixedTask('weight-on-validation', MIN_VALIDATION_TEXTS + 6);
    const samples = await trainingSamples(db, task.id, config);
    const validation = await validationSamples(db, task.id, labels, config);
    const stages: string[] = [];
    const fit = await fitWeighted(db, samples, labels, config, null, validation, (e) => stages.push(e.stage));
    expect(fit.humanWeight?.chosenOn).toBe('validation');
    expect(fit.humanWeight?.weight).toBeGreaterThanOrEqual(5);
    expect(stages.filter((x) => x === 'weighing')).toHaveLength(5);
    // The kept fit's epochs are replayed once, after the tries.
    expect(stages.lastIndexOf('weighing')).toBeLessThan(stages.indexOf('epoch'));
    const { record } = await trainClassifier(db, task.id, config, null);
    expect(record.file.training.humanWeight).toEqual(fit.humanWeight);
  });

  it('uses the default weight without enough validation texts, and none when the samples are not mixed', async () => {
    const { db, task } = await mixedTask('weight-default', 0);
    const { record } = await trainClassifier(db, task.id, config, null);
    expect(record.file.training.humanWeight).toEqual({ weight: 5, chosenOn: 'default' });
    const humanOnly = await trainClassifier(db, task.id, { ...config, sources: ['human'] }, null);
    expect(humanOnly.record.file.training.humanWeight).toBeUndefined();
  });
});
