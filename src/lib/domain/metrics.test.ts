import { describe, expect, it } from 'vitest';
import { computeMetrics, macroF1ByLanguage } from './metrics';

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
