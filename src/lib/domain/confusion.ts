/**
 * @file Where a student is confused: from its predictions (on human test data, or out of fold on
 * the training data), the label × language cells whose texts it most often gives another label,
 * each with the label it takes them for; and the F1 of those cells, to compare a student before
 * and after targeted examples were added.
 */
import { computeMetrics } from './metrics';

export interface Prediction {
  truth: string;
  predicted: string;
  language: string;
}

/** A cell the student confuses: texts of `label` in `language` taken for `confusedWith`. */
export interface ConfusionTarget {
  label: string;
  language: string;
  confusedWith: string;
  /** Texts of the cell given `confusedWith`, of `support`. */
  count: number;
  support: number;
}

/**
 * The cells most confused, worst first: each (label, language) cell once, with the label its
 * texts are most often taken for. Ranked by the share of the cell's texts taken for that label,
 * then by their number.
 * @param labels the task's labels (a prediction outside them, e.g. an invalid answer, is not a confusion)
 * @param options max: most cells returned; minCount: fewest confused texts for a cell to count
 */
export function confusedCells(
  predictions: readonly Prediction[],
  labels: readonly string[],
  options: { max?: number; minCount?: number } = {},
): ConfusionTarget[] {
  const { max = 3, minCount = 2 } = options;
  const known = new Set(labels);
  const support = new Map<string, number>();
  const counts = new Map<string, Map<string, number>>();
  for (const p of predictions) {
    if (!known.has(p.truth)) continue;
    const cell = `${p.truth}\u0000${p.language}`;
    support.set(cell, (support.get(cell) ?? 0) + 1);
    if (p.predicted === p.truth || !known.has(p.predicted)) continue;
    const byLabel = counts.get(cell) ?? new Map<string, number>();
    byLabel.set(p.predicted, (byLabel.get(p.predicted) ?? 0) + 1);
    counts.set(cell, byLabel);
  }
  const out: ConfusionTarget[] = [];
  for (const [cell, byLabel] of counts) {
    const [label, language] = cell.split('\u0000') as [string, string];
    let best: [string, number] | null = null;
    // Ties go to the label listed first in the task.
    for (const l of labels) {
      const c = byLabel.get(l) ?? 0;
      if (c > 0 && (!best || c > best[1])) best = [l, c];
    }
    if (best && best[1] >= minCount)
      out.push({ label, language, confusedWith: best[0], count: best[1], support: support.get(cell) ?? 0 });
  }
  return out.sort((a, b) => b.count / b.support - a.count / a.support || b.count - a.count).slice(0, max);
}

/** The (label, language) cells a targeted round affects: each target's cell and the label it was confused with. */
export function affectedCells(
  targets: readonly Pick<ConfusionTarget, 'label' | 'language' | 'confusedWith'>[],
): { label: string; language: string }[] {
  const seen = new Map<string, { label: string; language: string }>();
  for (const t of targets)
    for (const label of [t.label, t.confusedWith])
      seen.set(`${label}\u0000${t.language}`, { label, language: t.language });
  return [...seen.values()];
}

/**
 * F1 of each cell: the label's F1 among the predictions of that language.
 * @returns F1 per cell, in the order given, and their mean (the affected cells' macro-F1)
 */
export function cellF1(
  predictions: readonly Prediction[],
  labels: readonly string[],
  cells: readonly { label: string; language: string }[],
): { f1: number[]; macro: number } {
  const byLanguage = new Map<string, ReturnType<typeof computeMetrics>>();
  const f1 = cells.map((c) => {
    let m = byLanguage.get(c.language);
    if (!m) {
      const items = predictions.filter((p) => p.language === c.language);
      m = computeMetrics(
        labels,
        items.map((p) => p.truth),
        items.map((p) => p.predicted),
      );
      byLanguage.set(c.language, m);
    }
    return m.perClass[c.label]?.f1 ?? 0;
  });
  return { f1, macro: f1.length ? f1.reduce((a, b) => a + b, 0) / f1.length : 0 };
}
