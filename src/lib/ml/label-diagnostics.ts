/**
 * @file Label-quality diagnostics on a task's embeddings (the ones training already cached):
 * likely mislabelled samples (k-fold cross-validated head probabilities, confident-learning
 * style), near-duplicates across labels, labels whose samples overlap, and languages with far
 * fewer or much shorter samples. Pure functions: the caller links findings to samples.
 */
import { cosine } from '../domain/probe-texts';
import { Workspace } from './dense-kernels';
import { createRng } from '../domain/random';
import { predictDense, trainDenseHead } from './dense-head';
import { fitTemperature } from './calibration';
import { ngramScores, trainNgram } from './ngram-student';
import { shuffledIndices, softmaxInPlace } from './training';

export interface MislabelCandidate {
  /** Index into the inputs. */
  index: number;
  given: string;
  /** The label the held-out model prefers. */
  suggested: string;
  /** Probability of the given label, and of the suggested one (out of fold). */
  pGiven: number;
  pSuggested: number;
  /**
   * How suspect the given label is: 1 − pGiven / givenUsual, how far the given label's
   * probability falls below the model's usual confidence in that label (higher first).
   */
  score: number;
  /** The mean out-of-fold probability of the given label, and of the suggested one, over the samples labelled with it. */
  givenUsual: number;
  suggestedUsual: number;
}

/**
 * Out-of-fold class probabilities, one fold per step (the caller can yield, report and cancel
 * between folds): each sample is scored by a head trained without it.
 * @param folds number of folds (at least 2)
 * @param extra samples added to every fold's training data and never scored
 */
export function* outOfFoldSteps(
  xs: readonly Float32Array[],
  ys: readonly string[],
  labels: readonly string[],
  folds = 5,
  seed = 1,
  extra: { xs: readonly Float32Array[]; ys: readonly string[] } = { xs: [], ys: [] },
): Generator<number, Float64Array[]> {
  return yield* crossFoldSteps(xs.length, folds, seed, (train) => {
    const model = trainDenseHead(
      [...train.map((i) => xs[i] as Float32Array), ...extra.xs],
      [...train.map((i) => ys[i] as string), ...extra.ys],
      labels,
      { kind: 'logreg', seed, validationShare: 0.1 },
    );
    return (i) => predictDense(model, xs[i] as Float32Array);
  });
}

/**
 * Out-of-fold class probabilities from the n-gram student trained on the texts themselves (the
 * label check without an embedding model): a much stronger held-out model than a head on folded
 * n-gram vectors, so its flags are worth more. The folds' scores share one softmax temperature,
 * fitted to the out-of-fold scores and the given labels (each fold's own temperature comes from
 * its training rows, whose flipped labels would soften it). One fold per step.
 */
export function* ngramOutOfFoldSteps(
  texts: readonly string[],
  ys: readonly string[],
  labels: readonly string[],
  folds = 5,
  seed = 1,
): Generator<number, Float64Array[]> {
  const scores = yield* crossFoldSteps(texts.length, folds, seed, (train) => {
    const model = trainNgram(
      train.map((i) => texts[i] as string),
      train.map((i) => ys[i] as string),
      labels,
      { seed },
    );
    return (i) => {
      const out = new Float64Array(labels.length);
      ngramScores(model, texts[i] as string, out);
      return out;
    };
  });
  const k = labels.length;
  const flat = new Float64Array(scores.length * k);
  scores.forEach((s, i) => flat.set(s, i * k));
  const index = new Map(labels.map((l, c) => [l, c]));
  const temperature = fitTemperature(
    flat,
    ys.map((y) => index.get(y) as number),
    k,
  );
  return scores.map((s) => {
    const p = s.map((v) => v * temperature);
    softmaxInPlace(p);
    return p;
  });
}

/**
 * Seeded k-fold cross-validation, one fold per step: `fit` trains on a fold's complement and
 * returns the predictor its held-out samples are scored with.
 */
function* crossFoldSteps(
  n: number,
  folds: number,
  seed: number,
  fit: (train: number[]) => (i: number) => Float64Array,
): Generator<number, Float64Array[]> {
  const order = Array.from(shuffledIndices(n, createRng(seed)));
  const fold = new Int32Array(n);
  order.forEach((i, rank) => (fold[i] = rank % folds));
  const out: Float64Array[] = new Array<Float64Array>(n);
  for (let f = 0; f < folds; f++) {
    const predict = fit(order.filter((i) => fold[i] !== f));
    for (let i = 0; i < n; i++) if (fold[i] === f) out[i] = predict(i);
    yield f + 1;
  }
  return out;
}

