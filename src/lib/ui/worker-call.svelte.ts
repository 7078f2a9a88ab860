/**
 * @file One cancellable call to a worker, as a view shows it: running, cancelling, the error
 * in a sentence (cancelling is not an error: the caller's own sentence says it stopped).
 */
import { toAppError } from '../domain/errors';

export interface WorkerCallOptions {
  /** What to say when the user cancelled (shown as `error`, or null to say nothing). */
  cancelled: () => string | null;
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
  #controller: AbortController | null = null;

  constructor(private readonly options: WorkerCallOptions) {}

  /**
   * Runs `work` with a fresh signal; a failure becomes `error` (a cancel: the cancelled sentence).
   * @returns the result, or undefined when it failed or was cancelled
   */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const controller = (this.#controller = new AbortController());
    this.running = true;
    this.cancelling = false;
    this.error = null;
    try {
      return await work(controller.signal);
    } catch (error) {
      const e = toAppError(error);
      if (this.#controller === controller) this.error = e.code === 'aborted' ? this.options.cancelled() : e.message;
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
}
