import { describe, expect, it } from 'vitest';
import { affectedCells, cellF1, confusedCells, type Prediction } from './confusion';

const LABELS = ['sports', 'politics', 'health'];

/** `n` predictions of a cell. */
const many = (n: number, truth: string, predicted: string, language: string): Prediction[] =>
  Array.from({ length: n }, () => ({ truth, predicted, language }));

describe('confusion-pair selection', () => {
  it('ranks cells by the share of their texts taken for one other label, one target per cell', () => {
    const predictions = [
      // Swahili sports: 6 of 10 taken for politics, 2 for health.
      ...many(2, 'sports', 'sports', 'sw'),
      ...many(6, 'sports', 'politics', 'sw'),
      ...many(2, 'sports', 'health', 'sw'),
      // Hausa health: 3 of 4 taken for sports (a higher share, fewer texts).
      ...many(1, 'health', 'health', 'ha'),
      ...many(3, 'health', 'sports', 'ha'),
      // Swahili politics: 3 of 20 taken for sports.
      ...many(17, 'politics', 'politics', 'sw'),
      ...many(3, 'politics', 'sports', 'sw'),
      // Hausa politics: 1 confusion only (below the minimum), and invalid LLM-style answers.
      ...many(9, 'politics', 'politics', 'ha'),
      ...many(1, 'politics', 'health', 'ha'),
      ...many(5, 'politics', 'I do not know', 'ha'),
    ];
    expect(confusedCells(predictions, LABELS)).toEqual([
      { label: 'health', language: 'ha', confusedWith: 'sports', count: 3, support: 4 },
      { label: 'sports', language: 'sw', confusedWith: 'politics', count: 6, support: 10 },
      { label: 'politics', language: 'sw', confusedWith: 'sports', count: 3, support: 20 },
    ]);
    expect(confusedCells(predictions, LABELS, { max: 1 })).toHaveLength(1);
    expect(
      confusedCells(predictions, LABELS, { minCount: 1, max: 10 }).map((t) => `${t.label}/${t.language}`),
    ).toContain('politics/ha');
  });

  it('breaks ties by the task order of labels, and finds nothing in perfect predictions', () => {
    const tie = [...many(2, 'health', 'politics', 'sw'), ...many(2, 'health', 'sports', 'sw')];
    expect(confusedCells(tie, LABELS)[0]?.confusedWith).toBe('sports');
    expect(confusedCells(many(5, 'sports', 'sports', 'sw'), LABELS)).toEqual([]);
  });

  it('scores the affected cells: each target cell and the label it was taken for', () => {
    const cells = affectedCells([
      { label: 'sports', language: 'sw', confusedWith: 'politics' },
      { label: 'politics', language: 'sw', confusedWith: 'sports' },
    ]);
    expect(cells).toEqual([
      { label: 'sports', language: 'sw' },
      { label: 'politics', language: 'sw' },
    ]);
    const predictions = [
      ...many(2, 'sports', 'sports', 'sw'),
      ...many(2, 'sports', 'politics', 'sw'),
      ...many(4, 'politics', 'politics', 'sw'),
    ];
    // sports: precision 1, recall 0.5 → F1 2/3; politics: precision 4/6, recall 1 → F1 0.8.
    const { f1, macro } = cellF1(predictions, LABELS, cells);
    expect(f1[0]).toBeCloseTo(2 / 3);
    expect(f1[1]).toBeCloseTo(0.8);
    expect(macro).toBeCloseTo((2 / 3 + 0.8) / 2);
  });
});