/** {@link outOfFoldSteps} run to the end. */
export function outOfFoldProbabilities(
  xs: readonly Float32Array[],
  ys: readonly string[],
  labels: readonly string[],
  folds = 5,
  seed = 1,
): Float64Array[] {
  const steps = outOfFoldSteps(xs, ys, labels, folds, seed);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Likely mislabelled samples, most likely first: the model trained without a sample prefers
 * another label for it, or (confident learning's per-class thresholds) the given label's
 * out-of-fold probability is below that label's usual confidence and another's above its own.
 */
export function findMislabelled(
  xs: readonly Float32Array[],
  ys: readonly string[],
  labels: readonly string[],
  options: { folds?: number; seed?: number } = {},
): MislabelCandidate[] {
  return scoreMislabels(outOfFoldProbabilities(xs, ys, labels, options.folds ?? 5, options.seed ?? 1), ys, labels);
}

/** Mislabel candidates from out-of-fold probabilities (see {@link findMislabelled}). */
export function scoreMislabels(
  probs: readonly Float64Array[],
  ys: readonly string[],
  labels: readonly string[],
): MislabelCandidate[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  // Per-class threshold: mean probability of the class over the samples labelled with it.
  const sums = new Float64Array(labels.length);
  const counts = new Float64Array(labels.length);
  ys.forEach((y, i) => {
    const c = index.get(y) as number;
    sums[c] = (sums[c] as number) + ((probs[i] as Float64Array)[c] as number);
    counts[c] = (counts[c] as number) + 1;
  });
  const threshold = Array.from(sums, (s, c) => (counts[c] ? s / (counts[c] as number) : 1));
  const out: MislabelCandidate[] = [];
  ys.forEach((y, i) => {
    const p = probs[i] as Float64Array;
    const g = index.get(y) as number;
    let best = -1;
    for (let c = 0; c < labels.length; c++)
      if (c !== g && (best < 0 || (p[c] as number) > (p[best] as number))) best = c;
    if (best < 0) return;
    const pGiven = p[g] as number;
    const pSuggested = p[best] as number;
    // Flagged when the held-out model prefers another label, or when confident learning's
    // thresholds say so (given label below its class's usual confidence, another above its own).
    const confident = pGiven < (threshold[g] as number) && pSuggested >= (threshold[best] as number);
    if (confident || pSuggested > pGiven)
      out.push({
        index: i,
        given: y,
        suggested: labels[best] as string,
        pGiven,
        pSuggested,
        score: 1 - pGiven / Math.max(threshold[g] as number, Number.MIN_VALUE),
        givenUsual: threshold[g] as number,
        suggestedUsual: threshold[best] as number,
      });
  });
  // Most suspect first: the given label's probability relative to the model's usual confidence in
  // that label. On SIB-200's training splits with 10% of labels flipped this puts 57% of the flips
  // among as many top candidates, against 48% for ranking by pSuggested − pGiven (BENCHMARKS.md).
  return out.sort((a, b) => b.score - a.score || b.pSuggested - b.pGiven - (a.pSuggested - a.pGiven));
}

/**
 * Flag rule: the given label's out-of-fold probability is at most this share of its usual one
 * (its mean over the samples labelled with it) …
 */
export const SUSPECT_GIVEN_SHARE = 0.1;
/** … and the suggested label's is at least its own usual one (confident learning's threshold). */
export const SUSPECT_SUGGESTED_SHARE = 1;

/**
 * The candidates strong enough to flag as "may be mislabelled": the held-out model all but
 * rules the given label out, compared with how sure it usually is of that label, and is as sure
 * of another as it usually is of that one. A weak model's ordinary mistakes on clean data (it
 * hesitates between two labels) are not flagged; a label flipped to an unrelated one is. The
 * thresholds follow the model's own confidence, so they hold for a weak model on hard data and
 * a strong one on easy data alike. Calibrated with the n-gram student on SIB-200's clean human
 * training sentences (scripts/calibrate-label-check.ts, BENCHMARKS.md): at most 4.7% of them
 * flagged.
 */
export function suspectedMislabels(ranked: readonly MislabelCandidate[]): MislabelCandidate[] {
  return ranked.filter(
    (c) => c.pGiven <= SUSPECT_GIVEN_SHARE * c.givenUsual && c.pSuggested >= SUSPECT_SUGGESTED_SHARE * c.suggestedUsual,
  );
}

/** Rows × columns of similarities computed per kernel call by {@link crossLabelDuplicates}. */
const PAIR_BLOCK = { rows: 128, cols: 1024 };

/**
 * Pairs of samples with (nearly) the same embedding but different labels, most similar first.
 * Every pair is compared (cosine), in blocks by the SIMD kernels of `ml/dense-kernels.ts` over
 * unit-length float32 copies of the vectors: still quadratic, but some twenty times faster than one pair at a
 * time in JavaScript (BENCHMARKS.md §13).
 */
export function crossLabelDuplicates(
  xs: readonly Float32Array[],
  ys: readonly string[],
  minSimilarity = 0.95,
): { a: number; b: number; similarity: number }[] {
  const out: { a: number; b: number; similarity: number }[] = [];
  const n = xs.length;
  if (n < 2) return out;
  const d = (xs[0] as Float32Array).length;
  const ws = new Workspace(n * d + PAIR_BLOCK.rows * PAIR_BLOCK.cols, 2);
  const x = ws.alloc(n * d);
  const c = ws.alloc(PAIR_BLOCK.rows * PAIR_BLOCK.cols);
  xs.forEach((v, i) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (v[j] as number) * (v[j] as number);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) x.a[i * d + j] = (v[j] as number) * scale;
  });
  const label = labelIds(ys);
  for (let i0 = 0; i0 < n; i0 += PAIR_BLOCK.rows) {
    const rows = Math.min(PAIR_BLOCK.rows, n - i0);
    // Only the blocks on or right of the diagonal: each pair once.
    for (let j0 = i0; j0 < n; j0 += PAIR_BLOCK.cols) {
      const cols = Math.min(PAIR_BLOCK.cols, n - j0);
      ws.k.gemmNT(x.ptr + i0 * d * 4, x.ptr + j0 * d * 4, c.ptr, rows, d, cols, 0);
      for (let r = 0; r < rows; r++) {
        const a = i0 + r;
        for (let q = Math.max(0, a + 1 - j0); q < cols; q++) {
          const similarity = c.a[r * cols + q] as number;
          if (similarity < minSimilarity) continue;
          const b = j0 + q;
          if (label[a] !== label[b]) out.push({ a, b, similarity });
        }
      }
    }
  }
  return out.sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b);
}

