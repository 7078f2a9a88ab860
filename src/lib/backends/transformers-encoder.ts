/**
 * @file Encoder backed by transformers.js `feature-extraction`. Thin: it translates between
 * the library and our {@link Encoder} interface and maps load errors to {@link AppError}s.
 */
import { message } from '../i18n/messages';
import { pipeline, type FeatureExtractionPipeline, type ProgressInfo } from '@huggingface/transformers';
import { AppError } from '../domain/errors';
import type { EncoderSpec, LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import type { Encoder } from './encoder';
import { toModelLoadError } from './model-errors';

/**
 * Texts per forward pass: small enough that cancelling answers within one batch and wasm
 * memory stays low, large enough to amortize per-call overhead.
 */
export const EMBED_BATCH_SIZE = 16;

/**
 * The order to embed texts in: shortest first (stable), so a batch holds texts of like length
 * and pads little. A batch costs as much as its longest text times its size; on a mix of real
 * texts this saved about 15% (BENCHMARKS.md section 1). Each text's vector is the same.
 */
export function shortestFirst(texts: readonly string[]): number[] {
  return [...texts.keys()].sort((a, b) => (texts[a] as string).length - (texts[b] as string).length || a - b);
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
}

function toLoadProgress(info: ProgressInfo): LoadProgress | null {
  switch (info.status) {
    case 'progress':
      return { file: info.file, loaded: info.loaded, total: info.total, status: 'downloading' };
    case 'done':
      return { file: info.file, loaded: 0, total: 0, status: 'done' };
    case 'ready':
      return { file: '', loaded: 0, total: 0, status: 'ready' };
    default:
      return null;
  }
}

export class TransformersEncoder implements Encoder {
  private constructor(
    private readonly pipe: FeatureExtractionPipeline,
    private readonly spec: EncoderSpec,
    readonly dim: number,
  ) {}

  get id(): string {
    return this.spec.modelId;
  }

  /**
   * Loads a model (from the hub, the browser cache or a model folder, as configured by
   * `configureTransformers`) and probes its output width.
   * @param spec model id, device, dtype and input prefix
   * @param source where the files come from, for error messages
   * @param onProgress per-file download progress
   * @param signal checked once the files are loaded; a cancelled load frees the model
   */
  static async load(
    spec: EncoderSpec,
    source: ModelSource,
    onProgress?: (p: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<TransformersEncoder> {
    throwIfAborted(signal);
    let pipe: FeatureExtractionPipeline;
    try {
      pipe = await pipeline('feature-extraction', spec.modelId, {
        device: spec.device,
        dtype: spec.dtype,
        progress_callback: (info: ProgressInfo) => {
          const p = toLoadProgress(info);
          if (p && onProgress) onProgress(p);
        },
      });
    } catch (error) {
      throw toModelLoadError(error, spec.modelId, source);
    }
    if (signal?.aborted) {
      await pipe.dispose();
      throwIfAborted(signal);
    }
    // transformers.js skips the tokenizer silently when tokenizer_config.json is absent.
    if (typeof pipe.tokenizer !== 'function') {
      await pipe.dispose();
      throw toModelLoadError(
        new Error(`Could not locate file: "${spec.modelId}/tokenizer_config.json"`),
        spec.modelId,
        source,
      );
    }
    const probe = await pipe('a', { pooling: 'mean', normalize: true });
    const dim = probe.dims.at(-1);
    if (dim === undefined) throw new AppError('model-invalid', message('err.noEmbedding', { model: spec.modelId }));
    return new TransformersEncoder(pipe, spec, dim);
  }

  /** Vectors in the order of `texts`, computed in batches of like-length texts ({@link shortestFirst}). */
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(texts.length);
    const prefix = this.spec.prefix ?? '';
    const order = shortestFirst(texts);
    for (let start = 0; start < order.length; start += EMBED_BATCH_SIZE) {
      throwIfAborted(signal);
      const at = order.slice(start, start + EMBED_BATCH_SIZE);
      const tensor = await this.pipe(
        at.map((i) => prefix + texts[i]),
        { pooling: 'mean', normalize: true },
      );
      const data = tensor.data as Float32Array;
      at.forEach((i, j) => (out[i] = data.slice(j * this.dim, (j + 1) * this.dim)));
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose();
  }
}
