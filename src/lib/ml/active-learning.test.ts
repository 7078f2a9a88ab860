/**
 * @file Choosing texts to label: the most uncertain first, near-copies of a chosen text pushed
 * back by the diversity term, deterministic; and the labelling simulation's shape.
 */
import { describe, expect, it } from 'vitest';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { chooseToLabel, exploredCount, margin, simulateLabelling } from './active-learning';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe('chooseToLabel', () => {
  it('measures uncertainty as the margin between the two likeliest labels', () => {
    expect(margin([0.5, 0.3, 0.2])).toBeCloseTo(0.2, 12);
    expect(margin([0.2, 0.2, 0.6])).toBeCloseTo(0.4, 12);
    expect(margin([1, 0])).toBe(1);
  });

  it('takes the most uncertain texts first', () => {
    const probabilities = [
      [0.9, 0.1],
      [0.55, 0.45],
      [0.7, 0.3],
      [0.51, 0.49],
    ];
    const vectors = [unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1), unit(1, 1, 1)];
    expect(chooseToLabel(probabilities, vectors, [], 2, { candidates: 5, diversity: 0, explore: 0 })).toEqual([3, 1]);
    expect(chooseToLabel(probabilities, vectors, [], 10, { candidates: 5, diversity: 0, explore: 0 })).toEqual([
      3, 1, 2, 0,
    ]);
    expect(chooseToLabel(probabilities, vectors, [], 0)).toEqual([]);
    // By default one in five is drawn at random (here one of four), and comes last.
    const d = chooseToLabel(probabilities, vectors, [], 4, { diversity: 0 });
    expect(new Set(d).size).toBe(4);
    expect(d.slice(0, 3)).toEqual([3, 1, 2, 0].filter((i) => i !== d[3]));
  });

  it('passes over near-copies of a chosen or labelled text when diversity counts', () => {
    // Texts 0–2 are one confusing text three times; text 3 is a little less uncertain and different.
    const probabilities = [
      [0.5, 0.5],
      [0.5, 0.5],
      [0.5, 0.5],
      [0.6, 0.4],
    ];
    const same = unit(1, 0.1, 0);
    const vectors = [same, same, same, unit(0, 0, 1)];
    expect(chooseToLabel(probabilities, vectors, [], 2, { candidates: 5, diversity: 0, explore: 0 })).toEqual([0, 1]);
    expect(chooseToLabel(probabilities, vectors, [], 2, { candidates: 5, diversity: 0.3, explore: 0 })).toEqual([0, 3]);
    // A text like one already labelled is passed over from the start.
    expect(chooseToLabel(probabilities, vectors, [same], 1, { candidates: 5, diversity: 0.3, explore: 0 })).toEqual([
      3,
    ]);
  });
});

describe('chooseToLabel’s other terms', () => {
  // Four texts the student calls label 0, one it calls label 1; all about as uncertain.
  const probabilities = [
    [0.52, 0.48],
    [0.53, 0.47],
    [0.54, 0.46],
    [0.55, 0.45],
    [0.4, 0.6],
  ];
  const vectors = [unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1), unit(1, 1, 0), unit(0, 1, 1)];

  it('balances a batch over the labels the student predicts, when asked', () => {
    expect(chooseToLabel(probabilities, vectors, [], 2, { diversity: 0, explore: 0 })).toEqual([0, 1]);
    expect(chooseToLabel(probabilities, vectors, [], 2, { diversity: 0, balance: true, explore: 0 })).toEqual([0, 4]);
    // Five texts, two labels: at most three per predicted label, the fourth only when nothing else is left.
    expect(chooseToLabel(probabilities, vectors, [], 5, { diversity: 0, balance: true, explore: 0 })).toEqual([
      0, 1, 2, 4, 3,
    ]);
  });

  it('draws a share at random, seeded', () => {
    const rng = () => 0.99;
    // The shuffle with a generator always near 1 leaves the order as it is: texts 0 and 1 are
    // drawn, and come last; the student's two most uncertain of the rest come first.
    const picked = chooseToLabel(probabilities, vectors, [], 4, { diversity: 0, explore: 0.5 }, rng);
    expect(picked).toEqual([2, 3, 0, 1]);
    expect(exploredCount(4, { explore: 0.5 })).toBe(2);
    expect(exploredCount(25, { explore: 0.2 })).toBe(5);
  });

  it('prefers texts unlike every training text when novelty counts', () => {
    const reference = [unit(1, 0, 0), unit(0, 1, 0)];
    expect(chooseToLabel(probabilities, vectors, [], 1, { diversity: 0, explore: 0 }, undefined, reference)).toEqual([
      0,
    ]);
    expect(
      chooseToLabel(probabilities, vectors, [], 1, { diversity: 0, novelty: 1, explore: 0 }, undefined, reference),
    ).toEqual([2]);
  });
});

describe('simulateLabelling', () => {
  it('scores the synthetic start and each budget, the same for the same seed', () => {
    const synthetic = noisyLabelledTexts(10, 0.3, 1).rows;
    const pool = noisyLabelledTexts(20, 0, 2).rows.map((r) => ({ ...r, text: `${r.text} p` }));
    const test = noisyLabelledTexts(10, 0, 3).rows.map((r) => ({ ...r, text: `${r.text} t` }));
    const labels = ['sports', 'politics', 'health'];
    const options = { budgets: [5, 10], round: 5, seed: 4 };
    const a = simulateLabelling(synthetic, pool, test, labels, options);
    expect(a.active).toHaveLength(2);
    expect(a.random).toHaveLength(2);
    for (const f of [a.synthetic, ...a.active, ...a.random]) expect(f).toBeGreaterThan(0);
    expect(simulateLabelling(synthetic, pool, test, labels, options)).toEqual(a);
  });
});
