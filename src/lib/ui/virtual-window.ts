/**
 * @file Which rows of a long table to draw: those in the viewport and a margin around them. The
 * rest are one spacer above and one below, as tall as the rows they stand for, so the page
 * scrolls as if every row were there (rows are estimated at the height measured on drawn ones).
 */

/** Below this many rows every row is drawn (find in page and screen readers see them all). */
export const WINDOW_FROM = 300;

export interface WindowInput {
  /** Rows in the table. */
  count: number;
  /** Estimated height of one row, px (> 0). */
  rowHeight: number;
  /** Where the first row's top is, relative to the viewport's top, px (negative once scrolled past). */
  top: number;
  /** The viewport's height, px. */
  viewport: number;
  /** Rows drawn beyond each edge of the viewport. */
  overscan: number;
}

/** The rows to draw, [first, last). */
export function visibleWindow({ count, rowHeight, top, viewport, overscan }: WindowInput): {
  first: number;
  last: number;
} {
  if (count <= WINDOW_FROM) return { first: 0, last: count };
  const h = Math.max(1, rowHeight);
  const clamp = (n: number) => Math.min(count, Math.max(0, n));
  const first = clamp(Math.floor(-top / h) - overscan);
  const last = Math.max(first, clamp(Math.ceil((viewport - top) / h) + overscan));
  return { first, last };
}
