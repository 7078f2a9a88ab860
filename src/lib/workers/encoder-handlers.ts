/**
 * @file The embedding worker's request handlers: one loaded encoder at a time, memoized
 * as a promise so concurrent loads share it and a failed load can be retried.
 */
import { message } from '../i18n/messages';
import { TransformersEncoder, EMBED_BATCH_SIZE } from '../backends/transformers-encoder';
import { configureTransformers, type OrtRuntimes } from '../backends/transformers-env';
import { AppError } from '../domain/errors';
import type { EncoderSpec } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import type { Handlers } from './rpc';
import type { EncoderRequests } from './encoder-protocol';

/**
 * @param wasmPaths onnxruntime-web's runtime files (browser); omitted in Node
 * @param now clock for timings (performance.now)
 */
export function createEncoderHandlers(
  wasmPaths?: OrtRuntimes,
  now = () => performance.now(),
): Handlers<EncoderRequests> {
  let loaded: { key: string; encoder: Promise<TransformersEncoder> } | null = null;

  const keyOf = (spec: EncoderSpec, source: ModelSource) => JSON.stringify([spec, source]);

  async function current(): Promise<TransformersEncoder> {
    if (!loaded) throw new AppError('internal', message('err.encoderNotLoaded'));
    return loaded.encoder;
  }

  return {
    async load({ spec, source }, ctx) {
      const start = now();
      const key = keyOf(spec, source);
      if (loaded?.key !== key) {
        const previous = loaded;
        configureTransformers({ source, wasmPaths, device: spec.device });
        const encoder = TransformersEncoder.load(spec, source, ctx.progress, ctx.signal);
        loaded = { key, encoder };
        // Forget a failed load so the next attempt starts afresh.
        encoder.catch(() => {
          if (loaded?.encoder === encoder) loaded = null;
        });
        if (previous) void previous.encoder.then((e) => e.dispose()).catch(() => undefined);
      }
      const encoder = await current();
      return { modelId: encoder.id, dim: encoder.dim, device: spec.device, loadMs: now() - start };
    },

    async embed({ texts }, ctx) {
      const encoder = await current();
      const start = now();
      const vectors = new Float32Array(texts.length * encoder.dim);
      for (let i = 0; i < texts.length; i += EMBED_BATCH_SIZE) {
        const batch = await encoder.embed(texts.slice(i, i + EMBED_BATCH_SIZE), ctx.signal);
        batch.forEach((v, j) => vectors.set(v, (i + j) * encoder.dim));
        ctx.progress({ done: Math.min(i + EMBED_BATCH_SIZE, texts.length), total: texts.length });
      }
      ctx.transfer(vectors.buffer);
      return { vectors, dim: encoder.dim, ms: now() - start };
    },

    async unload() {
      const previous = loaded;
      loaded = null;
      if (previous) await (await previous.encoder).dispose();
      return null;
    },
  };
}
