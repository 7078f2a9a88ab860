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
import type { EpochReport } from '../src/lib/domain/student';
import { SolverFailure, solveOnPorts, type SolverPort, type SolverProgress } from '../src/lib/ml/ngram-label-solver';
import type { NgramSolverSetup, NgramSolverState } from '../src/lib/ml/ngram-student';
import type { TfidfBlock } from '../src/lib/ml/tfidf';
import { CliError } from './cli-io';

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
  async solve(
    blocks: readonly TfidfBlock[],
    setup: NgramSolverSetup,
    onProgress: (p: SolverProgress) => void,
  ): Promise<{ state: NgramSolverState; last: EpochReport }> {
    const ports = this.#workers.map((worker): SolverPort => ({
      post: (m, transfer) => worker.postMessage(m, transfer),
      listen: (onMessage, onFailure) => {
        worker.on('message', onMessage);
        worker.on('error', (e) => onFailure(`a solver thread failed: ${e.message}`));
        worker.on('exit', (code) =>
          onFailure(`a solver thread stopped (exit code ${code}) before every label was solved`),
        );
      },
    }));
    try {
      return await solveOnPorts(ports, blocks, setup, onProgress);
    } catch (e) {
      throw e instanceof SolverFailure ? new CliError(e.message) : e;
    }
  }

  /** Ends the threads. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
