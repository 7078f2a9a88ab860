/**
 * @file The CLI's n-gram student on every core: each label's binary problem is solved on one of
 * a few worker threads, which read the training matrix from shared memory and take the next
 * label when they finish one. A label's solution depends only on the seed, so the student is
 * the one trained on a single thread, bit for bit. The threads start before the file is read,
 * so their start-up overlaps the reading. A matrix that did not fit in memory (part of it in the
 * temporary file) is solved on the main thread instead: each thread would need its own buffer
 * for the blocks it reads back, and a file that big is where memory matters most.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { solverState, type NgramSolverSetup, type NgramSolverState } from '../src/lib/ml/ngram-student';
import type { TfidfBlock } from '../src/lib/ml/tfidf';
import type { EpochReport } from '../src/lib/domain/student';
import { CliError } from './cli-io';
import type { FromSolver, ToSolver } from './ngram-threads-worker';

/** The most solver threads by default (each costs its own heap and loader, about 95 MB). */
export const MAX_DEFAULT_THREADS = 4;

/** Solver threads by default: every core, at most {@link MAX_DEFAULT_THREADS}; 1 means none. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
}

/**
 * Data files past this size train on one thread unless --threads says otherwise: their features
 * may not fit in memory (then the main thread solves anyway, decision 025), and the threads'
 * own heaps would come on top of the largest peak (the 200 MB file of BENCHMARKS.md section 8).
 */
export const THREADS_FILE_BYTES = 64 * 1024 * 1024;

/**
 * --threads: how many threads solve the n-gram student's labels, a whole number from 1 to 64
 * (default: every core, at most 4, for a data file up to 64 MB; 1 past it). The student is the
 * same whatever the number.
 * @param value the option's value
 * @param dataBytes the data file's size
 * @param cores the default up to that size
 */
export function threadsOf(value: string | undefined, dataBytes: number, cores = defaultThreads()): number {
  if (value === undefined) return dataBytes > THREADS_FILE_BYTES ? 1 : cores;
  const threads = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 64)
    throw new CliError(`--threads must be a whole number from 1 to 64, not “${value}”`);
  return threads;
}

/** How far the threads are: labels solved, and the pass each label being solved is on. */
export interface SolverProgress {
  solved: number;
  labels: number;
  passes: ReadonlyMap<number, number>;
}

/**
 * Starts a worker thread that runs `ngram-threads-worker.ts` through the same TypeScript loader
 * as the CLI (a worker does not inherit the loader's hooks).
 */
function startWorker(): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./ngram-threads-worker.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(api)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry)}));`,
    { eval: true },
  );
}

export class SolverThreads {
  readonly #workers: Worker[];

  /** @param count how many threads (2 or more) */
  constructor(count: number) {
    this.#workers = Array.from({ length: count }, startWorker);
  }

  /**
   * Solves every label of a prepared student.
   * @param blocks the training rows, in shared memory (`inMemoryBlocks` of a matrix made with
   *   `shared`)
   * @param setup what the labels' solvers share
   * @param onProgress after each pass of any label
   * @returns every label's part of the solver state, and the report of the last pass to end
   */
  solve(
    blocks: readonly TfidfBlock[],
    setup: NgramSolverSetup,
    onProgress: (p: SolverProgress) => void,
  ): Promise<{ state: NgramSolverState; last: EpochReport }> {
    const k = setup.labels;
    const n = setup.rows;
    const state = solverState(setup, []);
    const passes = new Map<number, number>();
    const queue = Array.from({ length: k }, (_, c) => c);
    let solved = 0;
    let last: EpochReport = { epoch: 0, trainLoss: 0, valLoss: null, valAccuracy: null };
    // The threads get the setup without the labels' ratios: each gets a label's with the label.
    const shared: NgramSolverSetup = { ...setup, scaleSquared: setup.scaleSquared.map(() => new Float64Array(0)) };
    return new Promise((resolve, reject) => {
      const next = (worker: Worker) => {
        const c = queue.shift();
        if (c === undefined) return;
        passes.set(c, 0);
        const ratios = (setup.scaleSquared[c] as Float64Array).slice();
        worker.postMessage({ kind: 'solve', label: c, scaleSquared: ratios } satisfies ToSolver, [ratios.buffer]);
      };
      for (const worker of this.#workers) {
        worker.on('error', (e) => reject(new CliError(`a solver thread failed: ${e.message}`)));
        worker.on('exit', (code) => {
          if (solved < k)
            reject(new CliError(`a solver thread stopped (exit code ${code}) before every label was solved`));
        });
        worker.on('message', (m: FromSolver) => {
          if (m.kind === 'pass') passes.set(m.label, m.pass);
          else {
            state.w[m.label] = m.w;
            state.bias[m.label] = m.bias;
            state.alpha.set(m.alpha, m.label * n);
            state.squared.set(m.squared, m.label * n);
            passes.delete(m.label);
            if (m.last.epoch >= last.epoch) last = m.last;
            solved++;
            if (solved === k) resolve({ state, last });
            else next(worker);
          }
          onProgress({ solved, labels: k, passes });
        });
        worker.postMessage({ kind: 'start', blocks, setup: shared } satisfies ToSolver);
        next(worker);
      }
    });
  }

  /** Ends the threads. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
