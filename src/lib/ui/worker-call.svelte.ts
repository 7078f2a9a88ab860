/**
 * @file One cancellable call to a worker, as a view shows it: running, cancelling, how the last
 * call ended, and its error in a sentence (a cancel is not an error: the caller's own sentence,
 * if any, says it stopped).
 */
import { toAppError, type AppError, type ErrorCode } from '../domain/errors';

/** How the last call ended; null before the first and while one runs. */
export type CallOutcome = 'done' | 'failed' | 'cancelled' | null;

export interface WorkerCallOptions {
  /**
   * What to say when the user cancelled, shown as `error` (null or absent: nothing). Gets the
   * cancel's own error, whose message may say what was kept ("1,200 rows imported, then stopped").
   */
  cancelled?: (error: AppError) => string | null;
  /**
   * How to cancel: abort the signal (default), or a gentler way that aborts and then stops the
   * worker if it does not answer (`cancelGently`); `stillRunning` says whether the call is on.
   */
  cancel?: (controller: AbortController, stillRunning: () => boolean) => void;
}

export class WorkerCall {
  running = $state(false);
  /** Cancel was asked and the worker has not answered yet. */
  cancelling = $state(false);
  error = $state<string | null>(null);
  /** The failure's code (what the UI offers as the fix), null unless the last call failed. */
  errorCode = $state<ErrorCode | null>(null);
  outcome = $state<CallOutcome>(null);
  #controller: AbortController | null = null;

  constructor(private readonly options: WorkerCallOptions = {}) {}

  /**
   * Runs `work` with a fresh signal, cancelling a call still running; a failure becomes
   * `error` (a cancel: the cancelled sentence).
   * @param cancelled this call's own sentence for a cancel, instead of the options' one
   * @returns the result, or undefined when it failed or was cancelled
   */
  async run<T>(work: (signal: AbortSignal) => Promise<T>, cancelled = this.options.cancelled): Promise<T | undefined> {
    this.cancel();
    const controller = (this.#controller = new AbortController());
    this.running = true;
    this.cancelling = false;
    this.error = null;
    this.errorCode = null;
    this.outcome = null;
    try {
      const result = await work(controller.signal);
      if (this.#controller === controller) this.outcome = 'done';
      return result;
    } catch (error) {
      const e = toAppError(error);
      if (this.#controller === controller) {
        const stopped = e.code === 'aborted' || controller.signal.aborted;
        this.outcome = stopped ? 'cancelled' : 'failed';
        this.error = stopped ? (cancelled?.(e) ?? null) : e.message;
        this.errorCode = stopped ? null : e.code;
      }
      return undefined;
    } finally {
      if (this.#controller === controller) {
        this.running = false;
        this.cancelling = false;
        this.#controller = null;
      }
    }
  }

  /** Asks the running call to stop. */
  cancel(): void {
    const controller = this.#controller;
    if (!controller || controller.signal.aborted) return;
    this.cancelling = true;
    if (this.options.cancel) this.options.cancel(controller, () => this.#controller === controller);
    else controller.abort();
  }

  /**
   * The line a view shows under the action: the failure (or the cancel's sentence) of the last
   * call, else what the caller says it did (`done`), else nothing.
   */
  message(done: string | null): { text: string; error: boolean; code: ErrorCode | null } | null {
    if (this.error) return { text: this.error, error: this.outcome === 'failed', code: this.errorCode };
    return done === null ? null : { text: done, error: false, code: null };
  }

  /** Forgets how the last call ended (its error and outcome); stops one that runs. */
  reset(): void {
    this.cancel();
    this.error = null;
    this.errorCode = null;
    this.outcome = null;
  }
}
