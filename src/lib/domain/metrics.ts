/**
 * @file Classification metrics: accuracy, macro-F1, per-class precision/recall/F1 with support,
 * per-language macro-F1 and the confusion matrix. Pure; labels are given explicitly so a class
 * that is never predicted still counts (with F1 0), as scikit-learn's classification_report does.
 * Confidence intervals come from a seeded percentile bootstrap.
 */
import { createRng } from './random';

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  macroF1: number;
  perClass: Record<string, ClassScores>;
  /** Rows: true label; columns: predicted label; in `labels` order. */
  confusion: { labels: string[]; matrix: number[][] };
  count: number;
}

/**
 * @param labels every label of the task, in display order
 * @param truth true label per item
 * @param predicted predicted label per item (a value outside `labels`, e.g. an invalid LLM answer, counts as wrong)
 */
export function computeMetrics(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly string[],
): Metrics {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const predictedAs = new Array<number>(k).fill(0);
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] as string;
    if (t === p) correct++;
    const ti = index.get(t);
    const pi = index.get(p);
    if (pi !== undefined) predictedAs[pi] = (predictedAs[pi] ?? 0) + 1;
    if (ti !== undefined && pi !== undefined) (matrix[ti] as number[])[pi] = ((matrix[ti] as number[])[pi] ?? 0) + 1;
  });
  const perClass: Record<string, ClassScores> = {};
  let f1Sum = 0;
  labels.forEach((label, i) => {
    const tp = (matrix[i] as number[])[i] ?? 0;
    const support = truth.filter((t) => t === label).length;
    const precision = (predictedAs[i] ?? 0) > 0 ? tp / (predictedAs[i] as number) : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    f1Sum += f1;
  });
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: k ? f1Sum / k : 0,
    perClass,
    confusion: { labels: [...labels], matrix },
    count: truth.length,
  };
}

/**
 * Macro-F1 per language, over the labels present in that language's items.
 * @param languages language per item
 */
export function macroF1ByLanguage(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly string[],
  languages: readonly string[],
): Record<string, number> {
  // No prototype: a language named `__proto__` in a file is a key like any other.
  const out = Object.create(null) as Record<string, number>;
  for (const lang of new Set(languages)) {
    const idx = languages.map((l, i) => (l === lang ? i : -1)).filter((i) => i >= 0);
    const present = labels.filter((l) => idx.some((i) => truth[i] === l));
    out[lang] = computeMetrics(
      present,
      idx.map((i) => truth[i] as string),
      idx.map((i) => predicted[i] as string),
    ).macroF1;
  }
  return out;
}

/** A confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples drawn (1,000 gives stable 95% intervals for a few hundred items). */
  resamples: number;
  seed: number;
  /** Coverage, e.g. 0.95. */
  level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1, level: 0.95 };

/**
 * Percentile bootstrap intervals of accuracy and macro-F1: items are drawn with replacement
 * (seeded), the metrics computed on each resample as {@link computeMetrics} does, and the
 * interval read from the sorted values.
 */
export function bootstrapIntervals(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly string[],
  options: Partial<BootstrapOptions> = {},
): { accuracy: Interval; macroF1: Interval } {
  const o = { ...DEFAULT_BOOTSTRAP, ...options };
  const n = truth.length;
  if (n === 0) return { accuracy: { low: 0, high: 0 }, macroF1: { low: 0, high: 0 } };
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const t = Int32Array.from(truth, (l) => index.get(l) ?? -1);
  const p = Int32Array.from(predicted, (l) => index.get(l) ?? -1);
  const tp = new Float64Array(k);
  const support = new Float64Array(k);
  const predictedAs = new Float64Array(k);
  const accuracies = new Float64Array(o.resamples);
  const f1s = new Float64Array(o.resamples);
  const rng = createRng(o.seed);
  for (let r = 0; r < o.resamples; r++) {
    tp.fill(0);
    support.fill(0);
    predictedAs.fill(0);
    let correct = 0;
    for (let d = 0; d < n; d++) {
      const i = Math.floor(rng() * n);
      const ti = t[i] as number;
      const pi = p[i] as number;
      if (truth[i] === predicted[i]) correct++;
      if (ti >= 0) support[ti] = (support[ti] as number) + 1;
      if (pi >= 0) predictedAs[pi] = (predictedAs[pi] as number) + 1;
      if (ti >= 0 && ti === pi) tp[ti] = (tp[ti] as number) + 1;
    }
    let f1Sum = 0;
    for (let c = 0; c < k; c++) {
      const precision = (predictedAs[c] as number) > 0 ? (tp[c] as number) / (predictedAs[c] as number) : 0;
      const recall = (support[c] as number) > 0 ? (tp[c] as number) / (support[c] as number) : 0;
      f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    }
    accuracies[r] = correct / n;
    f1s[r] = k ? f1Sum / k : 0;
  }
  const interval = (xs: Float64Array): Interval => {
    xs.sort();
    const at = (q: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(q * (xs.length - 1))))] as number;
    return { low: at((1 - o.level) / 2), high: at(1 - (1 - o.level) / 2) };
  };
  return { accuracy: interval(accuracies), macroF1: interval(f1s) };
}

