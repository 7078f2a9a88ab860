/**
 * @file The n-gram student: a linear classifier on TF-IDF character and word n-grams, the
 * classical text classifier at its strongest (decision 012). Each label gets a one-vs-rest
 * L2-regularized squared-hinge SVM (scikit-learn's `LinearSVC`) on features scaled by that
 * label's naive-Bayes log-count ratios (NBSVM, Wang & Manning 2012), with balanced class
 * weights, solved to convergence by dual coordinate descent (Hsieh et al. 2008, as liblinear
 * does). Scores become probabilities through one softmax temperature fitted to leave-one-out
 * estimates of the training scores, so they are not the overconfident in-sample ones; the same
 * estimates give the accuracy reported after training and the student's calibration
 * (`ml/calibration.ts`) when no validation split replaces it. No download at all; the default student
 * when no encoder is cached.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { createRng } from '../domain/random';
import { fitCalibration, fitTemperature } from './calibration';
import { DEFAULT_NGRAM, featurize } from './ngram';
import { NgramFeatureStore } from './ngram-store';
import { columnsOf, TfidfMatrix, tfidfOfText, valuesOf, type BlockSource } from './tfidf';
import {
  labelIndices,
  lossAndAccuracy,
  runToEnd,
  shuffledIndices,
  softmaxInPlace,
  type TrainingSteps,
} from './training';
import type { Calibration, EpochReport, NgramConfig } from '../domain/student';

export interface NgramStudentModel {
  kind: 'ngram';
  labels: string[];
  config: NgramConfig;
  /** The hash buckets the model has weights for, ascending. */
  features: Uint32Array;
  /** Each feature's inverse document frequency; null for a version 1 model (log counts, no idf). */
  idf: Float32Array | null;
  /** features × labels, row-major. */
  weights: Float32Array;
  bias: Float32Array;
  /** Scores are multiplied by this before the softmax (1 for version 1). */
  temperature: number;
  /** Applied to the probabilities by `ml/student.ts` (absent in files made before it). */
  calibration?: Calibration;
}

export interface NgramTrainOptions {
  seed: number;
  /** Most passes of the solver over the data. */
  epochs: number;
  /** How much each sample's loss counts against the weights' size (scikit-learn's `C`). */
  C: number;
  /** A label's solver stops once its projected gradients lie within this (liblinear's `eps`). */
  tolerance: number;
  /** Smoothing of the naive-Bayes log-count ratios; 0 leaves the features unscaled. */
  nbAlpha: number;
  /** Most features kept (the most frequent ones), which bounds the model's size. */
  maxFeatures: number;
  /**
   * How much of a row's own pull on the weights is taken back for its leave-one-out score (1:
   * all of it, which overstates the change, as the other rows would make up part of it).
   */
  takeBack: number;
  ngram: NgramConfig;
  /**
   * How much each training row's loss counts (e.g. a person's label against a synthetic one),
   * in row order; absent: 1 each. Label balance is over the weights' sums.
   */
  sampleWeights?: Float32Array;
  onEpoch?: (r: EpochReport) => void;
  signal?: AbortSignal;
}

/**
 * Chosen on development data only (SIB-200 dev splits, a 20% hold-out of the seed paper's
 * synthetic files; `scripts/tune-ngram.ts`), never on test.
 */
export const DEFAULT_NGRAM_TRAINING: NgramTrainOptions = {
  seed: 1,
  epochs: 200,
  C: 1,
  tolerance: 0.1,
  nbAlpha: 1,
  maxFeatures: 1 << 19,
  takeBack: 0.8,
  ngram: DEFAULT_NGRAM,
};

const columnCache = new WeakMap<NgramStudentModel, Map<number, number>>();

/** Each feature's row in the weights. */
function rowsOf(model: NgramStudentModel): Map<number, number> {
  let rows = columnCache.get(model);
  if (!rows) {
    rows = columnsOf(model);
    columnCache.set(model, rows);
  }
  return rows;
}

/**
 * A text's score for each label, before the temperature and softmax.
 * @param model the student
 * @param text the text
 * @param out receives one score per label
 */
