/**
 * @file The n-gram student's labels solved on several threads (decision 025): the CLI's worker
 * threads and the app's Web Workers run the same code. A solver reads the training matrix from
 * shared memory and solves the labels it is given one at a time, each as a one-label problem
 * (so it keeps one label's dual variables, not every label's); {@link solveOnPorts} hands out
 * the labels and puts their parts of the solver state together. The student is the one a single
 * thread makes, bit for bit (`solveLabels` draws its order from the seed and the pass only).
 */
import { AppError } from '../domain/errors';
import type { EpochReport } from '../domain/student';
import { message } from '../i18n/messages';
import {
  featureStoreOf,
  finishNgram,
  ngramSteps,
  prepareNgram,
  solveLabels,
  solverState,
  type NgramSolverSetup,
  type NgramSolverState,
  type NgramStudentModel,
  type NgramTrainOptions,
} from './ngram-student';
import type { TfidfBlock } from './tfidf';
import { runYielding } from './training';

/** What a solver is sent: the matrix once, then one label at a time. */
export type ToSolver =
  | { kind: 'start'; blocks: readonly TfidfBlock[]; setup: NgramSolverSetup }
  | { kind: 'solve'; label: number; scaleSquared: Float64Array };

/** A label solved: its part of the solver state, and its last pass's report. */
export interface SolvedLabel {
  kind: 'solved';
  label: number;
  w: Float64Array;
  bias: number;
  alpha: Float32Array;
  squared: Float32Array;
  last: EpochReport;
}

/** What a solver answers: a pass done (with that pass's summed loss), or a label solved. */
export type FromSolver = { kind: 'pass'; label: number; pass: number; loss: number } | SolvedLabel;

/**
 * Solves label `label` of a prepared student as a one-label problem: the same path as among all.
 * @param blocks the training rows
 * @param setup what the labels' solvers share (`scaleSquared` may be empty)
 * @param label the label
 * @param scaleSquared that label's naive-Bayes ratios, squared
 * @param onPass after each pass but the last, with that pass's summed squared-hinge loss
 */
export function solveOneLabel(
  blocks: readonly TfidfBlock[],
  setup: NgramSolverSetup,
  label: number,
  scaleSquared: Float64Array,
  onPass: (pass: number, loss: number) => void = () => {},
): SolvedLabel {
  const n = setup.rows;
  const y = new Uint16Array(n);
  // Label `label` as the only label (class 0).
  for (let i = 0; i < n; i++) y[i] = setup.y[i] === label ? 0 : 1;
  const one: NgramSolverSetup = {
    ...setup,
    labels: 1,
    y,
    scaleSquared: [scaleSquared],
    diagPos: Float64Array.of(setup.diagPos[label] as number),
    diagNeg: Float64Array.of(setup.diagNeg[label] as number),
  };
  const state = solverState(one, [0]);
  const steps = solveLabels({ blockCount: blocks.length, block: (b) => blocks[b] as TfidfBlock }, one, [0], state, {
    // One label: the pass's mean loss is over n rows.
    onEpoch: (r) => onPass(r.epoch, r.trainLoss * n),
  });
  let r = steps.next();
  while (!r.done) r = steps.next();
  return {
    kind: 'solved',
    label,
    w: state.w[0] as Float64Array,
    bias: state.bias[0] as number,
    alpha: state.alpha,
    squared: state.squared,
    last: r.value,
  };
}

/** Transferables of a solved label (its arrays are the solver's own). */
export const solvedTransfer = (s: SolvedLabel): ArrayBuffer[] => [
  s.w.buffer as ArrayBuffer,
  s.alpha.buffer as ArrayBuffer,
  s.squared.buffer as ArrayBuffer,
];

/**
 * A solver's side of the messages: the matrix once, then each label solved and sent back with
 * its pass reports (for a worker's message handler).
 * @param post sends an answer, with the buffers to transfer
 */
export function solverHandler(post: (m: FromSolver, transfer?: ArrayBuffer[]) => void): (m: ToSolver) => void {
  let job: { blocks: readonly TfidfBlock[]; setup: NgramSolverSetup } | null = null;
  return (m) => {
    if (m.kind === 'start') {
      job = { blocks: m.blocks, setup: m.setup };
      return;
    }
    if (!job) throw new Error('a label to solve before the matrix');
    const solved = solveOneLabel(job.blocks, job.setup, m.label, m.scaleSquared, (pass, loss) =>
      post({ kind: 'pass', label: m.label, pass, loss }),
    );
    post(solved, solvedTransfer(solved));
  };
}

/** One solver as the scheduler sees it: a Node worker thread or a Web Worker. */
export interface SolverPort {
  post(message: ToSolver, transfer?: ArrayBuffer[]): void;
  /** Calls `onMessage` for each answer, `onFailure` once if the solver fails or stops. */
  listen(onMessage: (m: FromSolver) => void, onFailure: (reason: string) => void): void;
}

