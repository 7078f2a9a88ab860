/**
 * @file Generation with many requests in flight (the CLI's `generate`, for servers that batch:
 * vLLM, llama.cpp's server, an API). Each call is the app's own step (`generateStep`: the same
 * prompts and strategies, tolerant parser, quality filters, provenance); what differs is the
 * bookkeeping: requests are spread over the cells that miss most, counting what is in flight, and
 * accepted samples are handed to `write` one call at a time, never more than a cell's quota, so
 * a run that is stopped at any moment and started again from what was written ends with exactly
 * the quotas (decision 022).
 */
import type { Generator } from '../backends/generator';
import { toAppError, type AppError } from '../domain/errors';
import type { LanguageCheck } from '../domain/filters';
import { TextIndex } from '../domain/filters';
import type { GenerationCheckpoint, GenerationConfig } from '../domain/generation';
import { cellKey, cellStates, nextRequest, stuckCells, type CellState } from '../domain/generation-plan';
import type { Sample } from '../domain/sample';
import type { Task } from '../domain/task';
import { generateStep } from './generation-job';

export interface ParallelProgress {
  /** Accepted samples, written and in all. */
  done: number;
  total: number;
  /** Texts the filters rejected in this run. */
  rejected: number;
  /** Calls answered in this run, and calls that failed after the client's retries. */
  calls: number;
  failed: number;
  inFlight: number;
  /** Accepted samples a minute in this run, and seconds left at that pace (null before known). */
  perMinute: number;
  etaSeconds: number | null;
}

export interface ParallelOptions {
  task: Task;
  /** The task's seed examples (demonstrations). */
  seeds: readonly Sample[];
  config: GenerationConfig;
  generator: Generator;
  /** Requests in flight at most. */
  concurrency: number;
  /** Stored as each sample's `jobId`. */
  runId: string;
  /** Accepted samples written by earlier runs (they count toward the quotas and for duplicates). */
  written: readonly Pick<Sample, 'text' | 'label' | 'language'>[];
  /** The number of the first call (random choices of call n use the seed + n: a resume repeats none). */
  firstCall: number;
  /** Stores one call's accepted samples; runs one at a time, in order. */
  write: (samples: Sample[]) => void | Promise<void>;
  identifyLanguage?: (text: string, languageCode: string) => Promise<LanguageCheck>;
  onProgress?: (p: ParallelProgress) => void;
  signal?: AbortSignal;
  /** Calls in a row that may fail (after retries) before the run stops with the last error. */
  maxFailuresInARow?: number;
  now?: () => number;
}

export interface ParallelResult extends ParallelProgress {
  /** Cells given up after calls in a row that yielded nothing. */
  stuck: CellState[];
  /** The run stopped on a signal before the quotas were met. */
  stopped: boolean;
}

export async function runParallelGeneration(o: ParallelOptions): Promise<ParallelResult> {
  const now = o.now ?? (() => Date.now());
  const { task, config } = o;
  const accepted: Record<string, number> = {};
  const index = new TextIndex(config.filters.nearDuplicate);
  for (const s of o.written) {
    accepted[cellKey(s)] = (accepted[cellKey(s)] ?? 0) + 1;
    index.add(s.text, s.language);
  }
  /** Texts asked for in flight, per cell. */
  const asked: Record<string, number> = {};
  const fruitless: Record<string, number> = {};
  let nextCall = o.firstCall;
  let rejected = 0;
  let calls = 0;
  let failed = 0;
  let failuresInARow = 0;
  let fatal: AppError | null = null;
  let writing = Promise.resolve();
  let acceptedThisRun = 0;
  const start = now();
  const inFlight = new Set<Promise<void>>();
  const maxFailures = o.maxFailuresInARow ?? 5;

  const states = (): CellState[] => cellStates(task, config.perCell, accepted);
  const progress = (): ParallelProgress => {
    const cells = states();
    const total = cells.reduce((a, c) => a + c.target, 0);
    const done = cells.reduce((a, c) => a + c.accepted, 0);
    const minutes = (now() - start) / 60_000;
    const perMinute = minutes > 0 ? acceptedThisRun / minutes : 0;
    return {
      done,
      total,
      rejected,
      calls,
      failed,
      inFlight: inFlight.size,
      perMinute,
      etaSeconds: perMinute > 0 ? ((total - done) / perMinute) * 60 : null,
    };
  };

  /** The next request, counting texts in flight as if they were in. */
  const plan = () => {
    const planned = cellStates(
      task,
      config.perCell,
      Object.fromEntries(states().map((c) => [cellKey(c), c.accepted + (asked[cellKey(c)] ?? 0)])),
    );
    return nextRequest(planned, fruitless, config.perCall);
  };

  const call = async (request: { cell: { label: string; language: string }; count: number }) => {
    const key = cellKey(request.cell);
    asked[key] = (asked[key] ?? 0) + request.count;
    const checkpoint: GenerationCheckpoint = {
      config,
      calls: nextCall++,
      callsByCell: {},
      fruitless: {},
      completionTokens: 0,
      activeMs: 0,
    };
    try {
      const samples = await generateStep(
        o.runId,
        task,
        request.cell,
        request.count,
        states(),
        o.seeds,
        checkpoint,
        o.generator,
        index,
        { signal: o.signal, identifyLanguage: o.identifyLanguage, onStream: () => {}, onProblems: () => {}, now },
      );
      calls++;
      failuresInARow = 0;
      // Quotas are checked when the call is written: calls for the same cell ran side by side.
      const room = Math.max(0, config.perCell - (accepted[key] ?? 0));
      const good = samples.filter((s) => s.deletedAt === null).slice(0, room);
      rejected += samples.filter((s) => s.deletedAt !== null).length;
      fruitless[key] = good.length > 0 ? 0 : (fruitless[key] ?? 0) + 1;
      if (good.length > 0) {
        accepted[key] = (accepted[key] ?? 0) + good.length;
        acceptedThisRun += good.length;
        writing = writing.then(() => o.write(good));
        try {
          await writing;
        } catch (error) {
          // Nothing more can be stored (a full disk): stop, with what was written kept.
          fatal = toAppError(error);
        }
      }
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'aborted' || o.signal?.aborted) return;
      failed++;
      failuresInARow++;
      if (failuresInARow >= maxFailures) fatal = e;
    } finally {
      asked[key] = (asked[key] ?? 0) - request.count;
      o.onProgress?.(progress());
    }
  };

  o.onProgress?.(progress());
  for (;;) {
    if (fatal || o.signal?.aborted) break;
    const request = inFlight.size < o.concurrency ? plan() : null;
    if (request) {
      const running: Promise<void> = call(request).finally(() => inFlight.delete(running));
      inFlight.add(running);
      continue;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await writing;
  if (fatal) throw fatal;
  const cells = states();
  return {
    ...progress(),
    stuck: stuckCells(cells, fruitless),
    stopped: Boolean(o.signal?.aborted) && cells.some((c) => c.missing > 0),
  };
}
