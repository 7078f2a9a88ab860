/**
 * @file Classifier heads on frozen sentence embeddings: multinomial logistic regression and a
 * one-hidden-layer MLP (ReLU), trained with Adam on mini-batches, L2, class weights and early
 * stopping on a stratified validation split, which then calibrates its probabilities
 * (`ml/calibration.ts`). Deterministic for a seed.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { createRng, uniformArray } from '../domain/random';
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
import type { Calibration, EpochReport } from '../domain/student';
import { fitCalibration } from './calibration';

export interface DenseHeadModel {
  kind: 'logreg' | 'mlp';
  labels: string[];
  inputDim: number;
  /** Hidden units (0 for logistic regression). */
  hidden: number;
  /** logreg: W2 is inputDim × k. mlp: W1 is inputDim × hidden, W2 is hidden × k. Row-major. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  /** Applied to the probabilities by `ml/student.ts` (absent when too few samples were held out). */
  calibration?: Calibration;
}

export interface DenseTrainOptions extends TrainOptions {
  kind: 'logreg' | 'mlp';
  hidden: number;
  learningRate: number;
  l2: number;
  batchSize: number;
  /** How much each sample's loss counts, in sample order; absent: 1 each. Class weights are over their sums. */
  sampleWeights?: Float32Array;
}

export const DEFAULT_DENSE_TRAINING: DenseTrainOptions = {
  kind: 'logreg',
  hidden: 128,
  seed: 1,
  epochs: 200,
  patience: 15,
  validationShare: 0.1,
  learningRate: 0.01,
  l2: 1e-4,
  batchSize: 32,
};

/** A validation loss counts as better when it is this share below the best so far. */
const MIN_IMPROVEMENT = 1e-3;

/**
 * Logistic regression has a convex loss: a larger step and shorter patience reach the same
 * validation macro-F1 in about half the epochs (checked on projected SIB-200 n-gram features and
 * the synthetic 5k × 384 benchmark). The MLP loses accuracy with them, so it keeps the defaults.
 */
const DEFAULTS_BY_KIND: Record<DenseHeadModel['kind'], Partial<DenseTrainOptions>> = {
  logreg: { learningRate: 0.03, patience: 8 },
  mlp: {},
};

/** Forward pass: fills `h` (hidden activations, mlp only) and `p` (probabilities). */
function forward(m: DenseHeadModel, x: Float32Array, h: Float32Array, p: Float64Array): void {
  const k = m.labels.length;
  let input = x;
  let dim = m.inputDim;
  // Loops run along rows of the row-major weights (contiguous memory): several times faster
  // than walking down columns.
  if (m.hidden > 0) {
    const H = m.hidden;
    for (let j = 0; j < H; j++) h[j] = m.b1[j] as number;
    for (let i = 0; i < m.inputDim; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      const row = i * H;
      for (let j = 0; j < H; j++) h[j] = (h[j] as number) + xi * (m.w1[row + j] as number);
    }
    for (let j = 0; j < H; j++) if ((h[j] as number) < 0) h[j] = 0;
    input = h;
    dim = H;
  }
  for (let c = 0; c < k; c++) p[c] = m.b2[c] as number;
  for (let i = 0; i < dim; i++) {
    const v = input[i] as number;
    if (v === 0) continue;
    const row = i * k;
    for (let c = 0; c < k; c++) p[c] = (p[c] as number) + v * (m.w2[row + c] as number);
  }
  softmaxInPlace(p);
}

/** Probability of each label for one embedding, in `model.labels` order. */
export function predictDense(model: DenseHeadModel, x: Float32Array): Float64Array {
  const p = new Float64Array(model.labels.length);
  forward(model, x, new Float32Array(Math.max(model.hidden, 1)), p);
  return p;
}

class Adam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  t = 0;
  constructor(size: number) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
  step(param: Float32Array, grad: Float32Array, lr: number, l2: number, t: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = 0; i < param.length; i++) {
      const g = (grad[i] as number) + l2 * (param[i] as number);
      this.m[i] = b1 * (this.m[i] as number) + (1 - b1) * g;
      this.v[i] = b2 * (this.v[i] as number) + (1 - b2) * g * g;
      param[i] =
        (param[i] as number) - (lr * ((this.m[i] as number) / c1)) / (Math.sqrt((this.v[i] as number) / c2) + 1e-8);
    }
  }
}