/** How far the solvers are: labels solved, and the pass each label being solved is on. */
export interface SolverProgress {
  solved: number;
  labels: number;
  passes: ReadonlyMap<number, number>;
}

/** A solver failed or stopped before every label was solved. */
export class SolverFailure extends Error {}

/**
 * Solves every label of a prepared student on the given solvers: each takes the next label when
 * it has solved one.
 * @param ports the solvers (each gets the matrix once)
 * @param blocks the training rows, in shared memory (`inMemoryBlocks` of a matrix made with `shared`)
 * @param setup what the labels' solvers share
 * @param onProgress after each pass of any label
 * @param onEpoch the report of each pass over every label still being solved, as one thread
 *   would make it (sent once every label has passed it or stopped before it)
 * @param signal stops waiting (the caller ends the solvers)
 * @returns every label's part of the solver state, and the report of the last pass to end
 */
export function solveOnPorts(
  ports: readonly SolverPort[],
  blocks: readonly TfidfBlock[],
  setup: NgramSolverSetup,
  onProgress: (p: SolverProgress) => void = () => {},
  onEpoch: (r: EpochReport) => void = () => {},
  signal?: AbortSignal,
): Promise<{ state: NgramSolverState; last: EpochReport }> {
  const k = setup.labels;
  const n = setup.rows;
  const state = solverState(setup, []);
  const passes = new Map<number, number>();
  const queue = Array.from({ length: k }, (_, c) => c);
  // Per label: the passes it reported, and its last pass once solved.
  const reported = Array.from({ length: k }, () => [] as number[]);
  const lastPass = new Int32Array(k).fill(-1);
  const lastLoss = new Float64Array(k);
  let sent = 0;
  let solved = 0;
  let last: EpochReport = { epoch: 0, trainLoss: 0, valLoss: null, valAccuracy: null };
  // The solvers get the setup without the labels' ratios: each gets a label's with the label.
  const shared: NgramSolverSetup = { ...setup, scaleSquared: setup.scaleSquared.map(() => new Float64Array(0)) };
  // Pass reports as one thread sends them: pass p once each label has reported it or ended
  // before it; a label's last pass is not reported (nor is the whole run's).
  const flush = () => {
    for (;;) {
      const pass = sent + 1;
      let loss = 0;
      let visited = 0;
      let anyLater = false;
      for (let c = 0; c < k; c++) {
        const end = lastPass[c] as number;
        if (end >= 0 && end < pass) continue;
        const l = (reported[c] as number[])[pass - 1];
        if (l === undefined) {
          // Not there yet, or this is the label's last pass (known once solved).
          if (end === pass) {
            loss += lastLoss[c] as number;
            visited++;
            continue;
          }
          return;
        }
        loss += l;
        visited++;
        anyLater = true;
      }
      // Every label ended at or before this pass: one thread would have stopped here.
      if (!anyLater) return;
      sent = pass;
      onEpoch({ epoch: pass, trainLoss: loss / Math.max(n * visited, 1), valLoss: null, valAccuracy: null });
    }
  };
  return new Promise((resolve, reject) => {
    let failed = false;
    const cancelled = () => {
      if (failed || solved === k) return;
      failed = true;
      reject(new AppError('aborted', message('err.trainingCancelled')));
    };
    if (signal?.aborted) return cancelled();
    signal?.addEventListener('abort', cancelled, { once: true });
    const done = () => signal?.removeEventListener('abort', cancelled);
    const next = (port: SolverPort) => {
      const c = queue.shift();
      if (c === undefined) return;
      passes.set(c, 0);
      const ratios = (setup.scaleSquared[c] as Float64Array).slice();
      port.post({ kind: 'solve', label: c, scaleSquared: ratios }, [ratios.buffer as ArrayBuffer]);
    };
    for (const port of ports) {
      port.listen(
        (m) => {
          if (failed) return;
          if (m.kind === 'pass') {
            passes.set(m.label, m.pass);
            (reported[m.label] as number[])[m.pass - 1] = m.loss;
          } else {
            state.w[m.label] = m.w;
            state.bias[m.label] = m.bias;
            state.alpha.set(m.alpha, m.label * n);
            state.squared.set(m.squared, m.label * n);
            passes.delete(m.label);
            lastPass[m.label] = m.last.epoch;
            lastLoss[m.label] = m.last.trainLoss * n;
            if (m.last.epoch >= last.epoch) last = m.last;
            solved++;
            if (solved < k) next(port);
          }
          flush();
          onProgress({ solved, labels: k, passes });
          if (solved === k) {
            // The whole run's last pass, over the labels still being solved then.
            let loss = 0;
            let visited = 0;
            for (let c = 0; c < k; c++)
              if (lastPass[c] === last.epoch) {
                loss += lastLoss[c] as number;
                visited++;
              }
            done();
            resolve({
              state,
              last: { ...last, trainLoss: loss / Math.max(n * visited, 1) },
            });
          }
        },
        (reason) => {
          if (failed || solved === k) return;
          failed = true;
          done();
          reject(new SolverFailure(reason));
        },
      );
      port.post({ kind: 'start', blocks, setup: shared });
      next(port);
    }
  });
}

