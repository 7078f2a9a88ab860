/**
 * @file Runs a generation job in its own worker; cancelling pauses the job (it can resume).
 */
import type { GeneratorSpec, LoadProgress } from '../domain/model-spec';
import type { JobRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import type { GenerationEvent, GenerationRequests } from './generation-protocol';
import type { DeviceMeasurement } from '../jobs/measure-generator';
import { RpcClient } from './rpc';

/** A fresh generation worker (each job or download gets its own, ended after it). */
function generationWorker(): RpcClient<GenerationRequests> {
  const worker = new Worker(new URL('./generation.worker.ts', import.meta.url), {
    type: 'module',
    name: 'polyclass-generation',
  });
  return new RpcClient<GenerationRequests>(worker, 'worker.generation');
}

export async function runJobInWorker(
  jobId: string,
  source: ModelSource,
  onEvent: (e: GenerationEvent) => void,
  signal?: AbortSignal,
): Promise<JobRecord> {
  const rpc = generationWorker();
  try {
    return await rpc.call('run', { jobId, source }, { signal, onProgress: onEvent });
  } finally {
    rpc.terminate();
  }
}

/** Downloads a generator's files into the browser's cache in a short-lived worker. */
export async function prepareGeneratorInWorker(
  spec: GeneratorSpec,
  source: ModelSource,
  onProgress: (p: LoadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const rpc = generationWorker();
  // A download can take minutes: on cancel, stop the worker rather than wait.
  const stop = () => rpc.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await rpc.call('prepare', { spec, source }, { onProgress });
  } finally {
    signal?.removeEventListener('abort', stop);
    rpc.terminate();
  }
}

/** Times a short generation with a generator on this device, in a short-lived worker. */
export async function measureInWorker(
  spec: GeneratorSpec,
  source: ModelSource,
  onProgress: (p: GenerationRequests['measure']['progress']) => void,
  signal?: AbortSignal,
): Promise<DeviceMeasurement> {
  const rpc = generationWorker();
  // Loading can take minutes: on cancel, stop the worker rather than wait.
  const stop = () => rpc.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await rpc.call('measure', { spec, source }, { onProgress });
  } finally {
    signal?.removeEventListener('abort', stop);
    rpc.terminate();
  }
}
