/**
 * @file The n-gram student's labels solved on several solvers (`ml/ngram-label-solver.ts`):
 * the student is the one a single thread makes, bit for bit, its pass reports are the ones a
 * single thread sends, and a solver that fails or a cancel ends the training with an error;
 * where solvers were provided, large tasks use them and anything going wrong with them leaves
 * the work to this thread. The solvers here run in this thread, answering on later tasks as a
 * worker would.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sib200 } from '../../../tests/fixtures/sib200';
import type { EpochReport } from '../domain/student';
import {
  provideSolvers,
  solverHandler,
  trainNgramAnywhere,
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

describe('training where solvers were provided', () => {
  afterEach(() => provideSolvers(null));

  it('solves on them from the row count given, else on this thread, and falls back when they fail', async () => {
    const one = trainNgram(texts, given, labels, { seed: 3 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let closed = 0;
    const start = (failing: boolean) => (count: number) => ({
      ports: Array.from({ length: count }, (_, i) => localPort(failing && i === 0)),
      close: () => closed++,
    });
    // No solvers provided, or fewer rows than asked: this thread.
    expect((await trainNgramAnywhere(texts, given, labels, { seed: 3 })).solvers).toBe(1);
    provideSolvers(start(false), 8, texts.length + 1);
    expect((await trainNgramAnywhere(texts, given, labels, { seed: 3 })).solvers).toBe(1);
    // At most 4 solvers, whatever the cores: the same student.
    provideSolvers(start(false), 8, 100);
    const progress: number[] = [];
    const many = await trainNgramAnywhere(texts, given, labels, { seed: 3 }, (p) => progress.push(p.solvers));
    expect(many.solvers).toBe(4);
    expect(new Set(progress)).toEqual(new Set([4]));
    expect(Array.from(many.model.weights)).toEqual(Array.from(one.weights));
    expect(closed).toBe(1);
    // A solver that stops: this thread starts again, with the same student.
    const fellBack: string[] = [];
    provideSolvers(start(true), 2, 100);
    const fallback = await trainNgramAnywhere(texts, given, labels, { seed: 3 }, undefined, (r) => fellBack.push(r));
    expect(fallback.solvers).toBe(1);
    expect(fellBack).toEqual(['the solver stopped']);
    expect(closed).toBe(2);
    expect(Array.from(fallback.model.weights)).toEqual(Array.from(one.weights));
    // Solvers that cannot even start: this thread.
    provideSolvers(
      () => {
        throw new Error('workers are blocked');
      },
      2,
      100,
    );
    const blocked = await trainNgramAnywhere(texts, given, labels, { seed: 3 }, undefined, (r) => fellBack.push(r));
    expect(blocked.solvers).toBe(1);
    expect(fellBack).toEqual(['the solver stopped', 'workers are blocked']);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      "The n-gram student's labels are solved on this thread: the solver stopped",
      "The n-gram student's labels are solved on this thread: workers are blocked",
    ]);
    warn.mockRestore();
  });
});
