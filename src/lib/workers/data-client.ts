/**
 * @file The page's handle on the data worker: one worker for the page, started on first use
 * and started again if it crashed.
 */
import type { DataRequests } from './data-protocol';
import { RpcClient } from './rpc';

let client: RpcClient<DataRequests> | null = null;

/** The data worker's client. */
export function dataWorker(): RpcClient<DataRequests> {
  if (!client || client.crashed) {
    const worker = new Worker(new URL('./data.worker.ts', import.meta.url), { type: 'module', name: 'polyclass-data' });
    client = new RpcClient<DataRequests>(worker, 'worker.data');
  }
  return client;
}
