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
import { ngramScores, trainNgram, type NgramStudentModel } from './ngram-student';
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
  const scores = yield* crossFoldSteps(texts.length, folds, seed, (train) =>
    scorerOf(
      trainNgram(
        train.map((i) => texts[i] as string),
        train.map((i) => ys[i] as string),
        labels,
        { seed },
      ),
      texts,
      labels.length,
    ),
  );
  return withSharedTemperature(scores, ys, labels);
}

/**
 * {@link ngramOutOfFoldSteps} with each fold's student trained by `train` (e.g. with its labels
 * solved on several workers, `trainNgramAnywhere`): the same folds, students and probabilities.
 * @param onFold after each fold, with how many are done
 */
export async function ngramOutOfFoldWith(
  texts: readonly string[],
  ys: readonly string[],
  labels: readonly string[],
  train: (texts: string[], ys: string[], options: { seed: number }) => Promise<NgramStudentModel>,
  folds = 5,
  seed = 1,
  onFold: (done: number) => void = () => {},
): Promise<Float64Array[]> {
  const { order, fold } = foldsOf(texts.length, folds, seed);
  const scores: Float64Array[] = new Array<Float64Array>(texts.length);
  for (let f = 0; f < folds; f++) {
    const rows = order.filter((i) => fold[i] !== f);
    const model = await train(
      rows.map((i) => texts[i] as string),
      rows.map((i) => ys[i] as string),
      { seed },
    );
    const predict = scorerOf(model, texts, labels.length);
    for (let i = 0; i < texts.length; i++) if (fold[i] === f) scores[i] = predict(i);
    onFold(f + 1);
  }
  return withSharedTemperature(scores, ys, labels);
}

/** A text's scores under a fold's student, before any temperature. */
function scorerOf(model: NgramStudentModel, texts: readonly string[], k: number): (i: number) => Float64Array {
  return (i) => {
    const out = new Float64Array(k);
    ngramScores(model, texts[i] as string, out);
    return out;
  };
}

/**
 * The folds' scores as probabilities under one softmax temperature, fitted to the out-of-fold
 * scores and the given labels.
 */
