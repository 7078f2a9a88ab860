/**
 * @file Runs in the page (imported through Vite): the embedding benchmark's browser side. Each
 * configuration runs in its own worker, as the app embeds (never on the page's thread).
 */
import type { MatmulShape } from './matmul-model';
import type { BatchThroughput } from './throughput';

export interface EmbedWorkerConfig {
  modelId: string;
  texts: string[];
  batches: number[];
  reps: number;
  /** onnxruntime-web threads; null keeps what the app sets (every core but one, at most 8). */
  threads: number | null;
  /** onnxruntime-web build: `cpu` (plain, what the app loads for wasm) or `gpu` (asyncify). */
  build: 'cpu' | 'gpu';
  device: 'wasm' | 'webgpu';
  /** A MatMul [m×k]·[k×n] to time on the same runtime after the encoder. */
  matmul: MatmulShape | null;
}

export interface EmbedWorkerResult {
  results: BatchThroughput[];
  threads: number | null;
  crossOriginIsolated: boolean;
  matmulMs: number[] | null;
}

/**
 * Runs one configuration in a fresh worker.
 * @param timeoutMs gives up (and says so) after this long
 */
export function embedInWorker(config: EmbedWorkerConfig, timeoutMs: number): Promise<EmbedWorkerResult | string> {
  const worker = new Worker(new URL('./embed-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<EmbedWorkerResult | string>((resolve) => {
    const timer = setTimeout(() => resolve(`did not finish in ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    worker.onmessage = (e: MessageEvent<{ ok?: EmbedWorkerResult; error?: string }>) => {
      clearTimeout(timer);
      resolve(e.data.ok ?? e.data.error ?? 'no answer');
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      resolve(`worker error: ${e.message}`);
    };
    worker.postMessage(config);
  }).finally(() => worker.terminate());
}
