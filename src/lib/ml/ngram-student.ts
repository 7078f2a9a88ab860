/**
 * @file The n-gram student: multinomial logistic regression on hashed character and word
 * n-grams, trained with SGD and a linearly decaying learning rate (as fastText does), class
 * weights, and early stopping on a stratified validation split. No download at all; the
 * default student when no encoder is cached.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { createRng } from '../domain/random';
import { DEFAULT_NGRAM, featurize } from './ngram';
import { NgramFeatureStore, unpackRow, type PackedBlock } from './ngram-store';
import {
  classWeights,
  lossAndAccuracy,
  shuffledIndices,
  softmaxInPlace,
  stratifiedSplit,
  runToEnd,
  labelIndices,
  type TrainingSteps,
  type TrainOptions,
} from './training';
import type { EpochReport, NgramConfig } from '../domain/student';

export interface NgramStudentModel {
  kind: 'ngram';
  labels: string[];
  config: NgramConfig;
  /** buckets × labels, row-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface NgramTrainOptions extends TrainOptions {
  /** Starting learning rate (decays linearly to 0). */
  learningRate: number;
  ngram: NgramConfig;
}

/** Tuned on SIB-200 train/dev splits (never on test). */
export const DEFAULT_NGRAM_TRAINING: NgramTrainOptions = {
  seed: 1,
  epochs: 40,
  patience: 6,
  validationShare: 0.1,
  learningRate: 0.8,
  ngram: DEFAULT_NGRAM,
};

/** Softmax of the scores of features `idx[0..n)` with values `val`, into `out`. */
function scores(
  model: Pick<NgramStudentModel, 'weights' | 'bias'>,
  idx: Uint32Array,
  val: Float32Array,
  n: number,
  k: number,
  out: Float64Array,
): void {
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  for (let j = 0; j < n; j++) {
    const row = (idx[j] as number) * k;
    const v = val[j] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (model.weights[row + c] as number);
  }
  softmaxInPlace(out);
}

/** Probability of each label for a text, in `model.labels` order. */
export function predictNgram(model: NgramStudentModel, text: string): Float64Array {
  const out = new Float64Array(model.labels.length);
  const x = featurize(text, model.config);
  scores(model, x.idx, x.val, x.idx.length, model.labels.length, out);
  return out;
}

/**
 * Trains the n-gram student, at once.
 * @param texts training texts
 * @param labelsOfTexts their labels
 * @param labels every label (defines the output order)
 * @param options training options (defaults: {@link DEFAULT_NGRAM_TRAINING})
 */
export function trainNgram(
  texts: readonly string[],
  labelsOfTexts: readonly string[],
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
): NgramStudentModel {
  return runToEnd(ngramSteps(texts, labelsOfTexts, labels, options));
}

/**
 * The training loop of {@link trainNgram}, pausing after each epoch (see {@link runYielding}).
 * @param texts training texts
 * @param labelsOfTexts their labels
 * @param labels every label (defines the output order)
 * @param options training options
 */
export function* ngramSteps(
  texts: readonly string[],
  labelsOfTexts: readonly string[],
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
): TrainingSteps<NgramStudentModel> {
  const o = { ...DEFAULT_NGRAM_TRAINING, ...options };
  const y = labelIndices(labelsOfTexts, labels);
  const store = new NgramFeatureStore(o.ngram);
  texts.forEach((t, i) => store.add(t, y[i] as number));
  store.finish();
  yield;
  return yield* ngramStepsOn(store, labels, options);
}

/**
 * The training loop on texts already in a feature store (the CLI fills one while it reads a
 * file, without keeping the texts). Each epoch visits the blocks in a seeded random order and
 * the rows of each block in a seeded random order; with one block (up to 65,536 texts) that is
 * a shuffle of all rows.
 * @param store the features and classes; its `config` must be `options.ngram`
 * @param labels every label, in class-index order
 * @param options training options
 */
export function* ngramStepsOn(
  store: NgramFeatureStore,
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
): TrainingSteps<NgramStudentModel> {
  const o = { ...DEFAULT_NGRAM_TRAINING, ...options, ngram: store.config };
  const k = labels.length;
  const y = store.y;
  const rng = createRng(o.seed);
  const { train, val } = stratifiedSplit(y, o.validationShare, rng);
  const weightsOf = classWeights(
    train.map((i) => y[i] as number),
    k,
  );
  // The training rows of each block, in ascending order.
  const trainOf: number[][] = Array.from({ length: store.blockCount }, () => []);
  for (let b = 0, at = 0; b < store.blockCount; b++) {
    const { first, rows } = store.range(b);
    while (at < train.length && (train[at] as number) < first + rows)
      (trainOf[b] as number[]).push(train[at++] as number);
  }
  const model: NgramStudentModel = {
    kind: 'ngram',
    labels: [...labels],
    config: o.ngram,
    weights: new Float32Array(o.ngram.buckets * k),
    bias: new Float32Array(k),
  };
  const idx = new Uint32Array(Math.max(store.maxFeatures, 1));
  const xv = new Float32Array(idx.length);
  let best: { loss: number; weights: Float32Array; bias: Float32Array } | null = null;
  let sinceBest = 0;
  const p = new Float64Array(k);
  const steps = o.epochs * train.length;
  let step = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    if (o.signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    let loss = 0;
    for (const b of shuffledIndices(store.blockCount, rng)) {
      const rows = trainOf[b] as number[];
      const order = shuffledIndices(rows.length, rng);
      if (rows.length === 0) continue;
      const block = store.block(b);
      for (const oi of order) {
        const i = rows[oi] as number;
        const n = unpackRow(block, i - block.first, idx, xv);
        const t = y[i] as number;
        const lr = o.learningRate * (1 - step++ / steps);
        scores(model, idx, xv, n, k, p);
        loss -= Math.log(Math.max(p[t] as number, 1e-12));
        const w = weightsOf[t] as number;
        for (let c = 0; c < k; c++) {
          const g = w * ((p[c] as number) - (c === t ? 1 : 0));
          if (g === 0) continue;
          model.bias[c] = (model.bias[c] as number) - lr * g * 0.1;
          for (let j = 0; j < n; j++) {
            const at = (idx[j] as number) * k + c;
            model.weights[at] = (model.weights[at] as number) - lr * g * (xv[j] as number);
          }
        }
      }
    }
    const report: EpochReport = {
      epoch,
      trainLoss: loss / Math.max(train.length, 1),
      valLoss: null,
      valAccuracy: null,
    };
    if (val.length > 0) {
      // Validation rows are visited in ascending order, so each block is read once.
      let block: PackedBlock | null = null;
      let b = -1;
      const v = lossAndAccuracy(
        val,
        y,
        (i, out) => {
          while (!block || i >= block.first + block.rows) block = store.block(++b);
          scores(model, idx, xv, unpackRow(block, i - block.first, idx, xv), k, out);
        },
        k,
      );
      report.valLoss = v.loss;
      report.valAccuracy = v.accuracy;
      if (!best || v.loss < best.loss - 1e-4) {
        best = { loss: v.loss, weights: model.weights.slice(), bias: model.bias.slice() };
        sinceBest = 0;
      } else if (++sinceBest >= o.patience) {
        o.onEpoch?.(report);
        break;
      }
    }
    o.onEpoch?.(report);
    yield;
  }
  if (best) {
    model.weights = best.weights;
    model.bias = best.bias;
  }
  return model;
}
