/**
 * @file The page's Encoder: the same interface as the in-worker adapter, backed by the
 * embedding worker, so the UI thread never runs a model.
 */
import type { Encoder } from '../backends/encoder';
import type { EncoderSpec, LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import type { EncoderRequests } from './encoder-protocol';
import { RpcClient } from './rpc';

export interface OpenOptions {
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

export class WorkerEncoder implements Encoder {
  private constructor(
    private readonly rpc: RpcClient<EncoderRequests>,
    readonly id: string,
    readonly dim: number,
    /** Device the model runs on in the worker. */
    readonly device: string,
    /** Milliseconds the load took (download, compile, warm-up). */
    readonly loadMs: number,
  ) {}

  /**
   * Starts an embedding worker and loads a model in it.
   * @param spec model, device, dtype
   * @param source absolute model source (see `resolveModelSource`)
   * @param options progress callback and abort signal
   */
  static async open(spec: EncoderSpec, source: ModelSource, options: OpenOptions = {}): Promise<WorkerEncoder> {
    const worker = new Worker(new URL('./encoder.worker.ts', import.meta.url), {
      type: 'module',
      name: 'polyclass-encoder',
    });
    const rpc = new RpcClient<EncoderRequests>(worker, 'worker.embedding');
    // Loading can take minutes (downloads): on cancel, stop the worker instead of waiting.
    const stop = () => rpc.terminate();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      const res = await rpc.call('load', { spec, source }, options);
      return new WorkerEncoder(rpc, res.modelId, res.dim, res.device, res.loadMs);
    } catch (error) {
      rpc.terminate();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
  }

  /**
   * @param texts inputs
   * @param signal cancels between batches
   * @param onProgress texts embedded so far
   */
  async embed(
    texts: string[],
    signal?: AbortSignal,
    onProgress?: (p: { done: number; total: number }) => void,
  ): Promise<Float32Array[]> {
    const { vectors, dim } = await this.rpc.call('embed', { texts }, { signal, onProgress });
    return Array.from({ length: texts.length }, (_, i) => vectors.subarray(i * dim, (i + 1) * dim));
  }

  async dispose(): Promise<void> {
    if (!this.rpc.crashed) await this.rpc.call('unload', null).catch(() => undefined);
    this.rpc.terminate();
  }
}