/**
 * Trains the n-gram student with its labels solved on the given solvers: the student
 * `trainNgram` makes, bit for bit.
 * @param ports the solvers (the caller starts and ends them)
 * @param options training options; `onEpoch` gets each pass over every label as one thread
 *   reports it, `signal` stops
 */
export async function trainNgramOnPorts(
  texts: readonly string[],
  labelsOfTexts: readonly string[],
  labels: readonly string[],
  ports: readonly SolverPort[],
  options: Partial<NgramTrainOptions> = {},
  onProgress?: (p: SolverProgress) => void,
): Promise<NgramStudentModel> {
  const store = featureStoreOf(texts, labelsOfTexts, labels, options);
  const { matrix, setup } = prepareNgram(store, labels.length, { ...options, shared: true });
  const blocks = matrix.inMemoryBlocks();
  if (!blocks) throw new Error('the training matrix is not all in memory');
  const { state, last } = await solveOnPorts(
    ports,
    blocks,
    setup,
    onProgress,
    (r) => options.onEpoch?.(r),
    options.signal,
  );
  return finishNgram(matrix, setup, state, labels, last, options);
}

/** Starts `count` solvers; `close` ends them. */
export type SolverStarter = (count: number) => { ports: SolverPort[]; close: () => void };

/**
 * Tasks from this many training rows have their labels solved on several solvers. Measured in
 * Chromium on a 2-core machine (BENCHMARKS.md section 14): below it two solver workers were no
 * faster than one thread, or slower (10,000 rows: 8.1 s against 6.7 s; 30,000: about the same),
 * as the solvers' passes over the matrix contend for memory and each worker's code starts cold.
 */
export const PARALLEL_MIN_ROWS = 50_000;
/** The most solvers (each holds one label's weights and dual variables). */
export const MAX_SOLVERS = 4;

let provided: { start: SolverStarter; cores: number; minRows: number } | null = null;

/**
 * How this thread starts solvers (the training worker: Web Workers, when it may share memory
 * with them), and how many cores the device has; null: every label on this thread.
 * @param minRows the fewest training rows solved on solvers (tests use fewer)
 */
export function provideSolvers(start: SolverStarter | null, cores = 1, minRows = PARALLEL_MIN_ROWS): void {
  provided = start ? { start, cores, minRows } : null;
}

/** How many solvers a task of `rows` training rows and `labels` labels gets (1: this thread alone). */
export function solverCount(rows: number, labels: number): number {
  if (!provided || rows < provided.minRows) return 1;
  return Math.max(1, Math.min(provided.cores, labels, MAX_SOLVERS));
}

/** Labels solved so far, and on how many solvers. */
export type SolvingProgress = SolverProgress & { solvers: number };

/**
 * Trains the n-gram student, on several solvers when the task is large and solvers were
 * provided ({@link provideSolvers}), else on this thread: the same student either way. Solvers
 * that fail to start or stop leave the work to this thread.
 * @param onFallback when the solvers could not start or failed, with why: this thread solves every
 *   label, from the first pass
 * @returns the student, and how many solvers solved its labels (1: this thread)
 */
export async function trainNgramAnywhere(
  texts: readonly string[],
  labelsOfTexts: readonly string[],
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
  onSolving?: (p: SolvingProgress) => void,
  onFallback?: (reason: string) => void,
): Promise<{ model: NgramStudentModel; solvers: number }> {
  const count = solverCount(texts.length, labels.length);
  let solvers: ReturnType<SolverStarter> | null = null;
  try {
    solvers = count > 1 && provided ? provided.start(count) : null;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    console.warn(`The n-gram student's labels are solved on this thread: ${reason}`);
    onFallback?.(reason);
  }
  if (solvers) {
    try {
      const model = await trainNgramOnPorts(texts, labelsOfTexts, labels, solvers.ports, options, (p) =>
        onSolving?.({ ...p, solvers: count }),
      );
      return { model, solvers: count };
    } catch (e) {
      if (!(e instanceof SolverFailure)) throw e;
      console.warn(`The n-gram student's labels are solved on this thread: ${e.message}`);
      onFallback?.(e.message);
    } finally {
      solvers.close();
    }
  }
  return { model: await runYielding(ngramSteps(texts, labelsOfTexts, labels, options)), solvers: 1 };
}
