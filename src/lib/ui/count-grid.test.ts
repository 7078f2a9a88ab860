import { describe, expect, it } from 'vitest';
import { countGrid, nameAndQualifier } from './count-grid';

describe('countGrid', () => {
  it('counts each label in each language, with the totals of every row and column', () => {
    const counts: Record<string, Record<string, number>> = { sw: { sports: 3, politics: 1 }, ha: { sports: 2 } };
    const grid = countGrid(['sports', 'politics', 'health'], ['sw', 'ha'], (lang, label) => counts[lang]?.[label] ?? 0);
    expect(grid.rows).toEqual([
      { label: 'sports', cells: [3, 2], total: 5 },
      { label: 'politics', cells: [1, 0], total: 1 },
      { label: 'health', cells: [0, 0], total: 0 },
    ]);
    expect(grid.columnTotals).toEqual([4, 2]);
    expect(grid.total).toBe(6);
  });

  it('is empty but whole with no labels', () => {
    expect(countGrid([], ['sw'], () => 1)).toEqual({ rows: [], columnTotals: [0], total: 0 });
  });
});

describe('nameAndQualifier', () => {
  it('sets a trailing qualifier in parentheses apart, and leaves other names whole', () => {
    expect(nameAndQualifier('Swahili (macrolanguage)')).toEqual({ name: 'Swahili', qualifier: '(macrolanguage)' });
    expect(nameAndQualifier('Hausa')).toEqual({ name: 'Hausa', qualifier: null });
    expect(nameAndQualifier('(x)')).toEqual({ name: '(x)', qualifier: null });
    expect(nameAndQualifier('Sotho (Southern) dialect')).toEqual({ name: 'Sotho (Southern) dialect', qualifier: null });
  });
});
