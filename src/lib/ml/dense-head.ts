/**
 * @file Classifier heads on frozen sentence embeddings: multinomial logistic regression, fitted
 * by L-BFGS on the whole training set as scikit-learn's `LogisticRegression(lbfgs)` is, and a
 * one-hidden-layer MLP (ReLU) trained with Adam on mini-batches. Both use L2, class weights and
 * per-sample weights, and stop early on a stratified validation split, which then calibrates
 * their probabilities (`ml/calibration.ts`). The matrix products run in the SIMD WebAssembly
 * kernels of `ml/dense-kernels.ts` (float32); losses and the optimizer's bookkeeping in float64.
 * Deterministic for a seed.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { createRng, uniformArray } from '../domain/random';
import {
  argmax,
  classWeights,
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
import { Workspace } from './dense-kernels';

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
  /** Adam's step size (MLP). */
  learningRate: number;
  /**
   * L2 penalty on the weights (not the biases), per unit of mean loss. Logistic regression's
   * default is scikit-learn's `C = 1`: one over the training set's total weight.
   */
  l2: number;
  /** Samples per Adam step (MLP). */
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
 * Logistic regression: an L-BFGS iteration is one "epoch" of the reports; `epochs` caps them
 * (scikit-learn's `max_iter` is 100) and the penalty follows `C = 1` unless `l2` is given.
 */
const DEFAULTS_BY_KIND: Record<DenseHeadModel['kind'], Partial<DenseTrainOptions>> = {
  logreg: { epochs: 100, patience: 10 },
  mlp: {},
};

/** Rows per kernel call when a pass goes over many samples (bounds the workspace). */
const CHUNK = 256;
/** Logistic regression keeps its rows in the kernels' memory up to this many floats (128 MB). */
const RESIDENT_FLOATS = 32 * 1024 * 1024;
/** L-BFGS: curvature pairs kept; Armijo constant; most halvings of a step. */
const HISTORY = 10;
const ARMIJO = 1e-4;
const MAX_HALVINGS = 30;
/** L-BFGS stops when the loss falls by less than this share in an iteration, or the gradient is this small. */
const RELATIVE_TOLERANCE = 1e-7;
const GRADIENT_TOLERANCE = 1e-6;

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

/** What both heads' loops share: labels as indices, the split, each row's weight. */
interface Setup {
  o: DenseTrainOptions;
  k: number;
  d: number;
  y: Uint16Array;
  train: number[];
  val: number[];
  /** Class weight times sample weight, per sample. */
  weight: Float64Array;
  /** The training rows' total weight. */
  trainWeight: number;
  /** The L2 penalty in use. */
  l2: number;
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
  const { train, val } = stratifiedSplit(y, o.validationShare, rng);
  const sw = o.sampleWeights;
  const cw = classWeights(
    train.map((i) => y[i] as number),
    k,
    sw ? train.map((i) => sw[i] as number) : undefined,
  );
  // Each sample's weight times its class's: what its loss counts.
  const weight = Float64Array.from(y, (c, i) => (cw[c] as number) * (sw ? (sw[i] as number) : 1));
  let trainWeight = 0;
  for (const i of train) trainWeight += weight[i] as number;
  trainWeight ||= 1;
  const l2 = options.l2 ?? (kind === 'logreg' ? 1 / trainWeight : o.l2);
  const setup: Setup = { o, k, d, y, train, val, weight, trainWeight, l2 };
  const fitted = o.kind === 'mlp' ? yield* mlpSteps(xs, labels, setup, rng) : yield* logregSteps(xs, labels, setup);
  // The held-out samples calibrate the head (unless a validation split does it later).
  const p = new Float64Array(k);
  const held = new Float64Array(val.length * k);
  const h = new Float32Array(Math.max(fitted.hidden, 1));
  val.forEach((i, j) => {
    forward(fitted, xs[i] as Float32Array, h, p);
    held.set(p, j * k);
  });
  const calibration = fitCalibration(
    held,
    val.map((i) => y[i] as number),
    k,
    'held-out',
  );
  if (calibration) fitted.calibration = calibration;
  return fitted;
}

/** Copies the given samples' embeddings into consecutive rows of `into`. */
function gather(
  xs: readonly Float32Array[],
  rows: ArrayLike<number>,
  from: number,
  to: number,
  into: Float32Array,
  d: number,
): void {
  for (let r = from; r < to; r++) into.set(xs[rows[r] as number] as Float32Array, (r - from) * d);
}

/**
 * Softmax of a chunk's scores (float64): adds each row's cross-entropy times its scale to the
 * returned loss, counts the rows whose top label is right, and writes how far each row's
 * probabilities are from its one-hot label, times its scale, transposed into `gt` (k × rows).
 * @param targets label per row of the whole pass; the chunk's rows start at `from`
 * @param scales loss scale per row of the whole pass
 */
function softmaxRows(
  z: Float32Array,
  rows: number,
  k: number,
  targets: Int32Array,
  scales: Float64Array,
  from: number,
  p: Float64Array,
  gt: Float32Array | null,
): { loss: number; correct: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) p[c] = z[r * k + c] as number;
    softmaxInPlace(p);
    const t = targets[from + r] as number;
    const w = scales[from + r] as number;
    loss -= w * Math.log(Math.max(p[t] as number, 1e-12));
    if (argmax(p) === t) correct++;
    if (gt) for (let c = 0; c < k; c++) gt[c * rows + r] = w * ((p[c] as number) - (c === t ? 1 : 0));
  }
  return { loss, correct };
}

