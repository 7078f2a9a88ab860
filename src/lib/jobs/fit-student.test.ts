/**
 * @file Fitting a student on a task's samples: a task's validation split, when it has enough
 * texts, calibrates the student instead of what its training held out (decision 016).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { MIN_VALIDATION_TEXTS } from '../domain/student';
import { openDatabase } from '../storage/db';
import { addSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { calibrateOnValidation, fitStudent, trainingSamples, validationSamples } from './fit-student';
import { trainClassifier } from './training-job';

describe('calibration on the validation split', () => {
  const { rows } = noisyLabelledTexts(30, 0.1, 8);
  const labels = ['sports', 'politics', 'health'];

  it("a task's validation split calibrates the student when it has enough texts", async () => {
    const db = await openDatabase({}, 'calibration-validation');
    const task = await createTask(db, NEWS_DRAFT);
    const sample = (split: 'train' | 'validation') => (r: { text: string; label: string }) => ({
      ...r,
      taskId: task.id,
      language: 'sw',
      split,
      source: 'human' as const,
    });
    await addSamples(db, rows.map(sample('train')));
    const validation = noisyLabelledTexts(MIN_VALIDATION_TEXTS / 3, 0, 9).rows.map((r) => ({
      ...r,
      text: `${r.text} v`,
    }));
    await addSamples(db, validation.slice(0, MIN_VALIDATION_TEXTS - 1).map(sample('validation')));
    const config = {
      student: 'ngram' as const,
      sources: ['human' as const],
      languages: [],
      encoder: null,
      seed: 1,
    };
    // One text short: what training held out stays.
    const { model } = await fitStudent(db, await trainingSamples(db, task.id, config), labels, config, null);
    const held = await validationSamples(db, task.id, labels, config);
    expect(await calibrateOnValidation(db, model, held, null)).toBe(false);
    expect(model.calibration?.fittedOn).toBe('leave-one-out');
    await addSamples(db, validation.slice(MIN_VALIDATION_TEXTS - 1).map(sample('validation')));
    const { record } = await trainClassifier(db, task.id, config, null);
    expect(record.file.calibration).toMatchObject({ fittedOn: 'validation', texts: MIN_VALIDATION_TEXTS });
  });
});