/** Each label as a small number, for fast comparisons. */
function labelIds(ys: readonly string[]): Uint32Array {
  const ids = new Map<string, number>();
  return Uint32Array.from(ys, (y) => {
    let id = ids.get(y);
    if (id === undefined) ids.set(y, (id = ids.size));
    return id;
  });
}

/** Label pairs by the cosine similarity of their centroids, most overlapping first. */
export function labelOverlap(
  xs: readonly Float32Array[],
  ys: readonly string[],
  labels: readonly string[],
): { a: string; b: string; similarity: number }[] {
  const dim = xs[0]?.length ?? 0;
  const centroids = labels.map((l) => {
    const c = new Float32Array(dim);
    let n = 0;
    xs.forEach((x, i) => {
      if (ys[i] !== l) return;
      n++;
      for (let d = 0; d < dim; d++) c[d] = (c[d] as number) + (x[d] as number);
    });
    return n ? c.map((v) => v / n) : null;
  });
  const out: { a: string; b: string; similarity: number }[] = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const ci = centroids[i];
      const cj = centroids[j];
      if (ci && cj) out.push({ a: labels[i] as string, b: labels[j] as string, similarity: cosine(ci, cj) });
    }
  return out.sort((p, q) => q.similarity - p.similarity);
}

/**
 * Languages with far fewer samples (under half the median count) or much shorter texts (under
 * half the median mean length) than the others, the thinnest first.
 */
export function thinLanguages(
  samples: readonly { language: string; text: string }[],
  languages: readonly string[] = [],
): { language: string; count: number; meanLength: number; fewer: boolean; shorter: boolean }[] {
  const by = new Map<string, { count: number; chars: number }>();
  // A language of the task with no sample at all is the thinnest of all.
  for (const l of languages) by.set(l, { count: 0, chars: 0 });
  for (const s of samples) {
    const e = by.get(s.language) ?? { count: 0, chars: 0 };
    e.count++;
    e.chars += s.text.length;
    by.set(s.language, e);
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const rows = [...by].map(([language, e]) => ({
    language,
    count: e.count,
    meanLength: e.count ? e.chars / e.count : 0,
  }));
  const mCount = median(rows.map((r) => r.count));
  const mLength = median(rows.filter((r) => r.count > 0).map((r) => r.meanLength));
  return rows
    .map((r) => ({ ...r, fewer: r.count < mCount / 2, shorter: r.meanLength < mLength / 2 }))
    .filter((r) => r.fewer || r.shorter)
    .sort((a, b) => a.count - b.count);
}
