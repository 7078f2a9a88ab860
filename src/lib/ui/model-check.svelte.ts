/**
 * @file "Check a model": loads an encoder in the embedding worker exactly as training will,
 * embeds the probe sentences and reports what happened, so a user (or a workshop host)
 * knows a model works on this device before relying on it.
 */
import { t } from './i18n.svelte';
import { AppError, toAppError } from '../domain/errors';
import type { EncoderSpec, LoadProgress } from '../domain/model-spec';
import { cosine, PROBE_TEXTS } from '../domain/probe-texts';
import type { ModelSource } from '../domain/settings';
import { WorkerEncoder } from '../workers/encoder-client';

export interface ModelCheckResult {
  modelId: string;
  device: string;
  dim: number;
  loadMs: number;
  embedMs: number;
  /** Similarity of each probe text to the first (English) one. */
  similarities: { language: string; text: string; unrelated: boolean; similarity: number }[];
}

export type ModelCheckPhase = 'idle' | 'loading' | 'embedding' | 'done' | 'failed' | 'cancelled';

export class ModelCheck {
  #phase = $state<ModelCheckPhase>('idle');
  #files = $state<Record<string, LoadProgress>>({});
  #result = $state<ModelCheckResult | null>(null);
  #error = $state<string | null>(null);
  #controller: AbortController | null = null;

  get phase(): ModelCheckPhase {
    return this.#phase;
  }
  /** Progress per model file while loading. */
  get files(): LoadProgress[] {
    return Object.values(this.#files);
  }
  get result(): ModelCheckResult | null {
    return this.#result;
  }
  get error(): string | null {
    return this.#error;
  }
  get running(): boolean {
    return this.#phase === 'loading' || this.#phase === 'embedding';
  }

  /**
   * @param spec what to load
   * @param source absolute model source
   */
  async run(spec: EncoderSpec, source: ModelSource): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.#phase = 'loading';
    this.#files = {};
    this.#result = null;
    this.#error = null;
    let encoder: WorkerEncoder | null = null;
    try {
      encoder = await WorkerEncoder.open(spec, source, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file) this.#files[p.file] = p;
        },
      });
      this.#phase = 'embedding';
      const start = performance.now();
      const vectors = await encoder.embed(
        PROBE_TEXTS.map((p) => p.text),
        controller.signal,
      );
      const embedMs = performance.now() - start;
      const [first] = vectors;
      if (!first) throw new AppError('model-invalid', t('check.noEmbeddings'));
      this.#result = {
        modelId: encoder.id,
        device: encoder.device,
        dim: encoder.dim,
        loadMs: encoder.loadMs,
        embedMs,
        similarities: PROBE_TEXTS.map((p, i) => ({
          language: p.language,
          text: p.text,
          unrelated: p.unrelated ?? false,
          similarity: cosine(first, vectors[i] as Float32Array),
        })),
      };
      this.#phase = 'done';
    } catch (error) {
      const e = toAppError(error);
      this.#phase = e.code === 'aborted' ? 'cancelled' : 'failed';
      this.#error = e.code === 'aborted' ? null : e.message;
    } finally {
      await encoder?.dispose();
      if (this.#controller === controller) this.#controller = null;
    }
  }

  /** Stops a running check. */
  cancel(): void {
    this.#controller?.abort();
  }
}
