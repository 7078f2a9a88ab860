/**
 * @file "Check a model": loads an encoder in the embedding worker exactly as training will,
 * embeds the probe sentences and reports what happened, so a user (or a workshop host)
 * knows a model works on this device before relying on it.
 */
import { t } from './i18n.svelte';
import { AppError } from '../domain/errors';
import type { EncoderSpec, LoadProgress } from '../domain/model-spec';
import { cosine, PROBE_TEXTS } from '../domain/probe-texts';
import type { ModelSource } from '../domain/settings';
import { WorkerEncoder } from '../workers/encoder-client';
import { WorkerCall } from './worker-call.svelte';

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
  /** The load and the embedding, cancellable. */
  readonly call = new WorkerCall();
  #stage = $state<'loading' | 'embedding'>('loading');
  #files = $state<Record<string, LoadProgress>>({});
  #result = $state<ModelCheckResult | null>(null);

  get phase(): ModelCheckPhase {
    if (this.call.running) return this.#stage;
    return this.call.outcome ?? 'idle';
  }
  /** Progress per model file while loading. */
  get files(): LoadProgress[] {
    return Object.values(this.#files);
  }
  get result(): ModelCheckResult | null {
    return this.#result;
  }
  get error(): string | null {
    return this.call.error;
  }
  get running(): boolean {
    return this.call.running;
  }

  /**
   * @param spec what to load
   * @param source absolute model source
   */
  async run(spec: EncoderSpec, source: ModelSource): Promise<void> {
    this.#stage = 'loading';
    this.#files = {};
    this.#result = null;
    const result = await this.call.run(async (signal) => {
      const encoder = await WorkerEncoder.open(spec, source, {
        signal,
        onProgress: (p) => {
          if (p.file) this.#files[p.file] = p;
        },
      });
      try {
        this.#stage = 'embedding';
        return await probe(encoder, signal);
      } finally {
        await encoder.dispose();
      }
    });
    if (result) this.#result = result;
  }

  /** Stops a running check. */
  cancel(): void {
    this.call.cancel();
  }
}

/** Embeds the probe sentences and measures how alike each is to the first. */
async function probe(encoder: WorkerEncoder, signal: AbortSignal): Promise<ModelCheckResult> {
  const start = performance.now();
  const vectors = await encoder.embed(
    PROBE_TEXTS.map((p) => p.text),
    signal,
  );
  const embedMs = performance.now() - start;
  const [first] = vectors;
  if (!first) throw new AppError('model-invalid', t('check.noEmbeddings'));
  return {
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
}
