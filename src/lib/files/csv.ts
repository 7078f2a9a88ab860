/**
 * @file CSV for spreadsheets. A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is run as a formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)` in a generated
 * text becomes a live link). Exports guard such cells by default with a leading `'` (papaparse's
 * `escapeFormulae`), which spreadsheets show and save without it; `raw` writes cells as they are.
 * Importing a CSV takes the guard off again, so an export imports back unchanged.
 */
import Papa from 'papaparse';

/** A guarded cell: `'` before what a spreadsheet would read as a formula. */
const GUARDED = /^'[=+\-@\t\r]/;

export interface CsvOptions {
  /** Write every cell exactly as it is (no formula guard). */
  raw?: boolean;
}

/** CSV with a header row and `\n` line ends; strings that look like formulas are guarded unless `raw`. */
export function toCsv(
  fields: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: CsvOptions = {},
): string {
  return `${Papa.unparse(
    { fields: [...fields], data: rows.map((r) => [...r]) },
    { newline: '\n', escapeFormulae: !options.raw },
  )}\n`;
}

/** CSV lines for rows only (no header), to append to a file {@link toCsv} started. */
export function csvRows(rows: readonly (readonly unknown[])[], options: CsvOptions = {}): string {
  if (rows.length === 0) return '';
  return `${Papa.unparse(
    rows.map((r) => [...r]),
    { newline: '\n', escapeFormulae: !options.raw },
  )}\n`;
}

/** A cell read from a CSV with its formula guard taken off (`'=1+1` → `=1+1`); other cells as they are. */
export function unguardCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
