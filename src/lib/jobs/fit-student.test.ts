/**
 * @file Fitting a student on a task's samples: a task's validation split, when it has enough
 * texts, calibrates the student instead of what its training held out (decision 016); solver
 * threads that stop part-way are reported, and the curve is the one thread's that trained.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { MIN_VALIDATION_TEXTS } from '../domain/student';
import { openDatabase } from '../storage/db';
import { addSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { provideSolvers, solverHandler, type FromSolver, type SolverPort } from '../ml/ngram-label-solver';
import { trainNgram } from '../ml/ngram-student';
import type { EpochReport } from '../domain/student';
import {
  calibrateOnValidation,
  fitStudent,
  trainingSamples,
  validationSamples,
  type TrainingEvent,
} from './fit-student';
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

/** A solver in this thread (each message handled on a later task); one that `stops` does after its second pass. */
function solverPort(stops: boolean): SolverPort {
  let onMessage: (m: FromSolver) => void = () => {};
  let onFailure: (reason: string) => void = () => {};
  let passes = 0;
  let stopped = false;
  const handle = solverHandler((m) => {
    if (stopped) return;
    if (stops && m.kind === 'pass' && ++passes > 2) {
      stopped = true;
      // Said later, as a worker's error event would be: the other solvers answer meanwhile.
      setTimeout(() => onFailure('a solver stopped'), 10);
      return;
    }
    onMessage(structuredClone(m));
  });
  return {
    post: (m) =>
      setTimeout(() => handle(m.kind === 'start' ? { ...m, setup: structuredClone(m.setup) } : structuredClone(m)), 0),
    listen: (message, failure) => {
      onMessage = message;
      onFailure = failure;
    },
  };
}

describe('solver threads that stop part-way', () => {
  afterEach(() => provideSolvers(null));

  it('are reported, and the curve restarts with the thread that trains instead', async () => {
    const { rows } = noisyLabelledTexts(40, 0.1, 5);
    const labels = ['sports', 'politics', 'health'];
    const db = await openDatabase({}, 'solvers-restarted');
    const task = await createTask(db, NEWS_DRAFT);
    await addSamples(
      db,
      rows.map((r) => ({ ...r, taskId: task.id, language: 'sw', split: 'train', source: 'human' as const })),
    );
    const config = { student: 'ngram' as const, sources: ['human' as const], languages: [], encoder: null, seed: 1 };
    const samples = await trainingSamples(db, task.id, config);
    const one: EpochReport[] = [];
    const single = trainNgram(
      samples.map((s) => s.text),
      samples.map((s) => s.label),
      labels,
      { seed: 1, onEpoch: (r) => one.push(r) },
    );
    // One solver per label; the first stops after two passes, when the others have reported theirs.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    provideSolvers(
      (count) => ({ ports: Array.from({ length: count }, (_, i) => solverPort(i === 0)), close: () => {} }),
      3,
      1,
    );
    const events: TrainingEvent[] = [];
    const fit = await fitStudent(db, samples, labels, config, null, (e) => events.push(e));
    warn.mockRestore();
    const restart = events.findIndex((e) => e.stage === 'restarted');
    expect(events[restart]).toEqual({ stage: 'restarted', reason: 'a solver stopped' });
    // The solvers had drawn passes of the curve before they stopped.
    expect(events.slice(0, restart).some((e) => e.stage === 'solving')).toBe(true);
    expect(events.slice(0, restart).some((e) => e.stage === 'epoch')).toBe(true);
    const after = events.slice(restart + 1).flatMap((e) => (e.stage === 'epoch' ? [e.report] : []));
    expect(fit.solvers).toBe(1);
    expect(fit.curve).toEqual(after);
    expect(after.map((r) => r.epoch)).toEqual(one.map((r) => r.epoch));
    expect(Array.from(fit.model.kind === 'ngram' ? fit.model.weights : [])).toEqual(Array.from(single.weights));
  });
});