/** Keeps the best parameters by validation loss and says when patience has run out. */
class EarlyStopping {
  best: { loss: number; params: Float32Array[] } | null = null;
  #since = 0;
  constructor(readonly patience: number) {}
  /** Records an epoch's validation loss; true when training should stop. */
  update(loss: number, params: () => Float32Array[]): boolean {
    if (!this.best || loss < this.best.loss * (1 - MIN_IMPROVEMENT)) {
      this.best = { loss, params: params() };
      this.#since = 0;
      return false;
    }
    return ++this.#since >= this.patience;
  }
}

/** Multinomial logistic regression by L-BFGS over all training rows (float64 parameters). */
function* logregSteps(
  xs: readonly Float32Array[],
  labels: readonly string[],
  s: Setup,
): Generator<void, DenseHeadModel, void> {
  const { o, k, d, y, train, val, weight, l2 } = s;
  // The rows stay in the kernels' memory when they fit a budget (no copy per evaluation);
  // otherwise each evaluation copies them in, a chunk at a time.
  const resident = (train.length + val.length) * d <= RESIDENT_FLOATS;
  const rowFloats = resident ? (train.length + val.length) * d : CHUNK * d;
  const ws = new Workspace(rowFloats + CHUNK * k * 2 + 2 * k * d + k, 6);
  const rowsBuf = ws.alloc(rowFloats);
  const zc = ws.alloc(CHUNK * k);
  const gt = ws.alloc(CHUNK * k);
  const wt = ws.alloc(k * d);
  const gwt = ws.alloc(k * d);
  const bias = ws.alloc(k);
  const p = new Float64Array(k);
  const size = k * d + k;
  /** Training rows first, then validation rows, as one list (their place in the resident buffer). */
  const order = [...train, ...val];
  if (resident) gather(xs, order, 0, order.length, rowsBuf.a, d);
  /** Targets and loss scales in that order. */
  const targets = Int32Array.from(order, (i) => y[i] as number);
  const scales = Float64Array.from(order, (i, j) => (j < train.length ? (weight[i] as number) / s.trainWeight : 1));

  /** Loads parameters (Wt row-major k × d, then b) into the kernels' float32 buffers. */
  const load = (theta: Float64Array) => {
    wt.a.set(theta.subarray(0, k * d));
    bias.a.set(theta.subarray(k * d));
  };
  /**
   * Scores rows [start, end) of `order`, chunk by chunk: after each chunk's scores are in `zc`,
   * calls `each(rows in the chunk, first row, the chunk's rows' address)`.
   */
  const scoreRows = (start: number, end: number, each: (n: number, from: number, at: number) => void) => {
    for (let from = start; from < end; from += CHUNK) {
      const n = Math.min(CHUNK, end - from);
      let at = rowsBuf.ptr;
      if (resident) at += from * d * 4;
      else gather(xs, order, from, from + n, rowsBuf.a, d);
      ws.k.gemmNT(at, wt.ptr, zc.ptr, n, d, k, bias.ptr);
      each(n, from, at);
    }
  };
  /** Penalized mean loss at theta; fills `grad`. */
  const lossGrad = (theta: Float64Array, grad: Float64Array): { loss: number; data: number } => {
    load(theta);
    gwt.a.fill(0);
    grad.fill(0);
    let data = 0;
    scoreRows(0, train.length, (n, from, at) => {
      const r = softmaxRows(zc.a, n, k, targets, scales, from, p, gt.a);
      data += r.loss;
      ws.k.gemmNN(gt.ptr, at, gwt.ptr, k, n, d, 1);
      for (let c = 0; c < k; c++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += gt.a[c * n + j] as number;
        grad[k * d + c] = (grad[k * d + c] as number) + sum;
      }
    });
    let penalty = 0;
    for (let i = 0; i < k * d; i++) {
      const w = theta[i] as number;
      penalty += w * w;
      grad[i] = (gwt.a[i] as number) + l2 * w;
    }
    return { loss: data + 0.5 * l2 * penalty, data };
  };
  const validate = (theta: Float64Array) => {
    load(theta);
    let loss = 0;
    let correct = 0;
    scoreRows(train.length, order.length, (n, from) => {
      const r = softmaxRows(zc.a, n, k, targets, scales, from, p, null);
      loss += r.loss;
      correct += r.correct;
    });
    return { loss: loss / val.length, accuracy: correct / val.length };
  };

  let x = new Float64Array(size);
  let g = new Float64Array(size);
  let f = lossGrad(x, g);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const dir = new Float64Array(size);
  const alpha = new Float64Array(HISTORY);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    if (o.signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    // Two-loop recursion: dir = −H·g, H the L-BFGS inverse-Hessian estimate.
    for (let i = 0; i < size; i++) dir[i] = -(g[i] as number);
    for (let h = history.length - 1; h >= 0; h--) {
      const pair = history[h] as (typeof history)[number];
      const a = pair.rho * dot(pair.s, dir);
      alpha[h] = a;
      axpy(-a, pair.y, dir);
    }
    const last = history[history.length - 1];
    if (last) scale(dir, dot(last.s, last.y) / dot(last.y, last.y));
    for (let h = 0; h < history.length; h++) {
      const pair = history[h] as (typeof history)[number];
      const b = pair.rho * dot(pair.y, dir);
      axpy((alpha[h] as number) - b, pair.s, dir);
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      history.length = 0;
      for (let i = 0; i < size; i++) dir[i] = -(g[i] as number);
      slope = dot(g, dir);
    }
    // Backtracking (Armijo); the first step is scaled to the gradient, as no curvature is known yet.
    let step = last ? 1 : Math.min(1, 1 / Math.sqrt(-slope));
    const next = new Float64Array(size);
    const gNext = new Float64Array(size);
    let fNext = f;
    let accepted = false;
    for (let tries = 0; tries < MAX_HALVINGS; tries++) {
      for (let i = 0; i < size; i++) next[i] = (x[i] as number) + step * (dir[i] as number);
      fNext = lossGrad(next, gNext);
      if (fNext.loss <= f.loss + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
    const sv = new Float64Array(size);
    const yv = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      sv[i] = (next[i] as number) - (x[i] as number);
      yv[i] = (gNext[i] as number) - (g[i] as number);
    }
    const sy = dot(sv, yv);
    if (sy > 1e-12) {
      history.push({ s: sv, y: yv, rho: 1 / sy });
      if (history.length > HISTORY) history.shift();
    }
    const fell = (f.loss - fNext.loss) / Math.max(Math.abs(f.loss), Math.abs(fNext.loss), 1e-12);
    x = next;
    g = gNext;
    f = fNext;
    const report: EpochReport = { epoch, trainLoss: f.data, valLoss: null, valAccuracy: null };
    const stop = fell < RELATIVE_TOLERANCE || maxAbs(g) < GRADIENT_TOLERANCE;
    if (val.length > 0) {
      const v = validate(x);
      report.valLoss = v.loss;
      report.valAccuracy = v.accuracy;
    }
    o.onEpoch?.(report);
    if (stop) break;
    yield;
  }
  const kept = Float32Array.from(x);
  return {
    kind: 'logreg',
    labels: [...labels],
    inputDim: d,
    hidden: 0,
    w1: new Float32Array(0),
    b1: new Float32Array(0),
    // The file keeps W as inputDim × k.
    w2: transpose(kept.subarray(0, k * d), k, d),
    b2: kept.slice(k * d),
  };
}

/** One-hidden-layer MLP by Adam on mini-batches; every product in the kernels. */
function* mlpSteps(
  xs: readonly Float32Array[],
  labels: readonly string[],
  s: Setup,
  rng: () => number,
): Generator<void, DenseHeadModel, void> {
  const { o, k, d, y, train, val, weight } = s;
  const hdim = o.hidden;
  const bsz = Math.max(1, Math.min(o.batchSize, train.length));
  const rows = Math.max(bsz, Math.min(CHUNK, val.length));
  const floats = 4 * (d * hdim) + 4 * hdim + 4 * (k * hdim) + 4 * k + rows * d + 2 * rows * hdim + 2 * rows * k;
  const ws = new Workspace(floats, 23);
  const param = (length: number, init?: Float32Array) => {
    const p = ws.alloc(length);
    if (init) p.a.set(init);
    return { p, g: ws.alloc(length), m: ws.alloc(length), v: ws.alloc(length) };
  };
  // He initialization for the ReLU layer, small uniform for the output layer.
  const w1 = param(d * hdim, uniformArray(rng, d * hdim, Math.sqrt(6 / d)));
  const b1 = param(hdim);
  const w2t = param(k * hdim, uniformArray(rng, k * hdim, Math.sqrt(6 / (hdim + k))));
  const b2 = param(k);
  const xb = ws.alloc(rows * d);
  const hb = ws.alloc(rows * hdim);
  const dh = ws.alloc(rows * hdim);
  const zb = ws.alloc(rows * k);
  const gbt = ws.alloc(rows * k);
  const p = new Float64Array(k);
  const K = ws.k;
  const valTargets = Int32Array.from(val, (i) => y[i] as number);
  const valScales = new Float64Array(val.length).fill(1);
  const batchTargets = new Int32Array(bsz);
  const batchScales = new Float64Array(bsz);

  /** Hidden activations and scores of `n` rows already in `xb`. */
  const forwardRows = (n: number) => {
    K.gemmNN(xb.ptr, w1.p.ptr, hb.ptr, n, d, hdim, 0);
    K.addBias(hb.ptr, b1.p.ptr, n, hdim, 1);
    K.gemmNT(hb.ptr, w2t.p.ptr, zb.ptr, n, hdim, k, b2.p.ptr);
  };
  const validate = () => {
    let loss = 0;
    let correct = 0;
    for (let from = 0; from < val.length; from += rows) {
      const n = Math.min(rows, val.length - from);
      gather(xs, val, from, from + n, xb.a, d);
      forwardRows(n);
      const r = softmaxRows(zb.a, n, k, valTargets, valScales, from, p, null);
      loss += r.loss;
      correct += r.correct;
    }
    return { loss: loss / val.length, accuracy: correct / val.length };
  };
  const adam = (q: ReturnType<typeof param>, l2: number, t: number) =>
    K.adam(q.p.ptr, q.g.ptr, q.m.ptr, q.v.ptr, q.p.a.length, o.learningRate, l2, 1 - 0.9 ** t, 1 - 0.999 ** t);

  const stopping = new EarlyStopping(o.patience);
  const order = new Uint32Array(train.length);
  let t = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    if (o.signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    const shuffled = shuffledIndices(train.length, rng);
    for (let i = 0; i < train.length; i++) order[i] = train[shuffled[i] as number] as number;
    let epochLoss = 0;
    for (let start = 0; start < order.length; start += bsz) {
      const n = Math.min(bsz, order.length - start);
      gather(xs, order, start, start + n, xb.a, d);
      forwardRows(n);
      for (let j = 0; j < n; j++) {
        const i = order[start + j] as number;
        batchTargets[j] = y[i] as number;
        batchScales[j] = (weight[i] as number) / n;
      }
      const r = softmaxRows(zb.a, n, k, batchTargets, batchScales, 0, p, gbt.a);
      epochLoss += r.loss * n;
      // Output layer: gW2ᵀ = Gᵀ·H, gb2 = Σ G. Hidden layer: dH = G·W2ᵀ masked by the ReLU, gW1 = Xᵀ·dH.
      K.gemmNN(gbt.ptr, hb.ptr, w2t.g.ptr, k, n, hdim, 0);
      for (let c = 0; c < k; c++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += gbt.a[c * n + j] as number;
        b2.g.a[c] = sum;
      }
      K.gemmTN(gbt.ptr, w2t.p.ptr, dh.ptr, n, k, hdim, 0);
      K.reluMask(dh.ptr, hb.ptr, n * hdim);
      K.columnSums(dh.ptr, b1.g.ptr, n, hdim);
      K.gemmTN(xb.ptr, dh.ptr, w1.g.ptr, d, n, hdim, 0);
      t++;
      adam(w1, s.l2, t);
      adam(b1, 0, t);
      adam(w2t, s.l2, t);
      adam(b2, 0, t);
    }
    const report: EpochReport = {
      epoch,
      trainLoss: epochLoss / Math.max(train.length, 1),
      valLoss: null,
      valAccuracy: null,
    };
    let stop = false;
    if (val.length > 0) {
      const v = validate();
      report.valLoss = v.loss;
      report.valAccuracy = v.accuracy;
      stop = stopping.update(v.loss, () => [w1.p.a.slice(), b1.p.a.slice(), w2t.p.a.slice(), b2.p.a.slice()]);
    }
    o.onEpoch?.(report);
    if (stop) break;
    yield;
  }
  const [bw1, bb1, bw2t, bb2] = stopping.best?.params ?? [
    w1.p.a.slice(),
    b1.p.a.slice(),
    w2t.p.a.slice(),
    b2.p.a.slice(),
  ];
  return {
    kind: 'mlp',
    labels: [...labels],
    inputDim: d,
    hidden: hdim,
    w1: bw1 as Float32Array,
    b1: bb1 as Float32Array,
    w2: transpose(bw2t as Float32Array, k, hdim),
    b2: bb2 as Float32Array,
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}

function scale(x: Float64Array, a: number): void {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * a;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] as number));
  return m;
}

/** Transposes a rows × cols row-major matrix. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c] as number;
  return out;
}
