import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  bootstrapIntervals,
  calibrationOf,
  computeMetrics,
  coverageAt,
  macroF1ByLanguage,
  scoreEvaluation,
} from './metrics';

describe('computeMetrics', () => {
  // Worked by hand (and equal to scikit-learn's classification_report on the same lists).
  const labels = ['a', 'b', 'c'];
  const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
  const pred = ['a', 'a', 'b', 'b', 'c', 'c'];

  it('computes accuracy, per-class scores and macro-F1', () => {
    const m = computeMetrics(labels, truth, pred);
    expect(m.accuracy).toBeCloseTo(4 / 6, 10);
    expect(m.perClass.a).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(m.perClass.b?.precision).toBeCloseTo(0.5, 10);
    expect(m.perClass.b?.recall).toBeCloseTo(0.5, 10);
    expect(m.perClass.c?.f1).toBeCloseTo(2 / 3, 10);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
    expect(m.confusion.matrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('counts a never-predicted class as F1 0 and an invalid answer as wrong', () => {
    const m = computeMetrics(['x', 'y'], ['x', 'y'], ['x', '(invalid)']);
    expect(m.perClass.y).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.accuracy).toBe(0.5);
  });

  it('computes macro-F1 per language', () => {
    const by = macroF1ByLanguage(['a', 'b'], ['a', 'b', 'a', 'b'], ['a', 'b', 'b', 'b'], ['sw', 'sw', 'ha', 'ha']);
    expect(by.sw).toBe(1);
    expect(by.ha).toBeCloseTo((0 + 2 / 3) / 2, 10);
  });
});

describe('against scikit-learn on a fixed prediction file', () => {
  // tests/fixtures/metrics/sklearn-report.json is written by scripts/sklearn_report.py from the
  // same file; an empty prediction is an invalid LLM answer.
  const dir = new URL('../../../tests/fixtures/metrics/', import.meta.url);
  const rows = Papa.parse<{ label: string; prediction: string; language: string }>(
    readFileSync(new URL('predictions.csv', dir), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
  const sk = JSON.parse(readFileSync(new URL('sklearn-report.json', dir), 'utf8')) as {
    labels: string[];
    accuracy: number;
    macro_f1: number;
    per_class: Record<string, { precision: number; recall: number; 'f1-score': number; support: number }>;
    per_language: Record<string, number>;
    confusion_matrix: number[][];
  };
  const scores = scoreEvaluation(
    sk.labels,
    rows.map((r) => r.label),
    rows.map((r) => r.prediction || null),
    rows.map((r) => r.language),
  );

  it('agrees on accuracy, macro-F1, every class, every language and the confusion matrix', () => {
    expect(scores.accuracy).toBeCloseTo(sk.accuracy, 12);
    expect(scores.macroF1).toBeCloseTo(sk.macro_f1, 12);
    for (const label of sk.labels) {
      const ours = scores.perClass[label];
      const theirs = sk.per_class[label];
      expect(ours?.precision).toBeCloseTo(theirs?.precision ?? NaN, 12);
      expect(ours?.recall).toBeCloseTo(theirs?.recall ?? NaN, 12);
      expect(ours?.f1).toBeCloseTo(theirs?.['f1-score'] ?? NaN, 12);
      expect(ours?.support).toBe(theirs?.support);
    }
    for (const [lang, f1] of Object.entries(sk.per_language))
      expect(scores.perLanguage[lang]?.macroF1).toBeCloseTo(f1, 12);
    expect(scores.confusion.matrix).toEqual(sk.confusion_matrix);
  });

  it('counts invalid answers per true label, as wrong predictions', () => {
    const invalid = rows.filter((r) => !r.prediction);
    expect(invalid.length).toBeGreaterThan(0);
    expect(scores.invalid).toBe(invalid.length);
    expect(Object.values(scores.invalidByLabel).reduce((a, b) => a + b, 0)).toBe(invalid.length);
    expect(scores.count).toBe(rows.length);
  });

  it('puts the point estimate inside its 95% bootstrap interval, per language too', () => {
    expect(scores.macroF1Interval.low).toBeLessThan(scores.macroF1);
    expect(scores.macroF1Interval.high).toBeGreaterThan(scores.macroF1);
    expect(scores.accuracyInterval.low).toBeLessThan(scores.accuracy);
    expect(scores.accuracyInterval.high).toBeGreaterThan(scores.accuracy);
    for (const l of Object.values(scores.perLanguage)) {
      expect(l.macroF1Interval.low).toBeLessThanOrEqual(l.macroF1);
      expect(l.macroF1Interval.high).toBeGreaterThanOrEqual(l.macroF1);
    }
  });
});

describe('bootstrapIntervals', () => {
  const labels = ['a', 'b'];
  const make = (n: number) => ({
    truth: Array.from({ length: n }, (_, i) => labels[i % 2] as string),
    // 80% right, spread evenly
    pred: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? labels[(i + 1) % 2] : labels[i % 2]) as string),
  });

  it('is the same for the same seed and differs for another', () => {
    const { truth, pred } = make(100);
    expect(bootstrapIntervals(labels, truth, pred, { seed: 3 })).toEqual(
      bootstrapIntervals(labels, truth, pred, { seed: 3 }),
    );
    expect(bootstrapIntervals(labels, truth, pred, { seed: 3 })).not.toEqual(
      bootstrapIntervals(labels, truth, pred, { seed: 4 }),
    );
  });

  it('narrows as the test set grows, roughly as 1/√n', () => {
    const small = make(50);
    const big = make(800);
    const w = (i: { low: number; high: number }) => i.high - i.low;
    const ws = w(bootstrapIntervals(labels, small.truth, small.pred).accuracy);
    const wb = w(bootstrapIntervals(labels, big.truth, big.pred).accuracy);
    // Binomial: 2 × 1.96 × √(0.16 / n) ≈ 0.22 for 50 items, 0.055 for 800.
    expect(ws).toBeGreaterThan(0.15);
    expect(ws).toBeLessThan(0.3);
    expect(wb).toBeGreaterThan(0.035);
    expect(wb).toBeLessThan(0.075);
  });

  it('is a point for perfect predictions and empty for no items', () => {
    const { truth } = make(40);
    expect(bootstrapIntervals(labels, truth, truth).macroF1).toEqual({ low: 1, high: 1 });
    expect(bootstrapIntervals(labels, [], []).accuracy).toEqual({ low: 0, high: 0 });
  });
});

describe('calibration', () => {
  it('bins predictions by confidence and weighs each bin’s gap by its share', () => {
    // 4 predictions at 0.95 (3 right), 2 at 0.55 (1 right), and one at exactly 0.6 (right: the 50–60% bin).
    const c = calibrationOf([0.95, 0.95, 0.95, 0.95, 0.55, 0.55, 0.6], [true, true, true, false, true, false, true]);
    expect(c.count).toBe(7);
    expect(c.bins.map((b) => [b.low, b.high, b.count])).toEqual([
      [0.5, 0.6, 3],
      [0.9, 1, 4],
    ]);
    const low = c.bins[0];
    expect(low?.confidence).toBeCloseTo((0.55 + 0.55 + 0.6) / 3, 12);
    expect(low?.accuracy).toBeCloseTo(2 / 3, 12);
    const ece = (3 / 7) * Math.abs(2 / 3 - 1.7 / 3) + (4 / 7) * Math.abs(0.75 - 0.95);
    expect(c.ece).toBeCloseTo(ece, 12);
    // Right exactly as often as sure: no error.
    expect(calibrationOf([0.5, 0.5, 1, 1], [true, false, true, true]).ece).toBeCloseTo(0, 12);
    expect(() => calibrationOf([0.5], [])).toThrow();
  });
});

describe('coverage at a confidence threshold', () => {
  it('answers only the predictions at least that sure, and says how often those are right', () => {
    const conf = [0.95, 0.9, 0.8, 0.6, 0.4];
    const ok = [true, true, false, true, false];
    expect(coverageAt(conf, ok, 0.8)).toEqual({ coverage: 0.6, accuracy: 2 / 3, answered: 3 });
    expect(coverageAt(conf, ok, 0)).toEqual({ coverage: 1, accuracy: 0.6, answered: 5 });
    expect(coverageAt(conf, ok, 0.99)).toEqual({ coverage: 0, accuracy: null, answered: 0 });
  });
});
