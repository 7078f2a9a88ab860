/**
 * @file One solver thread of the CLI's n-gram student (`scripts/ngram-threads.ts`): it reads the
 * training matrix from shared memory and solves the labels it is given one at a time with the
 * app's own solver, each as a one-label problem (so a thread keeps one label's dual variables,
 * not every label's), reporting each pass.
 */
import { parentPort } from 'node:worker_threads';
import { solveLabels, type NgramSolverSetup } from '../src/lib/ml/ngram-student';
import type { TfidfBlock } from '../src/lib/ml/tfidf';
import type { EpochReport } from '../src/lib/domain/student';

/** What the main thread sends: the matrix once, then one label at a time. */
export type ToSolver =
  | { kind: 'start'; blocks: readonly TfidfBlock[]; setup: NgramSolverSetup }
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

let job: { blocks: readonly TfidfBlock[]; setup: NgramSolverSetup; y: Uint16Array } | null = null;
const port = parentPort;
if (!port) throw new Error('ngram-threads-worker runs as a worker thread');

port.on('message', (m: ToSolver) => {
  if (m.kind === 'start') {
    job = { blocks: m.blocks, setup: m.setup, y: new Uint16Array(m.setup.rows) };
    return;
  }
  if (!job) throw new Error('a label to solve before the matrix');
  const { blocks, setup, y } = job;
  const c = m.label;
  const n = setup.rows;
  // Label c as the only label (class 0) of a one-label problem: the same path as among all.
  for (let i = 0; i < n; i++) y[i] = setup.y[i] === c ? 0 : 1;
  const one: NgramSolverSetup = {
    ...setup,
    labels: 1,
    y,
    scaleSquared: [m.scaleSquared],
    diagPos: Float64Array.of(setup.diagPos[c] as number),
    diagNeg: Float64Array.of(setup.diagNeg[c] as number),
  };
  const state = {
    w: [new Float64Array(setup.features)],
    bias: new Float64Array(1),
    alpha: new Float32Array(n),
    squared: new Float32Array(n),
  };
  const steps = solveLabels({ blockCount: blocks.length, block: (b) => blocks[b] as TfidfBlock }, one, [0], state, {
    onEpoch: (r) => port.postMessage({ kind: 'pass', label: c, pass: r.epoch } satisfies FromSolver),
  });
  let r = steps.next();
  while (!r.done) r = steps.next();
  const w = state.w[0] as Float64Array;
  const solved: FromSolver = {
    kind: 'solved',
    label: c,
    w,
    bias: state.bias[0] as number,
    alpha: state.alpha,
    squared: state.squared,
    last: r.value,
  };
  port.postMessage(solved, [
    w.buffer as ArrayBuffer,
    state.alpha.buffer as ArrayBuffer,
    state.squared.buffer as ArrayBuffer,
  ]);
});
