/**
 * @file The page's handle on the training worker: one per page, started on first use and
 * again after a crash. Encoders stay loaded in it between trainings and classifications.
 */
import { RpcClient } from './rpc';
import type { TrainingRequests } from './training-protocol';

let client: RpcClient<TrainingRequests> | null = null;

export function trainingWorker(): RpcClient<TrainingRequests> {
  if (!client || client.crashed) {
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), {
      type: 'module',
      name: 'polyclass-training',
    });
    client = new RpcClient<TrainingRequests>(worker, 'worker.training');
  }
  return client;
}

/** How long a cancelled request may take to answer before the training worker is stopped. */
export const CANCEL_GRACE_MS = 5000;

/**
 * Cancels a request to the training worker: the handler sees the abort at its next check
 * (between epochs, batches or answers), so loaded models stay loaded. If the request is still
 * running after {@link CANCEL_GRACE_MS} (say, inside a long model load), the worker is stopped;
 * a new one starts on the next request.
 * @param stillRunning whether that request has not ended yet
 */
export function cancelGently(controller: AbortController, stillRunning: () => boolean): void {
  if (controller.signal.aborted) return;
  controller.abort();
  setTimeout(() => {
    if (stillRunning()) trainingWorker().terminate();
  }, CANCEL_GRACE_MS);
}
