/**
 * @file The training worker's handlers: encoders loaded once per worker (memoized as a promise,
 * forgotten on failure), training jobs, and classification with stored classifiers.
 */
import { TransformersEncoder } from '../backends/transformers-encoder';
import { configureTransformers, type WasmPaths } from '../backends/transformers-env';
import { AppError } from '../domain/errors';
import type { EncoderSpec } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { trainClassifier } from '../jobs/training-job';
import { fromClassifierFile, type EncoderRef } from '../ml/classifier-file';
import { predictDense } from '../ml/dense-head';
import { predictNgram } from '../ml/ngram-student';
import type { Database } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import type { Handlers } from './rpc';
import type { TrainingRequests, TrainingWorkerEvent } from './training-protocol';

export function createTrainingHandlers(
  openDb: () => Promise<Database>,
  wasmPaths?: WasmPaths,
  now = () => performance.now(),
): Handlers<TrainingRequests> {
  let db: Promise<Database> | null = null;
  const database = () => (db ??= openDb());
  const encoders = new Map<string, Promise<TransformersEncoder>>();

  function encoderFor(
    ref: EncoderRef,
    source: ModelSource,
    device: 'wasm' | 'webgpu',
    progress: (e: TrainingWorkerEvent) => void,
  ) {
    const key = JSON.stringify([ref, source, device]);
    let p = encoders.get(key);
    if (!p) {
      configureTransformers({ source, wasmPaths });
      const spec: EncoderSpec = {
        modelId: ref.modelId,
        device,
        dtype: ref.dtype as EncoderSpec['dtype'],
        prefix: ref.prefix,
      };
      p = TransformersEncoder.load(spec, source, (load) => progress({ stage: 'loading', load }));
      encoders.set(key, p);
      p.catch(() => encoders.delete(key));
    }
    return p;
  }

  return {
    async train({ taskId, config, source, device }, ctx) {
      const encoder = config.encoder ? await encoderFor(config.encoder, source, device, ctx.progress) : null;
      return trainClassifier(await database(), taskId, config, encoder, ctx.progress, ctx.signal);
    },

    async predict({ classifierId, texts, source, device }, ctx) {
      const record = await classifiersRepo.get(await database(), classifierId);
      if (!record) throw new AppError('internal', 'This classifier no longer exists.');
      const { model, meta } = fromClassifierFile(record.file);
      const start = now();
      let probabilities: number[][];
      if (model.kind === 'ngram') probabilities = texts.map((t) => Array.from(predictNgram(model, t)));
      else {
        if (!meta.encoder) throw new AppError('invalid-file', 'This classifier names no encoder.');
        const encoder = await encoderFor(meta.encoder, source, device, ctx.progress);
        const xs = await encoder.embed(texts, ctx.signal);
        probabilities = xs.map((x) => Array.from(predictDense(model, x)));
      }
      return { labels: model.labels, probabilities, ms: now() - start };
    },
  };
}