function withSharedTemperature(
  scores: readonly Float64Array[],
  ys: readonly string[],
  labels: readonly string[],
): Float64Array[] {
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

/** Seeded fold of each of `n` samples, and the seeded order they are taken in. */
function foldsOf(n: number, folds: number, seed: number): { order: number[]; fold: Int32Array } {
  const order = Array.from(shuffledIndices(n, createRng(seed)));
  const fold = new Int32Array(n);
  order.forEach((i, rank) => (fold[i] = rank % folds));
  return { order, fold };
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
  const { order, fold } = foldsOf(n, folds, seed);
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

export interface DuplicateSearchOptions {
  /** Up to this many samples every pair is compared; above, the search may use hashing. */
  exactUpTo?: number;
  /** Seeds the hashing's random hyperplanes. */
  seed?: number;
}

/** How the search went: for benchmarks and tests. */
export interface DuplicateSearchPlan {
  method: 'every pair' | 'hashing';
  /** Hash bits per band and bands (hashing only). */
  bits?: number;
  bands?: number;
  /** Pairs compared (hashing: candidates, counted once per band that brought them). */
  compared: number;
}

/** Above this many samples, hashing is considered (below, every pair takes well under a second). */
const EXACT_UP_TO = 5_000;
/** The chance that hashing misses a pair exactly at the threshold (pairs above it: less). */
const HASH_MISS = 1e-3;
/** Random pairs sampled to estimate how many candidates a hashing plan brings. */
const PLAN_SAMPLE = 2_000;

/**
 * Pairs of samples with (nearly) the same embedding but different labels, most similar first.
 *
 * Up to {@link EXACT_UP_TO} samples, and whenever it is cheaper, every pair is compared (cosine)
 * in blocks by the SIMD kernels of `ml/dense-kernels.ts`. Above, random-hyperplane hashing
 * (SimHash) with bands finds candidates, which are then compared exactly: two vectors at angle θ
 * agree on a hyperplane's side with probability 1 − θ/π, so near-identical ones share some band's
 * bits while most pairs share none. Bits and bands are chosen from the data (cosines of sampled
 * random pairs) so that a pair at the threshold is missed with probability at most 1 in 1,000
 * and the fewest pairs are compared; when the data are too alike for hashing to save work, every
 * pair is compared. Deterministic for a given seed.
 */
export function crossLabelDuplicates(
  xs: readonly Float32Array[],
  ys: readonly string[],
  minSimilarity = 0.95,
  options: DuplicateSearchOptions = {},
): { a: number; b: number; similarity: number }[] {
  return searchCrossLabelDuplicates(xs, ys, minSimilarity, options).pairs;
}

/** {@link crossLabelDuplicates}, with the plan it followed. */
export function searchCrossLabelDuplicates(
  xs: readonly Float32Array[],
  ys: readonly string[],
  minSimilarity = 0.95,
  { exactUpTo = EXACT_UP_TO, seed = 1 }: DuplicateSearchOptions = {},
): { pairs: { a: number; b: number; similarity: number }[]; plan: DuplicateSearchPlan } {
  const n = xs.length;
  if (n < 2) return { pairs: [], plan: { method: 'every pair', compared: 0 } };
  const d = (xs[0] as Float32Array).length;
  const rng = createRng(seed);
  const plan = n > exactUpTo && n < SHIFT && minSimilarity > 0 ? hashingPlan(xs, n, minSimilarity, rng) : null;
  const planes = plan ? Math.min(plan.bits * plan.bands, MAX_PLANES) : 0;
  const ws = new Workspace(
    n * d + Math.max(PAIR_BLOCK.rows * PAIR_BLOCK.cols, planes * d + PAIR_BLOCK.rows * planes),
    4,
  );
  const x = ws.alloc(n * d);
  const norms = new Float32Array(n);
  xs.forEach((v, i) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (v[j] as number) * (v[j] as number);
    norms[i] = norm;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) x.a[i * d + j] = (v[j] as number) * scale;
  });
  const label = labelIds(ys);
  const out: { a: number; b: number; similarity: number }[] = [];
  let compared: number;
  if (!plan) {
    const c = ws.alloc(PAIR_BLOCK.rows * PAIR_BLOCK.cols);
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
    compared = (n * (n - 1)) / 2;
  } else compared = hashedPairs(ws, x, norms, n, d, label, minSimilarity, plan, planes, rng, out);
  return {
    pairs: out.sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b),
    plan: plan
      ? { method: 'hashing', bits: plan.bits, bands: plan.bands, compared }
      : { method: 'every pair', compared },
  };
}

/** Hyperplanes drawn at most (bands then share bits, chosen at random). */
const MAX_PLANES = 512;
/** Band keys and sample indices share one float64 (indices below 2^20). */
const SHIFT = 2 ** 20;

/** Probability that two vectors with this cosine fall on the same side of a random hyperplane. */
const sameSide = (cos: number) => 1 - Math.acos(Math.max(-1, Math.min(1, cos))) / Math.PI;

/**
 * Chooses bits per band and bands for hashing, or null when comparing every pair is cheaper.
 * Costs are rough nanoseconds on one core: a kernel multiply-add, a scalar one, a sort step.
 */
function hashingPlan(
  xs: readonly Float32Array[],
  n: number,
  threshold: number,
  rng: () => number,
): { bits: number; bands: number } | null {
  const d = (xs[0] as Float32Array).length;
  const sample: number[] = [];
  for (let s = 0; s < PLAN_SAMPLE; s++) {
    const a = Math.floor(rng() * n);
    const b = Math.floor(rng() * n);
    if (a !== b) sample.push(cosine(xs[a] as Float32Array, xs[b] as Float32Array));
  }
  const exhaustive = ((n * n) / 2) * d * 0.15;
  const pT = sameSide(threshold);
  let best: { bits: number; bands: number; cost: number } | null = null;
  for (let bits = 8; bits <= 32; bits += 2) {
    const hit = pT ** bits;
    const bands = Math.ceil(Math.log(HASH_MISS) / Math.log(1 - hit));
    if (!Number.isFinite(bands) || bands > 512) continue;
    let candidates = 0;
    for (const c of sample) candidates += 1 - (1 - sameSide(c) ** bits) ** bands;
    const fraction = candidates / Math.max(1, sample.length);
    const cost =
      n * d * Math.min(bits * bands, MAX_PLANES) * 0.15 +
      bands * n * Math.log2(n) * 8 +
      fraction * ((n * n) / 2) * (d + 30);
    if (!best || cost < best.cost) best = { bits, bands, cost };
  }
  return best && best.cost < exhaustive ? { bits: best.bits, bands: best.bands } : null;
}

