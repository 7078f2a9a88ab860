/**
 * @file The page's handle on the training worker: one per page, started on first use and
 * again after a crash. Encoders stay loaded in it between trainings and classifications.
 *
 * onnxruntime-web loads one wasm build per worker, for good (decision 023): a worker starts on
 * the fast `cpu` build, and the first request that needs WebGPU moves the work to a new worker
 * on the `gpu` build (which runs every model), once the old one has answered what it was asked.
 * In the same way, an evaluation with an LLM on an OpenAI-compatible server on this computer
 * moves the work to a worker started for that server: only such a worker may reach it (its
 * script's address names the server's origin; decision 022).
 */
import { runtimeFor, type OrtRuntime } from '../domain/model-spec';
import { workerUrlFor } from '../domain/local-server';
import { RpcClient } from './rpc';
import { TRAINING_WORKER_GPU_SUFFIX, type TrainingRequests } from './training-protocol';
import trainingWorkerUrl from './training.worker.ts?worker&url';

let client: { rpc: RpcClient<TrainingRequests>; runtime: OrtRuntime; server: string | null } | null = null;
/** Workers replaced while they still had calls running: stopped once those have answered. */
let retired: RpcClient<TrainingRequests>[] = [];

/**
 * The training worker for work on a device.
 * @param device where the request's models run (`wasm` unless a model needs `webgpu`)
 * @param server the origin of a server on this computer the request talks to, if any
 */
export function trainingWorker(device = 'wasm', server: string | null = null): RpcClient<TrainingRequests> {
  retired = retired.filter((rpc) => rpc.busy || (rpc.terminate(), false));
  const runtime = runtimeFor(device);
  if (client && !client.rpc.crashed) {
    const runs = client.runtime === runtime || client.runtime === 'gpu';
    const reaches = server === null || client.server === server;
    if (runs && reaches) return client.rpc;
    if (client.rpc.busy) retired.push(client.rpc);
    else client.rpc.terminate();
  }
  const worker = new Worker(workerUrlFor(trainingWorkerUrl, server), {
    type: 'module',
    name: `polyclass-training${runtime === 'gpu' ? TRAINING_WORKER_GPU_SUFFIX : ''}`,
  });
  client = { rpc: new RpcClient<TrainingRequests>(worker, 'worker.training'), runtime, server };
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
