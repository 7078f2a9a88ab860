/**
 * @file Classification metrics: accuracy, macro-F1, per-class precision/recall/F1 with support,
 * per-language macro-F1 and the confusion matrix. Pure; labels are given explicitly so a class
 * that is never predicted still counts (with F1 0), as scikit-learn's classification_report does.
 */

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
  const out: Record<string, number> = {};
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
