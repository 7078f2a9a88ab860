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
    client = new RpcClient<TrainingRequests>(worker, 'The training worker');
  }
  return client;
}
