/**
 * @file Charts that follow their box: a window made narrower (a phone turned, a split screen)
 * resizes a chart drawn wider, so it never pushes the page sideways.
 */

/** What of a uPlot chart resizing needs. */
interface Sizable {
  width: number;
  height: number;
  setSize(size: { width: number; height: number }): void;
}

/**
 * Keeps a chart as wide as its box, up to `max` pixels.
 * @param chart the chart drawn now (null before the first)
 * @returns stops following
 */
export function followWidth(box: HTMLElement, max: number, chart: () => Sizable | null): () => void {
  const observer = new ResizeObserver(() => {
    const c = chart();
    const width = Math.min(max, box.clientWidth || max);
    if (c && Math.abs(c.width - width) > 1) c.setSize({ width, height: c.height });
  });
  observer.observe(box);
  return () => observer.disconnect();
}
