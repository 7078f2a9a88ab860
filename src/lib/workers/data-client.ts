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

/** Offers bytes (or a Blob, which may be kept on disk) to the user as a download. */
export function download(data: Uint8Array | Blob, fileName: string, mime: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
