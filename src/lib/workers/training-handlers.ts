/**
 * @file The training worker's handlers: encoders loaded once per worker (memoized as a promise,
 * forgotten on failure), training jobs, and classification with stored classifiers.
 */
import { message } from '../i18n/messages';
import { TransformersEncoder } from '../backends/transformers-encoder';
import { configureTransformers, type WasmPaths } from '../backends/transformers-env';
import { AppError } from '../domain/errors';
import type { EncoderSpec } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { runEvaluationJob } from '../jobs/evaluation-job';
import { runLearningCurve } from '../jobs/learning-curve';
import { evaluationLockName } from '../jobs/locks';
import { studentPredictor } from '../jobs/student-predictor';
import { runLabelCheck } from '../jobs/label-check';
import { compareRound, findConfusions, type RoundDeps, type RoundEvent } from '../jobs/targeted-round';
import { trainClassifier } from '../jobs/training-job';
import { fromClassifierFile } from '../ml/classifier-file';
import { predictDense } from '../ml/dense-head';
import { predictNgram } from '../ml/ngram-student';
import { argmax } from '../ml/training';
import type { Database } from '../storage/db';
import { classifiersRepo, jobsRepo } from '../storage/task-records-repo';
import { parseFile } from '../storage/import/parse-file';
import { strToU8 } from 'fflate';
import Papa from 'papaparse';
import { buildGenerator } from './build-generator';
import type { Handlers } from './rpc';

/** Texts classified per step: progress moves, cancel answers, memory stays small. */
const CLASSIFY_BATCH = 64;
import type { TrainingRequests, TrainingWorkerEvent } from './training-protocol';
import type { EncoderRef } from '../domain/student';

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

    async classifyFile({ classifierId, file, name, textColumn, source, device }, ctx) {
      const record = await classifiersRepo.get(await database(), classifierId);
      if (!record) throw new AppError('internal', message('err.classifierMissing'));
      const { model, meta } = fromClassifierFile(record.file);
      const start = now();
      const rows: Record<string, unknown>[] = [];
      let columns: string[] = [];
      let read = 0;
      const info = await parseFile(file, name, {
        signal: ctx.signal,
        onProgress: (r) => (read = r),
        onRow: (r) => void rows.push(r.fields),
      });
      columns = info.columns;
      const column = textColumn ?? columns.find((c) => /^(text|sentence|content)$/i.test(c.trim())) ?? columns[0];
      if (!column) throw new AppError('invalid-file', message('err.noColumns'));
      if (!columns.includes(column)) throw new AppError('invalid-file', message('err.noColumn', { column }));
      const texts = rows.map((r) => String(r[column] ?? ''));
      const out: string[][] = [];
      const encoder =
        model.kind === 'ngram'
          ? null
          : meta.encoder
            ? await encoderFor(meta.encoder, source, device, () => undefined)
            : null;
      for (let i = 0; i < texts.length; i += CLASSIFY_BATCH) {
        if (ctx.signal.aborted) throw new AppError('aborted', message('err.cancelled'));
        const batch = texts.slice(i, i + CLASSIFY_BATCH);
        let probs: Float64Array[];
        if (model.kind === 'ngram') probs = batch.map((t) => predictNgram(model, t));
        else {
          if (!encoder) throw new AppError('invalid-file', message('err.noEncoder'));
          probs = (
            await encoder.embed(
              batch.map((t) => t || ' '),
              ctx.signal,
            )
          ).map((x) => predictDense(model, x));
        }
        probs.forEach((p, j) => {
          const best = argmax(p);
          const row = rows[i + j] as Record<string, unknown>;
          out.push([
            ...columns.map((c) => String(row[c] ?? '')),
            model.labels[best] as string,
            ...Array.from(p, (v) => v.toFixed(4)),
          ]);
        });
        ctx.progress({ done: Math.min(i + CLASSIFY_BATCH, texts.length), read, total: file.size });
      }
      const header = [...columns, 'prediction', ...model.labels.map((l) => `p_${l}`)];
      const csv = strToU8(`${Papa.unparse({ fields: header, data: out }, { newline: '\n' })}\n`);
      ctx.transfer(csv.buffer);
      return { csv, rows: out.length, textColumn: column, ms: now() - start };
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
            student: (record, onLoad) =>
              studentPredictor(record, (ref) =>
                encoderFor(ref, source, device, (e) => e.stage === 'loading' && onLoad(e.load)),
              ),
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

    async learningCurve({ taskId, config, source, device }, ctx) {
      const encoder = config.encoder ? await encoderFor(config.encoder, source, device, ctx.progress) : null;
      return runLearningCurve(await database(), taskId, config, encoder, {
        onProgress: ctx.progress,
        signal: ctx.signal,
      });
    },

    async predict({ classifierId, texts, source, device }, ctx) {
      const record = await classifiersRepo.get(await database(), classifierId);
      if (!record) throw new AppError('internal', message('err.classifierMissing'));
      const { model, meta } = fromClassifierFile(record.file);
      const start = now();
      let probabilities: number[][];
      if (model.kind === 'ngram') probabilities = texts.map((t) => Array.from(predictNgram(model, t)));
      else {
        if (!meta.encoder) throw new AppError('invalid-file', message('err.noEncoder'));
        const encoder = await encoderFor(meta.encoder, source, device, ctx.progress);
        const xs = await encoder.embed(texts, ctx.signal);
        probabilities = xs.map((x) => Array.from(predictDense(model, x)));
      }
      return { labels: model.labels, probabilities, ms: now() - start };
    },
  };
}
