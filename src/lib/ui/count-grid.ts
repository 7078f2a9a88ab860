/**
 * @file Counts of samples per label (rows) and language (columns), with the totals of each row
 * and column: the grid the Dataset view's counts per split and Evaluate's test data show.
 */

export interface CountGrid {
  rows: { label: string; cells: number[]; total: number }[];
  /** One per language, in the order given. */
  columnTotals: number[];
  total: number;
}

/** The grid of `count(language, label)` over these labels and languages. */
export function countGrid(
  labels: readonly string[],
  languages: readonly string[],
  count: (language: string, label: string) => number,
): CountGrid {
  const columnTotals = languages.map(() => 0);
  const rows = labels.map((label) => {
    const cells = languages.map((language, j) => {
      const n = count(language, label);
      columnTotals[j] = (columnTotals[j] as number) + n;
      return n;
    });
    return { label, cells, total: cells.reduce((a, b) => a + b, 0) };
  });
  return { rows, columnTotals, total: columnTotals.reduce((a, b) => a + b, 0) };
}

/**
 * A language's name and its qualifier in parentheses, apart ("Swahili (macrolanguage)" →
 * "Swahili", "(macrolanguage)"), so a narrow column can show the name alone.
 */
export function nameAndQualifier(name: string): { name: string; qualifier: string | null } {
  const m = /^(.+?)\s+(\([^()]+\))$/.exec(name);
  return m ? { name: m[1] as string, qualifier: m[2] as string } : { name, qualifier: null };
}