export function ngramScores(model: NgramStudentModel, text: string, out: Float64Array): void {
  const k = model.labels.length;
  const rows = rowsOf(model);
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  const add = (row: number, v: number) => {
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (model.weights[row * k + c] as number);
  };
  if (model.idf) {
    const x = tfidfOfText(text, model.config, rows, model.idf);
    for (let e = 0; e < x.n; e++) add(x.cols[e] as number, x.vals[e] as number);
  } else {
    // Version 1: every n-gram counts in the norm; only the ones with weights add to the scores.
    const x = featurize(text, model.config);
    x.idx.forEach((h, e) => {
      const row = rows.get(h);
      if (row !== undefined) add(row, x.val[e] as number);
    });
  }
}

/** Probability of each label for a text, in `model.labels` order. */
export function predictNgram(model: NgramStudentModel, text: string): Float64Array {
  const out = new Float64Array(model.labels.length);
  ngramScores(model, text, out);
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) * model.temperature;
  softmaxInPlace(out);
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
 * The training loop of {@link trainNgram}, pausing after each pass (see {@link runYielding}).
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
  const store = featureStoreOf(texts, labelsOfTexts, labels, options);
  yield;
  return yield* ngramStepsOn(store, labels, options);
}

/** The training texts' features and classes, ready for {@link prepareNgram}. */
export function featureStoreOf(
  texts: readonly string[],
  labelsOfTexts: readonly string[],
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
): NgramFeatureStore {
  const y = labelIndices(labelsOfTexts, labels);
  const store = new NgramFeatureStore(options.ngram ?? DEFAULT_NGRAM_TRAINING.ngram);
  texts.forEach((t, i) => store.add(t, y[i] as number));
  store.finish();
  return store;
}

/**
 * The training loop on texts already in a feature store (the CLI fills one while it reads a
 * file, without keeping the texts): {@link prepareNgram}, {@link solveLabels} for every label,
 * {@link finishNgram}.
 * @param store the features and classes; its `config` must be `options.ngram`
 * @param labels every label, in class-index order
 * @param options training options
 */
export function* ngramStepsOn(
  store: NgramFeatureStore,
  labels: readonly string[],
  options: Partial<NgramTrainOptions> = {},
): TrainingSteps<NgramStudentModel> {
  const { matrix, setup } = prepareNgram(store, labels.length, options);
  yield;
  const state = solverState(setup, labels.keys());
  const last = yield* solveLabels(matrix, setup, [...labels.keys()], state, options);
  return finishNgram(matrix, setup, state, labels, last, options);
}

/**
 * What every label's solver shares, found once from the training matrix. Plain data (typed
 * arrays and numbers), so the CLI can hand it to its solver threads.
 */
export interface NgramSolverSetup {
  rows: number;
  labels: number;
  features: number;
  y: Uint16Array;
  sampleWeights: Float32Array | null;
  /** Each label's naive-Bayes ratios, squared (empty for a label whose solver runs elsewhere). */
  scaleSquared: Float64Array[];
  /** The dual's diagonal term for each label's own rows and for the rest. */
  diagPos: Float64Array;
  diagNeg: Float64Array;
  seed: number;
  epochs: number;
  tolerance: number;
}

/**
 * Where the solvers keep their work. Each label's part is its own (its weights, its stretch
 * of `alpha` and `squared`), so labels solved on different threads can be put together.
 */
export interface NgramSolverState {
  /** Each label's weights on the unscaled features (empty for a label not solved here). */
  w: Float64Array[];
  bias: Float64Array;
  /** Per label and row (float32: a file of millions of rows keeps them in memory). */
  alpha: Float32Array;
  /** Each row's squared length in each label's scaled space, plus 1 for the bias. */
  squared: Float32Array;
}

/** Empty solver state, with weights for the labels in `solved`. */
export function solverState(setup: NgramSolverSetup, solved: Iterable<number>): NgramSolverState {
  const w = Array.from({ length: setup.labels }, () => new Float64Array(0));
  for (const c of solved) w[c] = new Float64Array(setup.features);
  return {
    w,
    bias: new Float64Array(setup.labels),
    alpha: new Float32Array(setup.labels * setup.rows),
    squared: new Float32Array(setup.labels * setup.rows),
  };
}