/** Scores of one language's items. */
export interface LanguageScores {
  count: number;
  accuracy: number;
  macroF1: number;
  macroF1Interval: Interval;
}

/** Everything the compare view shows for one evaluator on one test set. */
export interface EvaluationScores extends Metrics {
  accuracyInterval: Interval;
  macroF1Interval: Interval;
  perLanguage: Record<string, LanguageScores>;
  /** Answers that named no label (LLM evaluators), counted as wrong; per true label too. */
  invalid: number;
  invalidByLabel: Record<string, number>;
}

/**
 * Scores predictions on a test set. Per language, macro-F1 averages over the labels present in
 * that language's items (as {@link macroF1ByLanguage}).
 * @param predicted a label, or null for an invalid answer (wrong, and counted as invalid)
 */
export function scoreEvaluation(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly (string | null)[],
  languages: readonly string[],
  bootstrap: Partial<BootstrapOptions> = {},
): EvaluationScores {
  const pred = predicted.map((p) => p ?? '\u0000invalid');
  const base = computeMetrics(labels, truth, pred);
  const ci = bootstrapIntervals(labels, truth, pred, bootstrap);
  const perLanguage: Record<string, LanguageScores> = {};
  for (const lang of [...new Set(languages)].sort()) {
    const idx = languages.map((l, i) => (l === lang ? i : -1)).filter((i) => i >= 0);
    const present = labels.filter((l) => idx.some((i) => truth[i] === l));
    const t = idx.map((i) => truth[i] as string);
    const p = idx.map((i) => pred[i] as string);
    const m = computeMetrics(present, t, p);
    perLanguage[lang] = {
      count: idx.length,
      accuracy: m.accuracy,
      macroF1: m.macroF1,
      macroF1Interval: bootstrapIntervals(present, t, p, bootstrap).macroF1,
    };
  }
  const invalidByLabel: Record<string, number> = {};
  let invalid = 0;
  predicted.forEach((p, i) => {
    if (p !== null) return;
    invalid++;
    const t = truth[i] as string;
    invalidByLabel[t] = (invalidByLabel[t] ?? 0) + 1;
  });
  return {
    ...base,
    accuracyInterval: ci.accuracy,
    macroF1Interval: ci.macroF1,
    perLanguage,
    invalid,
    invalidByLabel,
  };
}

/** Predictions whose confidence falls in one range: how sure the model was, and how often right. */
export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  /** Mean confidence of the bin's predictions, and the share of them that were right. */
  confidence: number;
  accuracy: number;
}

export interface Calibration {
  /**
   * Expected calibration error: over the bins, the gap between how sure the model was and how
   * often it was right, weighted by the bin's share of the predictions (0 = it is right exactly
   * as often as it says).
   */
  ece: number;
  /** The bins with predictions in them, least sure first. */
  bins: CalibrationBin[];
  count: number;
}

/**
 * How well a model's confidence matches its accuracy: equal-width bins of the predicted label's
 * probability (10 by default; a confidence of exactly a bin's upper edge belongs to that bin).
 * @param confidences the probability of the predicted label, per prediction
 * @param correct whether each prediction was right
 */
export function calibrationOf(confidences: readonly number[], correct: readonly boolean[], bins = 10): Calibration {
  if (confidences.length !== correct.length) throw new Error('confidences and outcomes differ in length');
  const sums = Array.from({ length: bins }, () => ({ count: 0, confidence: 0, right: 0 }));
  confidences.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    const s = sums[b] as { count: number; confidence: number; right: number };
    s.count++;
    s.confidence += c;
    if (correct[i]) s.right++;
  });
  const n = confidences.length;
  let ece = 0;
  const out: CalibrationBin[] = [];
  sums.forEach((s, b) => {
    if (s.count === 0) return;
    const confidence = s.confidence / s.count;
    const accuracy = s.right / s.count;
    ece += (s.count / n) * Math.abs(accuracy - confidence);
    out.push({ low: b / bins, high: (b + 1) / bins, count: s.count, confidence, accuracy });
  });
  return { ece, bins: out, count: n };
}

/**
 * What a "not sure" threshold would do: the share of predictions at least that confident (the
 * ones the model would still answer) and how often those are right (null when none is).
 */
export function coverageAt(
  confidences: readonly number[],
  correct: readonly boolean[],
  threshold: number,
): { coverage: number; accuracy: number | null; answered: number } {
  let answered = 0;
  let right = 0;
  confidences.forEach((c, i) => {
    if (c < threshold) return;
    answered++;
    if (correct[i]) right++;
  });
  return {
    coverage: confidences.length ? answered / confidences.length : 0,
    accuracy: answered ? right / answered : null,
    answered,
  };
}
