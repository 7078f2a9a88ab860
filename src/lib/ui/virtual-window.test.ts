import { describe, expect, it } from 'vitest';
import { visibleWindow, WINDOW_FROM } from './virtual-window';

describe('visibleWindow', () => {
  const base = { count: 100_000, rowHeight: 40, viewport: 800, overscan: 10 };

  it('draws every row of a short table', () => {
    expect(visibleWindow({ ...base, count: WINDOW_FROM, top: -5000 })).toEqual({ first: 0, last: WINDOW_FROM });
  });

  it('draws the rows in view and a margin, wherever the table is scrolled', () => {
    // Table below the fold: its first rows, as many as would show.
    expect(visibleWindow({ ...base, top: 400 })).toEqual({ first: 0, last: 20 });
    // Scrolled 1,000 rows down: rows 1000–1020 are in view.
    expect(visibleWindow({ ...base, top: -40_000 })).toEqual({ first: 990, last: 1030 });
    // Past the end: the last rows only.
    expect(visibleWindow({ ...base, count: 1000, top: -50_000 })).toEqual({ first: 1000, last: 1000 });
  });

  it('always covers the viewport', () => {
    for (let top = -4_000_000; top < 1000; top += 9973) {
      const { first, last } = visibleWindow({ ...base, top });
      const inView = { from: Math.floor(-top / 40), to: Math.ceil((800 - top) / 40) };
      expect(first).toBeLessThanOrEqual(Math.max(0, inView.from));
      expect(last).toBeGreaterThanOrEqual(Math.min(base.count, inView.to));
      expect(last - first).toBeLessThanOrEqual(800 / 40 + 2 * 10 + 1);
    }
  });
});