/**
 * The training matrix and what every label's solver shares: naive-Bayes ratios and balanced
 * weights.
 * @param store the features and classes (used up)
 * @param k how many labels
 * @param options training options; `shared` keeps the matrix in shared memory (for threads)
 */
export function prepareNgram(
  store: NgramFeatureStore,
  k: number,
  options: Partial<NgramTrainOptions> & { shared?: boolean } = {},
): { matrix: TfidfMatrix; setup: NgramSolverSetup } {
  const o = { ...DEFAULT_NGRAM_TRAINING, ...options, ngram: store.config };
  const matrix = new TfidfMatrix(store, o.maxFeatures, { ...store.spillOptions, shared: options.shared === true });
  const n = matrix.rows;
  const y = matrix.y;
  const nf = matrix.vocabulary.features.length;

  // Naive-Bayes log-count ratios: how much more often each feature appears in a label's rows
  // than in the others', smoothed.
  const inClass = new Float64Array(k * nf);
  const sw = o.sampleWeights;
  if (sw && sw.length !== n) throw new AppError('internal', `${sw.length} sample weights for ${n} rows`);
  // Each label's share of the rows, by weight (the balance of the binary problems).
  const perClass = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = sw ? (sw[i] as number) : 1;
    perClass[y[i] as number] = (perClass[y[i] as number] as number) + wi;
    total += wi;
  }
  for (let b = 0; b < matrix.blockCount; b++) {
    const block = matrix.block(b);
    for (let r = 0; r < block.rows; r++) {
      const base = (y[block.first + r] as number) * nf;
      for (let e = block.offsets[r] as number; e < (block.offsets[r + 1] as number); e += 2)
        inClass[base + (block.entries[e] as number)] = (inClass[base + (block.entries[e] as number)] as number) + 1;
    }
  }
  const totalDf = matrix.df.reduce((a, b) => a + b, 0);
  // Each label's ratios, squared: a coordinate step moves the weights on the unscaled features
  // (the SVM's own weights times the ratios, so a score is one sparse dot product) by them.
  const scaleSquared: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const u2 = new Float64Array(nf).fill(1);
    if (o.nbAlpha > 0) {
      let pSum = 0;
      for (let j = 0; j < nf; j++) pSum += inClass[c * nf + j] as number;
      const qSum = totalDf - pSum + o.nbAlpha * nf;
      pSum += o.nbAlpha * nf;
      for (let j = 0; j < nf; j++) {
        const p = (inClass[c * nf + j] as number) + o.nbAlpha;
        const q = (matrix.df[j] as number) - (inClass[c * nf + j] as number) + o.nbAlpha;
        u2[j] = Math.log(p / pSum / (q / qSum)) ** 2;
      }
    }
    scaleSquared.push(u2);
  }

  // One binary problem per label, balanced weights for its rows and the rest: the dual's
  // diagonal term is 1 / (2 C) for a row of weight C (times the row's own sample weight).
  const diagPos = new Float64Array(k);
  const diagNeg = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const pos = perClass[c] as number;
    diagPos[c] = 0.5 / (pos > 0 ? (o.C * total) / (2 * pos) : o.C);
    diagNeg[c] = 0.5 / (total - pos > 0 ? (o.C * total) / (2 * (total - pos)) : o.C);
  }
  return {
    matrix,
    setup: {
      rows: n,
      labels: k,
      features: nf,
      y,
      sampleWeights: sw ?? null,
      scaleSquared,
      diagPos,
      diagNeg,
      seed: o.seed,
      epochs: o.epochs,
      tolerance: o.tolerance,
    },
  };
}

/**
 * Solves the binary problems of the labels in `which` by dual coordinate descent, pausing after
 * each pass. Each pass visits the blocks in a seeded random order and the rows of each block in
 * a seeded random order (with one block, up to 65,536 texts, a shuffle of all rows). The order
 * depends only on the seed and the pass, so a label's weights are the same whichever labels are
 * solved with it: solved on several threads, the student is the one solved on one.
 * @param matrix the training rows
 * @param setup what the labels' solvers share (`scaleSquared` filled for the labels in `which`)
 * @param which the labels to solve
 * @param state receives their weights, bias, dual variables and squared lengths
 * @param options `onEpoch` after each pass, `signal` to stop
 * @returns the last pass's report
 */