/**
 * Trains a head on embeddings, at once.
 * @param xs one embedding per sample (all of the same length)
 * @param labelsOfXs their labels
 * @param labels every label (defines the output order)
 * @param options training options (defaults: {@link DEFAULT_DENSE_TRAINING})
 */
export function trainDenseHead(
  xs: readonly Float32Array[],
  labelsOfXs: readonly string[],
  labels: readonly string[],
  options: Partial<DenseTrainOptions> = {},
): DenseHeadModel {
  return runToEnd(denseHeadSteps(xs, labelsOfXs, labels, options));
}

/**
 * The training loop of {@link trainDenseHead}, pausing after each epoch (see {@link runYielding}).
 * @param xs one embedding per sample (all of the same length)
 * @param labelsOfXs their labels
 * @param labels every label (defines the output order)
 * @param options training options
 */
export function* denseHeadSteps(
  xs: readonly Float32Array[],
  labelsOfXs: readonly string[],
  labels: readonly string[],
  options: Partial<DenseTrainOptions> = {},
): TrainingSteps<DenseHeadModel> {
  const kind = options.kind ?? DEFAULT_DENSE_TRAINING.kind;
  const o = { ...DEFAULT_DENSE_TRAINING, ...DEFAULTS_BY_KIND[kind], ...options };
  const k = labels.length;
  const y = labelIndices(labelsOfXs, labels);
  const d = (xs[0] as Float32Array).length;
  const rng = createRng(o.seed);
  const hidden = o.kind === 'mlp' ? o.hidden : 0;
  const inner = hidden > 0 ? hidden : d;
  const model: DenseHeadModel = {
    kind: o.kind,
    labels: [...labels],
    inputDim: d,
    hidden,
    // He initialization for the ReLU layer, small uniform for the output layer.
    w1: hidden > 0 ? uniformArray(rng, d * hidden, Math.sqrt(6 / d)) : new Float32Array(0),
    b1: new Float32Array(hidden),
    w2: uniformArray(rng, inner * k, Math.sqrt(6 / (inner + k)) * (hidden > 0 ? 1 : 0.01)),
    b2: new Float32Array(k),
  };
  const { train, val } = stratifiedSplit(y, o.validationShare, rng);
  const sw = o.sampleWeights;
  const cw = classWeights(
    train.map((i) => y[i] as number),
    k,
    sw ? train.map((i) => sw[i] as number) : undefined,
  );
  // Each sample's weight times its class's: what its loss counts.
  const rowWeight = (i: number) => (cw[y[i] as number] as number) * (sw ? (sw[i] as number) : 1);
  // Training keeps the output layer transposed (k × inner, one contiguous row per label), so the
  // hot loops are dot products and axpys along rows of length `inner` rather than strided walks
  // over k columns: about twice as fast. `model.w2` is written back in its file layout at the end.
  let w2t = transpose(model.w2, inner, k);
  const gw1 = new Float32Array(model.w1.length);
  const gb1 = new Float32Array(model.b1.length);
  const gw2t = new Float32Array(w2t.length);
  const gb2 = new Float32Array(k);
  const opt = { w1: new Adam(gw1.length), b1: new Adam(gb1.length), w2: new Adam(gw2t.length), b2: new Adam(k) };
  const h = new Float32Array(Math.max(hidden, 1));
  const dh = new Float32Array(Math.max(hidden, 1));
  const g = new Float64Array(k);
  const p = new Float64Array(k);
  let t = 0;
  let best: { loss: number; w1: Float32Array; b1: Float32Array; w2t: Float32Array; b2: Float32Array } | null = null;
  let sinceBest = 0;

  /** Forward pass on the training layout: fills `h` (mlp) and `out` (probabilities); returns the input of the output layer. */
  const forwardT = (x: Float32Array, out: Float64Array): Float32Array => {
    let input = x;
    if (hidden > 0) {
      for (let j = 0; j < hidden; j++) h[j] = model.b1[j] as number;
      for (let i = 0; i < d; i++) {
        const xi = x[i] as number;
        if (xi === 0) continue;
        const row = i * hidden;
        for (let j = 0; j < hidden; j++) h[j] = (h[j] as number) + xi * (model.w1[row + j] as number);
      }
      for (let j = 0; j < hidden; j++) if ((h[j] as number) < 0) h[j] = 0;
      input = h;
    }
    for (let c = 0; c < k; c++) {
      const row = c * inner;
      let z = model.b2[c] as number;
      for (let j = 0; j < inner; j++) z += (input[j] as number) * (w2t[row + j] as number);
      out[c] = z;
    }
    softmaxInPlace(out);
    return input;
  };
  const evaluate = (idx: readonly number[]) =>
    lossAndAccuracy(idx, y, (i, out) => forwardT(xs[i] as Float32Array, out), k);

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    if (o.signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    const order = shuffledIndices(train.length, rng);
    let epochLoss = 0;
    for (let start = 0; start < order.length; start += o.batchSize) {
      gw1.fill(0);
      gb1.fill(0);
      gw2t.fill(0);
      gb2.fill(0);
      const end = Math.min(start + o.batchSize, order.length);
      const n = end - start;
      for (let b = start; b < end; b++) {
        const i = train[order[b] as number] as number;
        const x = xs[i] as Float32Array;
        const target = y[i] as number;
        const input = forwardT(x, p);
        const weight = rowWeight(i);
        epochLoss -= weight * Math.log(Math.max(p[target] as number, 1e-12));
        if (hidden > 0) dh.fill(0);
        for (let c = 0; c < k; c++) {
          const gc = (weight * ((p[c] as number) - (c === target ? 1 : 0))) / n;
          g[c] = gc;
          gb2[c] = (gb2[c] as number) + gc;
          if (gc === 0) continue;
          const row = c * inner;
          for (let j = 0; j < inner; j++) gw2t[row + j] = (gw2t[row + j] as number) + gc * (input[j] as number);
          if (hidden > 0) for (let j = 0; j < hidden; j++) dh[j] = (dh[j] as number) + gc * (w2t[row + j] as number);
        }
        if (hidden > 0) {
          for (let j = 0; j < hidden; j++) if ((h[j] as number) <= 0) dh[j] = 0;
          for (let j = 0; j < hidden; j++) gb1[j] = (gb1[j] as number) + (dh[j] as number);
          for (let q = 0; q < d; q++) {
            const xq = x[q] as number;
            if (xq === 0) continue;
            const row = q * hidden;
            for (let j = 0; j < hidden; j++) gw1[row + j] = (gw1[row + j] as number) + (dh[j] as number) * xq;
          }
        }
      }
      t++;
      if (hidden > 0) {
        opt.w1.step(model.w1, gw1, o.learningRate, o.l2, t);
        opt.b1.step(model.b1, gb1, o.learningRate, 0, t);
      }
      opt.w2.step(w2t, gw2t, o.learningRate, o.l2, t);
      opt.b2.step(model.b2, gb2, o.learningRate, 0, t);
    }
    const report: EpochReport = {
      epoch,
      trainLoss: epochLoss / Math.max(train.length, 1),
      valLoss: null,
      valAccuracy: null,
    };
    if (val.length > 0) {
      const v = evaluate(val);
      report.valLoss = v.loss;
      report.valAccuracy = v.accuracy;
      if (!best || v.loss < best.loss * (1 - MIN_IMPROVEMENT)) {
        best = { loss: v.loss, w1: model.w1.slice(), b1: model.b1.slice(), w2t: w2t.slice(), b2: model.b2.slice() };
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
    model.w1 = best.w1;
    model.b1 = best.b1;
    model.b2 = best.b2;
    w2t = best.w2t;
  }
  // The held-out samples calibrate the head (unless a validation split does it later).
  const held = new Float64Array(val.length * k);
  val.forEach((i, j) => {
    forwardT(xs[i] as Float32Array, p);
    held.set(p, j * k);
  });
  const calibration = fitCalibration(
    held,
    val.map((i) => y[i] as number),
    k,
    'held-out',
  );
  if (calibration) model.calibration = calibration;
  model.w2 = transpose(w2t, k, inner);
  return model;
}

/** Transposes a rows × cols row-major matrix. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c] as number;
  return out;
}
