/**
 * @file Training a student on samples, the wrapper every job that trains shares (training,
 * learning curves, targeted rounds): which samples a configuration takes, and the n-gram
 * student or a head on cached embeddings fitted with live epoch reports.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import type { Sample } from '../domain/sample';
import { computeMetrics } from '../domain/metrics';
import { MIN_VALIDATION_TEXTS, type EpochReport, type HumanWeighting, type TrainingConfig } from '../domain/student';
import { HUMAN_WEIGHT } from '../ml/active-learning';
import type { StudentModel } from '../ml/classifier-file';
import { fitCalibration } from '../ml/calibration';
import { denseHeadSteps, predictDense } from '../ml/dense-head';
import { trainNgramAnywhere } from '../ml/ngram-label-solver';
import { predictNgram } from '../ml/ngram-student';
import { argmax, runYielding } from '../ml/training';
import type { Database } from '../storage/db';
import { listSamples } from '../storage/samples-repo';
import { embedWithCache } from './features';

export type TrainingEvent =
  | { stage: 'embedding'; done: number; total: number; cached: number }
  | { stage: 'epoch'; report: EpochReport }
  /** Trying how much a person's label counts: `done` of `total` weights tried on the validation split. */
  | { stage: 'weighing'; weight: number; done: number; total: number }
  /** The n-gram student's labels being solved on several threads: `solved` of `labels`. */
  | { stage: 'solving'; solved: number; labels: number; solvers: number }
  /** The solvers could not start or stopped (`reason`): this thread trains again from the first pass. */
  | { stage: 'restarted'; reason: string };

/** Weights of a person's label against a synthetic sample tried on the validation split, in order. */
export const HUMAN_WEIGHTS = [1, 2, 5, 10] as const;

/** Whether a sample's label comes from a person (imported, typed, labelled from the pool). */
const byPerson = (s: Sample) => s.source === 'human';

/** People's labels and others (synthetic, edited) together: the only case a weight changes anything. */
function mixed(samples: readonly Sample[]): boolean {
  const human = samples.filter(byPerson).length;
  return human > 0 && human < samples.length;
}

/**
 * Each sample's weight in training: `humanWeight` for a person's label, 1 for a synthetic or
 * edited sample; undefined when they are not mixed (a weight would change nothing).
 */
export function sampleWeightsFor(samples: readonly Sample[], humanWeight: number): Float32Array | undefined {
  if (!mixed(samples) || humanWeight === 1) return undefined;
  return Float32Array.from(samples, (s) => (byPerson(s) ? humanWeight : 1));
}

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
  humanWeight = 1,
): Promise<{
  model: StudentModel;
  curve: EpochReport[];
  embedded: { cached: number; computed: number };
  /** How many threads solved the n-gram student's labels (1 for every other student). */
  solvers: number;
}> {
  const curve: EpochReport[] = [];
  const onEpoch = (report: EpochReport) => {
    curve.push(report);
    onEvent?.({ stage: 'epoch', report });
  };
  const sampleWeights = sampleWeightsFor(samples, humanWeight);
  const options = {
    seed: config.seed,
    onEpoch,
    ...(signal ? { signal } : {}),
    ...(sampleWeights ? { sampleWeights } : {}),
  };
  if (config.student === 'ngram') {
    const { model, solvers } = await trainNgramAnywhere(
      samples.map((s) => s.text),
      samples.map((s) => s.label),
      labels,
      options,
      (p) => onEvent?.({ stage: 'solving', solved: p.solved, labels: p.labels, solvers: p.solvers }),
      // Solvers that failed: this thread starts from the first pass again.
      (reason) => {
        curve.length = 0;
        onEvent?.({ stage: 'restarted', reason });
      },
    );
    return { model, curve, embedded: { cached: 0, computed: 0 }, solvers };
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
  return { model, curve, embedded: { cached, computed: samples.length - cached }, solvers: 1 };
}

/**
 * Trains a student on samples where people's labels and synthetic ones are mixed, with the
 * weight of a person's label chosen on the validation split (decision 018): each of
 * {@link HUMAN_WEIGHTS} is tried, the one with the best macro-F1 on the validation texts kept
 * (ties: the smaller weight). Without enough validation texts, {@link HUMAN_WEIGHT}; when the
 * samples are not mixed, no weighting. The kept fit's epoch reports are replayed to `onEvent`.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function fitWeighted(
  db: Database,
  samples: readonly Sample[],
  labels: readonly string[],
  config: TrainingConfig,
  encoder: Encoder | null,
  validation: readonly Sample[],
  onEvent?: (e: TrainingEvent) => void,
  signal?: AbortSignal,
): Promise<Awaited<ReturnType<typeof fitStudent>> & { humanWeight: HumanWeighting | null }> {
  if (!mixed(samples))
    return { ...(await fitStudent(db, samples, labels, config, encoder, onEvent, signal)), humanWeight: null };
  if (validation.length < MIN_VALIDATION_TEXTS)
    return {
      ...(await fitStudent(db, samples, labels, config, encoder, onEvent, signal, HUMAN_WEIGHT)),
      humanWeight: { weight: HUMAN_WEIGHT, chosenOn: 'default' },
    };
  const truth = validation.map((s) => s.label);
  let vectors: Float32Array[] | null = null;
  if (config.student !== 'ngram') {
    if (!encoder) throw new AppError('internal', message('err.needsEncoder'));
    vectors = (await embedWithCache(db, encoder, validation, undefined, signal)).vectors;
  }
  let best: { fit: Awaited<ReturnType<typeof fitStudent>>; weight: number; f1: number } | null = null;
  // Embedding progress is shown once, and a fall back to one thread; the tries' epochs are not
  // (the kept one's are replayed).
  const quiet = (e: TrainingEvent) => {
    if (e.stage === 'embedding' || e.stage === 'restarted') onEvent?.(e);
  };
  for (const [i, weight] of HUMAN_WEIGHTS.entries()) {
    onEvent?.({ stage: 'weighing', weight, done: i, total: HUMAN_WEIGHTS.length });
    const fit = await fitStudent(db, samples, labels, config, encoder, quiet, signal, weight);
    const { model } = fit;
    const predicted = validation.map((s, j) => {
      const p =
        model.kind === 'ngram'
          ? predictNgram(model, s.text)
          : predictDense(model, (vectors as Float32Array[])[j] as Float32Array);
      return model.labels[argmax(p)] as string;
    });
    const f1 = computeMetrics(labels, truth, predicted).macroF1;
    if (!best || f1 > best.f1 + 1e-12) best = { fit, weight, f1 };
  }
  const kept = best as NonNullable<typeof best>;
  onEvent?.({ stage: 'weighing', weight: kept.weight, done: HUMAN_WEIGHTS.length, total: HUMAN_WEIGHTS.length });
  for (const report of kept.fit.curve) onEvent?.({ stage: 'epoch', report });
  return { ...kept.fit, humanWeight: { weight: kept.weight, chosenOn: 'validation' } };
}
