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
    client = new RpcClient<DataRequests>(worker, 'The data worker');
  }
  return client;
}

/** Offers bytes to the user as a download. */
export function download(bytes: Uint8Array, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
