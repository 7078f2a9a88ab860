/**
 * @file The page's handle on the training worker: one per page, started on first use and
 * again after a crash. Encoders stay loaded in it between trainings and classifications.
 *
 * onnxruntime-web loads one wasm build per worker, for good (decision 023): a worker starts on
 * the fast `cpu` build, and the first request that needs WebGPU moves the work to a new worker
 * on the `gpu` build (which runs every model), once the old one has answered what it was asked.
 */
import { runtimeFor, type OrtRuntime } from '../domain/model-spec';
import { RpcClient } from './rpc';
import { TRAINING_WORKER_GPU_SUFFIX, type TrainingRequests } from './training-protocol';

let client: { rpc: RpcClient<TrainingRequests>; runtime: OrtRuntime } | null = null;
/** Workers replaced while they still had calls running: stopped once those have answered. */
let retired: RpcClient<TrainingRequests>[] = [];

/**
 * The training worker for work on a device.
 * @param device where the request's models run (`wasm` unless a model needs `webgpu`)
 */
export function trainingWorker(device = 'wasm'): RpcClient<TrainingRequests> {
  retired = retired.filter((rpc) => rpc.busy || (rpc.terminate(), false));
  const runtime = runtimeFor(device);
  if (client && !client.rpc.crashed) {
    if (client.runtime === runtime || client.runtime === 'gpu') return client.rpc;
    if (client.rpc.busy) retired.push(client.rpc);
    else client.rpc.terminate();
  }
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), {
    type: 'module',
    name: `polyclass-training${runtime === 'gpu' ? TRAINING_WORKER_GPU_SUFFIX : ''}`,
  });
  client = { rpc: new RpcClient<TrainingRequests>(worker, 'worker.training'), runtime };
  return client.rpc;
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
  const running = client?.rpc;
  setTimeout(() => {
    if (stillRunning()) running?.terminate();
  }, CANCEL_GRACE_MS);
}