export function* solveLabels(
  matrix: BlockSource,
  setup: NgramSolverSetup,
  which: readonly number[],
  state: NgramSolverState,
  options: Pick<Partial<NgramTrainOptions>, 'onEpoch' | 'signal'> = {},
): Generator<void, EpochReport, void> {
  const { rows: n, labels: k, y, scaleSquared, diagPos, diagNeg } = setup;
  const sw = setup.sampleWeights;
  const { w, bias, alpha, squared } = state;
  const rng = createRng(setup.seed);
  // Shrinking (as liblinear does): a row whose dual variable is 0 and whose gradient is past the
  // last pass's largest is set aside for its label; a label that seems converged is checked
  // once more on all its rows before it stops. (With no upper bound on the dual variables, the
  // squared hinge needs no lower threshold.)
  const active = new Uint8Array(k);
  for (const c of which) active[c] = 1;
  const asleep = new Uint8Array(k * n);
  const sleeping = new Float64Array(k);
  const pgMaxOld = new Float64Array(k).fill(Infinity);
  let last: EpochReport = { epoch: 0, trainLoss: 0, valLoss: null, valAccuracy: null };
  for (let pass = 1; pass <= setup.epochs; pass++) {
    if (options.signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    const gMax = new Float64Array(k).fill(-Infinity);
    const gMin = new Float64Array(k).fill(Infinity);
    let loss = 0;
    let labelsVisited = 0;
    for (let c = 0; c < k; c++) labelsVisited += active[c] as number;
    for (const b of shuffledIndices(matrix.blockCount, rng)) {
      const block = matrix.block(b);
      const vals = valuesOf(block);
      const { entries, offsets } = block;
      const order = shuffledIndices(block.rows, rng);
      for (let c = 0; c < k; c++) {
        if (!active[c]) continue;
        const u2 = scaleSquared[c] as Float64Array;
        const wc = w[c] as Float64Array;
        const maxOld = pgMaxOld[c] as number;
        for (const r of order) {
          const i = block.first + r;
          const at = c * n + i;
          if (asleep[at]) continue;
          const positive = y[i] === c;
          const yi = positive ? 1 : -1;
          const start = offsets[r] as number;
          const end = offsets[r + 1] as number;
          let dot = bias[c] as number;
          if (pass === 1) {
            let length = 1;
            for (let e = start; e < end; e += 2) {
              const j = entries[e] as number;
              const v = vals[e + 1] as number;
              dot += (wc[j] as number) * v;
              length += (u2[j] as number) * v * v;
            }
            squared[at] = length;
          } else
            for (let e = start; e < end; e += 2) dot += (wc[entries[e] as number] as number) * (vals[e + 1] as number);
          const margin = yi * dot;
          if (margin < 1) loss += (1 - margin) * (1 - margin);
          const d = (positive ? (diagPos[c] as number) : (diagNeg[c] as number)) / (sw ? (sw[i] as number) : 1);
          const a = alpha[at] as number;
          const g = margin - 1 + d * a;
          let pg = g;
          if (a === 0) {
            if (g > maxOld) {
              asleep[at] = 1;
              sleeping[c] = (sleeping[c] as number) + 1;
              continue;
            }
            if (g > 0) pg = 0;
          }
          if (pg > (gMax[c] as number)) gMax[c] = pg;
          if (pg < (gMin[c] as number)) gMin[c] = pg;
          if (Math.abs(pg) <= 1e-12) continue;
          const next = Math.fround(Math.max(a - g / ((squared[at] as number) + d), 0));
          alpha[at] = next;
          const step = (next - a) * yi;
          if (step === 0) continue;
          for (let e = start; e < end; e += 2) {
            const j = entries[e] as number;
            wc[j] = (wc[j] as number) + step * (u2[j] as number) * (vals[e + 1] as number);
          }
          bias[c] = (bias[c] as number) + step;
        }
      }
    }
    let still = 0;
    for (let c = 0; c < k; c++) {
      if (!active[c]) continue;
      const gap = (gMax[c] as number) - (gMin[c] as number);
      if (gap <= setup.tolerance) {
        if (sleeping[c] === 0) active[c] = 0;
        else {
          // Wake every row and look again with no shrinking threshold.
          asleep.fill(0, c * n, (c + 1) * n);
          sleeping[c] = 0;
          pgMaxOld[c] = Infinity;
        }
      } else {
        pgMaxOld[c] = (gMax[c] as number) <= 0 ? Infinity : (gMax[c] as number);
      }
      still += active[c] as number;
    }
    // Rows set aside have no loss (their margin is past 1), so the mean is over every row.
    last = { epoch: pass, trainLoss: loss / Math.max(n * labelsVisited, 1), valLoss: null, valAccuracy: null };
    if (still === 0 || pass === setup.epochs) break;
    options.onEpoch?.(last);
    yield;
  }
  return last;
}

/**
 * The student from its solved labels: weights on the unscaled features, and the leave-one-out
 * estimate of each training row's scores (a row's own pull on the weights taken back), which
 * fits the temperature and the calibration.
 * @param matrix the training rows
 * @param setup what the solvers shared
 * @param state every label solved
 * @param labels every label, in class-index order
 * @param last the last pass's report
 * @param options training options
 */
export function finishNgram(
  matrix: TfidfMatrix,
  setup: NgramSolverSetup,
  state: NgramSolverState,
  labels: readonly string[],
  last: EpochReport,
  options: Partial<NgramTrainOptions> = {},
): NgramStudentModel {
  const o = { ...DEFAULT_NGRAM_TRAINING, ...options, ngram: matrix.config };
  const { rows: n, labels: k, features: nf, y } = setup;
  const { w, bias, alpha, squared } = state;
  const weights = new Float32Array(nf * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < nf; j++) weights[j * k + c] = (w[c] as Float64Array)[j] as number;
  const held = new Float32Array(n * k);
  for (let b = 0; b < matrix.blockCount; b++) {
    const block = matrix.block(b);
    const vals = valuesOf(block);
    for (let r = 0; r < block.rows; r++) {
      const i = block.first + r;
      for (let c = 0; c < k; c++) held[i * k + c] = bias[c] as number;
      for (let e = block.offsets[r] as number; e < (block.offsets[r + 1] as number); e += 2) {
        const j = block.entries[e] as number;
        const v = vals[e + 1] as number;
        for (let c = 0; c < k; c++) held[i * k + c] = (held[i * k + c] as number) + v * (weights[j * k + c] as number);
      }
      for (let c = 0; c < k; c++) {
        const yi = y[i] === c ? 1 : -1;
        const a = alpha[c * n + i] as number;
        held[i * k + c] = (held[i * k + c] as number) - o.takeBack * a * yi * (squared[c * n + i] as number);
      }
    }
  }
  const temperature = fitTemperature(held, y, k);
  // The last pass's report carries the leave-one-out estimates.
  // The leave-one-out probabilities, in place of the scores.
  for (let i = 0; i < n; i++) {
    const p = held.subarray(i * k, i * k + k);
    for (let c = 0; c < k; c++) p[c] = temperature * (p[c] as number);
    softmaxInPlace(p);
  }
  const estimate = lossAndAccuracy(
    Array.from({ length: n }, (_, i) => i),
    y,
    (i, p) => p.set(held.subarray(i * k, i * k + k)),
    k,
  );
  const calibration = fitCalibration(held, y, k, 'leave-one-out');
  o.onEpoch?.({
    ...last,
    valLoss: estimate.loss,
    valAccuracy: estimate.accuracy,
    heldOut: 'leave-one-out',
  });
  return {
    kind: 'ngram',
    labels: [...labels],
    config: o.ngram,
    features: matrix.vocabulary.features,
    idf: matrix.vocabulary.idf,
    weights,
    bias: Float32Array.from(bias),
    temperature,
    ...(calibration ? { calibration } : {}),
  };
}