/** The hashing search: candidates from shared band keys, each compared exactly. Returns pairs compared. */
function hashedPairs(
  ws: Workspace,
  x: { ptr: number; a: Float32Array },
  norms: Float32Array,
  n: number,
  d: number,
  label: Uint32Array,
  threshold: number,
  { bits, bands }: { bits: number; bands: number },
  planes: number,
  rng: () => number,
  out: { a: number; b: number; similarity: number }[],
): number {
  // Gaussian hyperplanes (Box–Muller), then every sample's side of each, by the kernels.
  const h = ws.alloc(planes * d);
  for (let i = 0; i < planes * d; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const t = 2 * Math.PI * rng();
    h.a[i] = r * Math.cos(t);
    if (i + 1 < planes * d) h.a[i + 1] = r * Math.sin(t);
  }
  const side = new Uint8Array(n * planes);
  const block = ws.alloc(PAIR_BLOCK.rows * planes);
  for (let i0 = 0; i0 < n; i0 += PAIR_BLOCK.rows) {
    const rows = Math.min(PAIR_BLOCK.rows, n - i0);
    ws.k.gemmNT(x.ptr + i0 * d * 4, h.ptr, block.ptr, rows, d, planes, 0);
    for (let k = 0; k < rows * planes; k++) side[i0 * planes + k] = (block.a[k] as number) >= 0 ? 1 : 0;
  }
  // Each band's bits: disjoint when there are enough hyperplanes, else drawn without repeats.
  const bandBits = Array.from({ length: bands }, (_, l) => {
    if (bits * bands <= planes) return Int32Array.from({ length: bits }, (_, k) => l * bits + k);
    const chosen = new Set<number>();
    while (chosen.size < bits) chosen.add(Math.floor(rng() * planes));
    return Int32Array.from(chosen);
  });
  // Zero vectors match nothing (cosine 0); they would all share one key.
  const live: number[] = [];
  for (let i = 0; i < n; i++) if ((norms[i] as number) > 0) live.push(i);
  const found = new Set<number>();
  const keyed = new Float64Array(live.length);
  let compared = 0;
  for (const chosen of bandBits) {
    for (let k = 0; k < live.length; k++) {
      const i = live[k] as number;
      const base = i * planes;
      let key = 0;
      for (let q = 0; q < chosen.length; q++) key = key * 2 + (side[base + (chosen[q] as number)] as number);
      keyed[k] = key * SHIFT + i;
    }
    keyed.sort();
    for (let start = 0; start < keyed.length;) {
      const key = Math.floor((keyed[start] as number) / SHIFT);
      let end = start + 1;
      while (end < keyed.length && Math.floor((keyed[end] as number) / SHIFT) === key) end++;
      for (let u = start; u < end; u++) {
        const a = (keyed[u] as number) - key * SHIFT;
        for (let v = u + 1; v < end; v++) {
          const b = (keyed[v] as number) - key * SHIFT;
          if (label[a] === label[b]) continue;
          compared++;
          let dot = 0;
          const ao = a * d;
          const bo = b * d;
          for (let j = 0; j < d; j++) dot += (x.a[ao + j] as number) * (x.a[bo + j] as number);
          if (dot < threshold) continue;
          const id = a * n + b;
          if (found.has(id)) continue;
          found.add(id);
          out.push({ a, b, similarity: dot });
        }
      }
      start = end;
    }
  }
  return compared;
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
