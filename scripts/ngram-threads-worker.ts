/**
 * @file One solver thread of the CLI's n-gram student (`scripts/ngram-threads.ts`): it reads the
 * training matrix from shared memory and the spill file, and solves the labels it is given one
 * at a time with the app's own solver, reporting each pass.
 */
import { parentPort } from 'node:worker_threads';
import { solveLabels, solverState, type NgramSolverSetup, type NgramSolverState } from '../src/lib/ml/ngram-student';
import type { BlockSlot, BlockSource } from '../src/lib/ml/tfidf';
import type { EpochReport } from '../src/lib/domain/student';
import { SpillReader, type SharedSpill } from './cli-io';

/** What the main thread sends: the matrix once, then one label at a time. */
export type ToSolver =
  | { kind: 'start'; slots: readonly BlockSlot[]; spill: SharedSpill | null; setup: NgramSolverSetup }
  | { kind: 'solve'; label: number; scaleSquared: Float64Array };

/** What a solver thread answers: a pass done, or a label solved with its part of the state. */
export type FromSolver =
  | { kind: 'pass'; label: number; pass: number }
  | {
      kind: 'solved';
      label: number;
      w: Float64Array;
      bias: number;
      alpha: Float32Array;
      squared: Float32Array;
      last: EpochReport;
    };

let job: { source: BlockSource; setup: NgramSolverSetup; state: NgramSolverState } | null = null;
const port = parentPort;
if (!port) throw new Error('ngram-threads-worker runs as a worker thread');

port.on('message', (m: ToSolver) => {
  if (m.kind === 'start') {
    const reader = m.spill ? new SpillReader(m.spill) : null;
    const slots = m.slots;
    const source: BlockSource = {
      blockCount: slots.length,
      block(b) {
        const slot = slots[b];
        if (!slot) throw new Error(`no block ${b}`);
        if ('block' in slot) return slot.block;
        if (!reader) throw new Error('no spill file');
        return reader.take(slot.spilled);
      },
    };
    job = { source, setup: m.setup, state: solverState(m.setup, []) };
    return;
  }
  if (!job) throw new Error('a label to solve before the matrix');
  const { source, setup, state } = job;
  const c = m.label;
  setup.scaleSquared[c] = m.scaleSquared;
  state.w[c] = new Float64Array(setup.features);
  const steps = solveLabels(source, setup, [c], state, {
    onEpoch: (r) => port.postMessage({ kind: 'pass', label: c, pass: r.epoch } satisfies FromSolver),
  });
  let r = steps.next();
  while (!r.done) r = steps.next();
  const n = setup.rows;
  const w = state.w[c] as Float64Array;
  const solved: FromSolver = {
    kind: 'solved',
    label: c,
    w,
    bias: state.bias[c] as number,
    alpha: state.alpha.slice(c * n, (c + 1) * n),
    squared: state.squared.slice(c * n, (c + 1) * n),
    last: r.value,
  };
  port.postMessage(solved, [
    w.buffer as ArrayBuffer,
    solved.alpha.buffer as ArrayBuffer,
    solved.squared.buffer as ArrayBuffer,
  ]);
  setup.scaleSquared[c] = new Float64Array(0);
  state.w[c] = new Float64Array(0);
});
