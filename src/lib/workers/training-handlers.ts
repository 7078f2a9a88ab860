/**
 * @file The training worker's handlers: encoders loaded once per worker (memoized as a promise,
 * forgotten on failure), training jobs, and classification with stored classifiers.
 */
import { message } from '../i18n/messages';
import { TransformersEncoder } from '../backends/transformers-encoder';
import { configureTransformers, type OrtRuntimes } from '../backends/transformers-env';
import { AppError } from '../domain/errors';
import type { EncoderSpec } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { runEvaluationJob } from '../jobs/evaluation-job';
import { runLearningCurve } from '../jobs/learning-curve';
import { evaluationLockName } from '../domain/locks';
import { runLabelCheck } from '../jobs/label-check';
import { proposeToLabel } from '../jobs/choose-to-label';
import { compareRound, findConfusions, type RoundDeps, type RoundEvent } from '../jobs/targeted-round';
import { classifyFile } from '../jobs/classify-file';
import { trainClassifier } from '../jobs/training-job';
import { openStudent } from '../ml/student';
import type { Database } from '../storage/db';
import { classifiersRepo, jobsRepo } from '../storage/task-records-repo';
import { buildGenerator } from './build-generator';
import type { Handlers } from './rpc';
import type { TrainingRequests, TrainingWorkerEvent } from './training-protocol';
import type { EncoderRef } from '../domain/student';

export function createTrainingHandlers(
  openDb: () => Promise<Database>,
  wasmPaths?: OrtRuntimes,
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
      configureTransformers({ source, wasmPaths, device });
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

  const roundDeps = (
    source: ModelSource,
    device: 'wasm' | 'webgpu',
    ctx: { progress: (e: TrainingWorkerEvent | RoundEvent) => void; signal: AbortSignal },
  ): RoundDeps => ({
    encoderFor: (ref) => encoderFor(ref, source, device, ctx.progress),
    onEvent: ctx.progress,
    signal: ctx.signal,
  });

  return {
    async train({ taskId, config, source, device }, ctx) {
      const encoder = config.encoder ? await encoderFor(config.encoder, source, device, ctx.progress) : null;
      return trainClassifier(await database(), taskId, config, encoder, ctx.progress, ctx.signal);
    },

    async proposeToLabel({ taskId, count }, ctx) {
      return proposeToLabel(await database(), taskId, count, ctx.progress, ctx.signal);
    },

    async checkLabels({ taskId, encoder: ref, source, device }, ctx) {
      const encoder = ref ? await encoderFor(ref, source, device, ctx.progress) : null;
      return runLabelCheck(await database(), taskId, encoder, ctx.progress, ctx.signal);
    },

    async findConfusions({ classifierId, source, device }, ctx) {
      return findConfusions(await database(), classifierId, roundDeps(source, device, ctx));
    },

    async compareRound({ classifierId, jobId, basis, source, device }, ctx) {
      return compareRound(await database(), classifierId, jobId, basis, roundDeps(source, device, ctx));
    },

    async classifyFile({ classifierId, file, name, textColumn, minConfidence, source, device }, ctx) {
      const record = await classifiersRepo.get(await database(), classifierId);
      if (!record) throw new AppError('internal', message('err.classifierMissing'));
      const student = openStudent(record.file, (ref) => encoderFor(ref, source, device, () => undefined));
      const start = now();
      const result = await classifyFile(student, file, name, textColumn, {
        signal: ctx.signal,
        onProgress: ctx.progress,
        minConfidence,
      });
      ctx.transfer(result.csv.buffer);
      return { ...result, ms: now() - start };
    },

    async evaluate({ jobId, source, device }, ctx) {
      const db = await database();
      const job = await jobsRepo.get(db, jobId);
      if (!job) throw new AppError('internal', message('err.evalJobGone'));
      const run = () =>
        runEvaluationJob(
          db,
          jobId,
          {
            student: async (record, onLoad) => {
              const student = openStudent(record.file, (ref) =>
                encoderFor(ref, source, device, (e) => e.stage === 'loading' && onLoad(e.load)),
              );
              await student.prepare();
              return student;
            },
            generator: async (spec, onLoad, signal) => {
              const generator = await buildGenerator(spec, source, wasmPaths);
              await generator.load(onLoad, signal);
              return generator;
            },
          },
          { signal: ctx.signal, onProgress: ctx.progress, clock: now },
        );
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      if (!locks) return run();
      return locks.request(evaluationLockName(job.taskId), { ifAvailable: true }, async (lock) => {
        if (!lock) throw new AppError('busy', message('err.evalBusy'));
        return run();
      });
    },

    async learningCurve({ taskId, config, compareSources, source, device }, ctx) {
      const encoder = config.encoder ? await encoderFor(config.encoder, source, device, ctx.progress) : null;
      return runLearningCurve(await database(), taskId, config, encoder, {
        compareSources,
        onProgress: ctx.progress,
        signal: ctx.signal,
      });
    },

    async predict({ classifierId, texts, source, device }, ctx) {
      const record = await classifiersRepo.get(await database(), classifierId);
      if (!record) throw new AppError('internal', message('err.classifierMissing'));
      const student = openStudent(record.file, (ref) => encoderFor(ref, source, device, ctx.progress));
      const start = now();
      const probabilities = (await student.probabilities(texts, ctx.signal)).map((p) => Array.from(p));
      return { labels: [...student.labels], probabilities, ms: now() - start };
    },
  };
}
