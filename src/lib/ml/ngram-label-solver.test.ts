/**
 * @file The n-gram student's labels solved on several solvers (`ml/ngram-label-solver.ts`):
 * the student is the one a single thread makes, bit for bit, its pass reports are the ones a
 * single thread sends, and a solver that fails or a cancel ends the training with an error.
 * The solvers here run in this thread, answering on later tasks as a worker would.
 */
import { describe, expect, it } from 'vitest';
import { sib200 } from '../../../tests/fixtures/sib200';
import type { EpochReport } from '../domain/student';
import {
  solverHandler,
  trainNgramOnPorts,
  type FromSolver,
  type SolverPort,
  type ToSolver,
} from './ngram-label-solver';
import { trainNgram } from './ngram-student';

/** A solver in this thread, running the workers' handler: each message handled on a later task, as across threads. */
function localPort(fails = false): SolverPort {
  let onMessage: (m: FromSolver) => void = () => {};
  let onFailure: (reason: string) => void = () => {};
  const handle = solverHandler((m, transfer) => {
    if (m.kind === 'solved') expect(transfer).toHaveLength(3);
    onMessage(structuredClone(m));
  });
  return {
    post: (m: ToSolver) => {
      setTimeout(() => {
        if (m.kind === 'solve' && fails) return onFailure('the solver stopped');
        // Structured cloning copies the setup; the blocks stay shared.
        handle(m.kind === 'start' ? { ...m, setup: structuredClone(m.setup) } : structuredClone(m));
      }, 0);
    },
    listen: (message, failure) => {
      onMessage = message;
      onFailure = failure;
    },
  };
}

const rows = [...sib200('swh_Latn', 'train'), ...sib200('hau_Latn', 'train')];
const texts = rows.map((r) => r.text);
const given = rows.map((r) => r.category);
const labels = [...new Set(given)].sort();

describe('the n-gram student solved on several solvers', () => {
  it('is the student one thread makes, bit for bit, with the same pass reports', async () => {
    const oneReports: EpochReport[] = [];
    const one = trainNgram(texts, given, labels, { seed: 3, onEpoch: (r) => oneReports.push(r) });
    const reports: EpochReport[] = [];
    const solved = new Set<number>();
    const many = await trainNgramOnPorts(
      texts,
      given,
      labels,
      [localPort(), localPort(), localPort()],
      { seed: 3, onEpoch: (r) => reports.push(r) },
      (p) => {
        expect(p.labels).toBe(labels.length);
        solved.add(p.solved);
      },
    );
    expect(Array.from(many.weights)).toEqual(Array.from(one.weights));
    expect(Array.from(many.bias)).toEqual(Array.from(one.bias));
    expect(many.temperature).toBe(one.temperature);
    expect(many.calibration).toEqual(one.calibration);
    expect(solved.has(labels.length)).toBe(true);
    // The same passes in the same order; losses summed in another order, so equal to rounding.
    expect(reports.map((r) => r.epoch)).toEqual(oneReports.map((r) => r.epoch));
    expect(reports.length).toBeGreaterThan(2);
    reports.forEach((r, i) => {
      const o = oneReports[i] as EpochReport;
      expect(r.trainLoss).toBeCloseTo(o.trainLoss, 9);
      expect(r.valLoss).toBe(o.valLoss);
      expect(r.valAccuracy).toBe(o.valAccuracy);
    });
  });

  it('fails when a solver stops, and stops when cancelled', async () => {
    await expect(trainNgramOnPorts(texts, given, labels, [localPort(), localPort(true)], { seed: 3 })).rejects.toThrow(
      'the solver stopped',
    );
    const controller = new AbortController();
    const run = trainNgramOnPorts(texts, given, labels, [localPort()], { seed: 3, signal: controller.signal }, (p) => {
      if (p.solved === 1) controller.abort();
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
  });
});
