/**
 * @file Training a student on samples, the wrapper every job that trains shares (training,
 * learning curves, targeted rounds): which samples a configuration takes, and the n-gram
 * student or a head on cached embeddings fitted with live epoch reports.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import type { Sample } from '../domain/sample';
import { MIN_VALIDATION_TEXTS, type EpochReport, type TrainingConfig } from '../domain/student';
import type { StudentModel } from '../ml/classifier-file';
import { fitCalibration } from '../ml/calibration';
import { denseHeadSteps, predictDense } from '../ml/dense-head';
import { ngramSteps, predictNgram } from '../ml/ngram-student';
import { runYielding } from '../ml/training';
import type { Database } from '../storage/db';
import { listSamples } from '../storage/samples-repo';
import { embedWithCache } from './features';

export type TrainingEvent =
  { stage: 'embedding'; done: number; total: number; cached: number } | { stage: 'epoch'; report: EpochReport };

/** The samples a configuration trains on: training and seed splits, not deleted. */
export async function trainingSamples(
  db: Database,
  taskId: string,
  config: Pick<TrainingConfig, 'sources' | 'languages'>,
): Promise<Sample[]> {
  const all = await listSamples(db, taskId);
  return all.filter(
    (s) =>
      (s.split === 'train' || s.split === 'seed') &&
      config.sources.includes(s.source) &&
      (config.languages.length === 0 || config.languages.includes(s.language)),
  );
}

/** The task's validation samples a configuration is calibrated on: live, one of its labels and languages. */
export async function validationSamples(
  db: Database,
  taskId: string,
  labels: readonly string[],
  config: Pick<TrainingConfig, 'languages'>,
): Promise<Sample[]> {
  const known = new Set(labels);
  return (await listSamples(db, taskId, { split: 'validation' })).filter(
    (s) => known.has(s.label) && (config.languages.length === 0 || config.languages.includes(s.language)),
  );
}

/**
 * Calibrates a student just trained on the task's validation split instead of what its
 * training held out (decision 016), when the split has at least {@link MIN_VALIDATION_TEXTS}
 * texts; otherwise leaves the model as it is.
 * @param encoder the loaded encoder for a head (null for ngram)
 * @returns whether the validation split calibrated it
 */
export async function calibrateOnValidation(
  db: Database,
  model: StudentModel,
  validation: readonly Sample[],
  encoder: Encoder | null,
  signal?: AbortSignal,
): Promise<boolean> {
  if (validation.length < MIN_VALIDATION_TEXTS) return false;
  const k = model.labels.length;
  const probabilities = new Float64Array(validation.length * k);
  if (model.kind === 'ngram') {
    validation.forEach((s, i) => probabilities.set(predictNgram(model, s.text), i * k));
  } else {
    if (!encoder) throw new AppError('internal', message('err.needsEncoder'));
    const { vectors } = await embedWithCache(db, encoder, validation, undefined, signal);
    vectors.forEach((x, i) => probabilities.set(predictDense(model, x), i * k));
  }
  const calibration = fitCalibration(
    probabilities,
    validation.map((s) => model.labels.indexOf(s.label)),
    k,
    'validation',
  );
  if (!calibration) return false;
  model.calibration = calibration;
  return true;
}

/**
 * Trains a student on samples (not stored): embeds them first (through the cache) when the
 * student is a head on an encoder.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function fitStudent(
  db: Database,
  samples: readonly Sample[],
  labels: readonly string[],
  config: TrainingConfig,
  encoder: Encoder | null,
  onEvent?: (e: TrainingEvent) => void,
  signal?: AbortSignal,
): Promise<{ model: StudentModel; curve: EpochReport[]; embedded: { cached: number; computed: number } }> {
  const curve: EpochReport[] = [];
  const onEpoch = (report: EpochReport) => {
    curve.push(report);
    onEvent?.({ stage: 'epoch', report });
  };
  const options = { seed: config.seed, onEpoch, ...(signal ? { signal } : {}) };
  if (config.student === 'ngram') {
    const model = await runYielding(
      ngramSteps(
        samples.map((s) => s.text),
        samples.map((s) => s.label),
        labels,
        options,
      ),
    );
    return { model, curve, embedded: { cached: 0, computed: 0 } };
  }
  if (!encoder || !config.encoder) throw new AppError('internal', message('err.needsEncoder'));
  const { vectors, cached } = await embedWithCache(
    db,
    encoder,
    samples,
    (done, c) => onEvent?.({ stage: 'embedding', done, total: samples.length, cached: c }),
    signal,
  );
  const model = await runYielding(
    denseHeadSteps(
      vectors,
      samples.map((s) => s.label),
      labels,
      { ...options, kind: config.student },
    ),
  );
  return { model, curve, embedded: { cached, computed: samples.length - cached } };
}
