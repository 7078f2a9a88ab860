/**
 * @file What every head's training shares: seeded shuffles, the stratified validation split,
 * class weights for imbalance, early stopping, and the per-epoch report that drives the curves.
 */
import { AppError } from '../domain/errors';
import type { Rng } from '../domain/random';
import type { EpochReport } from '../domain/student';
import { message } from '../i18n/messages';

export interface TrainOptions {
  seed: number;
  /** Most passes over the data. */
  epochs: number;
  /** Stop after this many epochs without a better validation loss. */
  patience: number;
  /** Share of each class held out for validation (when the data is big enough). */
  validationShare: number;
  onEpoch?: (r: EpochReport) => void;
  signal?: AbortSignal;
}

/** Index of the largest value (the first one on ties): the predicted class of probabilities. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

/** Fewer samples than this and a validation split costs more than early stopping gains. */
export const MIN_SAMPLES_FOR_VALIDATION = 40;

/** Fisher–Yates shuffle of 0..n-1 with a seeded generator. */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/** Splits indices by class so each class keeps its share in validation (at least one, when it has two). */
export function stratifiedSplit(
  y: Uint16Array | number[],
  share: number,
  rng: Rng,
): { train: number[]; val: number[] } {
  if (y.length < MIN_SAMPLES_FOR_VALIDATION || share <= 0)
    return { train: Array.from({ length: y.length }, (_, i) => i), val: [] };
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i] as number;
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const idx of byClass.values()) {
    const order = shuffledIndices(idx.length, rng);
    const nVal = idx.length >= 2 ? Math.max(1, Math.round(idx.length * share)) : 0;
    order.forEach((o, k) => (k < nVal ? val : train).push(idx[o] as number));
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/**
 * Inverse-frequency class weights, averaging 1 over the samples.
 * @param sampleWeights each sample's own weight: classes are then counted by these sums
 */
export function classWeights(y: ArrayLike<number>, k: number, sampleWeights?: ArrayLike<number>): Float32Array {
  const counts = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = sampleWeights ? (sampleWeights[i] as number) : 1;
    counts[y[i] as number] = (counts[y[i] as number] as number) + wi;
    total += wi;
  }
  const w = new Float32Array(k);
  for (let c = 0; c < k; c++) w[c] = (counts[c] as number) > 0 ? total / (k * (counts[c] as number)) : 0;
  return w;
}

/** Softmax in place; returns the log of the normalizer-adjusted probability of `target`. */
export function softmaxInPlace(z: Float32Array | Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i] as number);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp((z[i] as number) - max);
    sum += z[i] as number;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
}

/**
 * Mean cross-entropy and accuracy over some samples (the validation split).
 * @param idx sample indices
 * @param y target class per sample
 * @param fill writes the probabilities of sample i into `p`
 * @param k number of classes
 */
export function lossAndAccuracy(
  idx: readonly number[],
  y: ArrayLike<number>,
  fill: (i: number, p: Float64Array) => void,
  k: number,
): { loss: number; accuracy: number } {
  const p = new Float64Array(k);
  let loss = 0;
  let correct = 0;
  for (const i of idx) {
    fill(i, p);
    const t = y[i] as number;
    loss -= Math.log(Math.max(p[t] as number, 1e-12));
    if (argmax(p) === t) correct++;
  }
  return { loss: loss / Math.max(idx.length, 1), accuracy: correct / Math.max(idx.length, 1) };
}

/**
 * A training loop written as a generator yields once per epoch. Run it to the end at once
 * (Node, the CLI, tests) or give the event loop a turn between epochs (the worker), so a cancel
 * message is read within one epoch.
 */
export type TrainingSteps<T> = Generator<void, T, void>;

/** Runs a training loop to its end without pausing. */
export function runToEnd<T>(steps: TrainingSteps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** One turn of the event loop (a message-channel task: no timer clamping). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Runs a training loop, letting messages (cancel, progress) through between epochs. */
export async function runYielding<T>(steps: TrainingSteps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await nextTask();
  }
}

/**
 * Checks what every trainer needs (two labels, some samples, each sample's label among them)
 * and returns each sample's label index.
 * @param labelsOfSamples the label of each sample
 * @param labels every label (defines the output order)
 */
export function labelIndices(labelsOfSamples: readonly string[], labels: readonly string[]): Uint16Array {
  if (labels.length < 2) throw new AppError('invalid-file', message('err.twoLabelsTrain'));
  if (labelsOfSamples.length === 0) throw new AppError('invalid-file', message('err.noSamples'));
  const index = new Map(labels.map((l, i) => [l, i]));
  const y = new Uint16Array(labelsOfSamples.length);
  labelsOfSamples.forEach((l, i) => {
    const c = index.get(l);
    if (c === undefined) throw new AppError('invalid-file', message('err.labelNotInModel', { label: l, n: i + 1 }));
    y[i] = c;
  });
  return y;
}
