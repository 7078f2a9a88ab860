/**
 * @file Runs a generation job in its own worker; cancelling pauses the job (it can resume).
 * A job on an OpenAI-compatible server on this computer runs in a worker started for that
 * server (its address names it): only that worker may reach it (decision 022).
 */
import type { GeneratorSpec, LoadProgress } from '../domain/model-spec';
import type { JobRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import type { GenerationEvent, GenerationRequests } from './generation-protocol';
import type { DeviceMeasurement } from '../jobs/measure-generator';
import { serverOf, serverOrigin, workerUrlFor } from '../domain/local-server';
import { RpcClient } from './rpc';
import generationWorkerUrl from './generation.worker.ts?worker&url';

/**
 * A fresh generation worker (each job or download gets its own, ended after it).
 * @param server the origin of the server on this computer it may reach, if any
 */
function generationWorker(server: string | null): RpcClient<GenerationRequests> {
  const worker = new Worker(workerUrlFor(generationWorkerUrl, server), {
    type: 'module',
    name: 'polyclass-generation',
  });
  return new RpcClient<GenerationRequests>(worker, 'worker.generation');
}

/**
 * Runs (or resumes) a generation job in a worker of its own.
 * @param generator the job's generator (a server on this computer gets a worker that may reach it)
 */
export async function runJobInWorker(
  jobId: string,
  generator: GeneratorSpec,
  source: ModelSource,
  onEvent: (e: GenerationEvent) => void,
  signal?: AbortSignal,
): Promise<JobRecord> {
  const rpc = generationWorker(serverOf(generator));
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
  const rpc = generationWorker(serverOf(spec));
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
  const rpc = generationWorker(serverOf(spec));
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

/**
 * Asks an OpenAI-compatible server on this computer for its model list, from a worker started
 * for it (the page's own policy does not let it reach any such server).
 */
export async function probeServerInWorker(
  endpoint: string,
  timeoutMs: number,
): Promise<GenerationRequests['probe']['res']> {
  const rpc = generationWorker(serverOrigin(endpoint));
  try {
    return await rpc.call('probe', { endpoint, timeoutMs });
  } finally {
    rpc.terminate();
  }
}
