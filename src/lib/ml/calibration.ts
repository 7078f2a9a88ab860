/**
 * @file Calibrated probabilities for every student (decision 016). A softmax temperature alone
 * leaves the n-gram student's confidences too high at the top and too low at the bottom (on
 * SIB-200 dev: 97% sure, 92% right; 26% sure, 42% right), a shape one number cannot fix. So a
 * student's probabilities go through two steps, both fitted on held-out texts (the task's
 * validation split, else what training held out): the log-probabilities times a temperature
 * (least cross-entropy), then the top label's probability p mapped to σ(a·logit(p) + b) (Platt
 * scaling of the top label, fitted to whether it was right), the other labels scaled to keep
 * their ratios, the top label kept on top. BENCHMARKS.md section 11 measures it.
 */
import type { Calibration } from '../domain/student';
import { argmax, softmaxInPlace } from './training';

/** Fewer held-out texts than this and no calibration is fitted (the probabilities stay as they are). */
export const MIN_CALIBRATION_TEXTS = 20;
/**
 * How strongly the top label's map is pulled towards leaving confidences alone (a = 1, b = 0):
 * as much as this many texts' worth of evidence, so a few texts, or texts all right, cannot
 * push it far.
 */
const MAP_PRIOR = 2;

/**
 * The softmax temperature that best fits scores to their labels (least cross-entropy; the loss
 * is convex in it, so Newton steps from 1 find it).
 * @param scores n × k scores, row-major
 * @param y each row's label
 * @param k labels
 */
export function fitTemperature(scores: Float32Array | Float64Array, y: ArrayLike<number>, k: number): number {
  const n = y.length;
  if (n === 0) return 1;
  const p = new Float64Array(k);
  let t = 1;
  for (let step = 0; step < 50; step++) {
    let grad = 0;
    let hess = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) p[c] = t * (scores[i * k + c] as number);
      softmaxInPlace(p);
      let mean = 0;
      let square = 0;
      for (let c = 0; c < k; c++) {
        const s = scores[i * k + c] as number;
        mean += (p[c] as number) * s;
        square += (p[c] as number) * s * s;
      }
      grad += mean - (scores[i * k + (y[i] as number)] as number);
      hess += square - mean * mean;
    }
    if (hess <= 1e-12) break;
    const next = Math.min(Math.max(t - grad / hess, t / 4), t * 4);
    const done = Math.abs(next - t) < 1e-6 * t;
    t = next;
    if (done) break;
  }
  return Math.min(Math.max(t, 1e-3), 1e3);
}

/** How far above a tie with the second label the floor keeps the top one (float32 tells them apart). */
export const FLOOR_MARGIN = 1 + 1e-5;

/** Smallest probability taken into a logarithm. */
const TINY = 1e-300;

/** The top label, its probability and the rest's sum (exact even where the top rounds to 1). */
function topOf(p: ArrayLike<number>): { top: number; m: number; rest: number; second: number } {
  const top = argmax(p);
  let rest = 0;
  let second = 0;
  for (let c = 0; c < p.length; c++) {
    if (c === top) continue;
    rest += p[c] as number;
    second = Math.max(second, p[c] as number);
  }
  return { top, m: p[top] as number, rest, second };
}

const logitOf = (m: number, rest: number) => Math.log(Math.max(m, TINY)) - Math.log(Math.max(rest, TINY));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Calibrates one text's probabilities in place (and returns them).
 * @param calibration null or absent leaves them as they are
 */
export function calibrate(p: Float64Array, calibration: Calibration | null | undefined): Float64Array {
  if (!calibration || p.length < 2) return p;
  const { temperature, confidence } = calibration;
  if (temperature !== 1) {
    for (let c = 0; c < p.length; c++) p[c] = temperature * Math.log(Math.max(p[c] as number, TINY));
    softmaxInPlace(p);
  }
  if (!confidence) return p;
  const { top, m, rest, second } = topOf(p);
  // Every other label below what a number can hold: nothing to share out.
  if (rest <= 0) return p;
  // The top label stays on top: at the floor it would tie with the second, so a hair above.
  const mapped = Math.max(
    sigmoid(confidence.a * logitOf(m, rest) + confidence.b),
    FLOOR_MARGIN * (second / (rest + second)),
  );
  const scale = (1 - mapped) / rest;
  for (let c = 0; c < p.length; c++) p[c] = c === top ? mapped : (p[c] as number) * scale;
  return p;
}

/**
 * Fits the top label's map: logistic regression of "the top label was right" on its log-odds
 * (Newton steps), pulled towards the identity by {@link MAP_PRIOR}.
 */
function fitConfidenceMap(logits: readonly number[], right: readonly boolean[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let step = 0; step < 100; step++) {
    let ga = MAP_PRIOR * (a - 1);
    let gb = MAP_PRIOR * b;
    let haa = MAP_PRIOR;
    let hab = 0;
    let hbb = MAP_PRIOR;
    logits.forEach((z, i) => {
      const q = sigmoid(a * z + b);
      const e = q - (right[i] ? 1 : 0);
      const w = q * (1 - q);
      ga += e * z;
      gb += e;
      haa += w * z * z;
      hab += w * z;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (det <= 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  // A map that lowered confidence as it rose would turn the order of texts around.
  return { a: Math.max(a, 0), b };
}

/** Most texts a calibration is fitted on: more are sampled evenly (two numbers need no more). */
const MAX_CALIBRATION_TEXTS = 20_000;

/**
 * Fits a calibration on held-out texts: the student's uncalibrated probabilities for each and
 * its true label.
 * @param probabilities n × k, row-major
 * @param y each text's label (index)
 * @param k labels
 * @returns null when there are fewer than {@link MIN_CALIBRATION_TEXTS} texts
 */
export function fitCalibration(
  probabilities: Float32Array | Float64Array,
  y: ArrayLike<number>,
  k: number,
  fittedOn: Calibration['fittedOn'],
): Calibration | null {
  const n = y.length;
  if (n < MIN_CALIBRATION_TEXTS || k < 2) return null;
  const step = Math.max(1, n / MAX_CALIBRATION_TEXTS);
  const rows = Array.from({ length: Math.min(n, MAX_CALIBRATION_TEXTS) }, (_, j) => Math.floor(j * step));
  const logs = new Float64Array(rows.length * k);
  const ys = rows.map((i) => y[i] as number);
  rows.forEach((i, j) => {
    for (let c = 0; c < k; c++) logs[j * k + c] = Math.log(Math.max(probabilities[i * k + c] as number, TINY));
  });
  const temperature = fitTemperature(logs, ys, k);
  const scaled = { temperature, confidence: null, fittedOn, texts: n };
  const logits: number[] = [];
  const right: boolean[] = [];
  rows.forEach((i, j) => {
    const p = calibrate(Float64Array.from(probabilities.subarray(i * k, i * k + k)), scaled);
    const { top, m, rest } = topOf(p);
    logits.push(logitOf(m, rest));
    right.push(top === ys[j]);
  });
  return { ...scaled, confidence: fitConfidenceMap(logits, right) };
}
