/**
 * @file Runs in the benchmark's page: draws scale curves with uPlot (the app's chart library)
 * on logarithmic axes, for `scripts/bench/chart.ts` to photograph into BENCHMARKS.md.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface CurveSeries {
  label: string;
  color: string;
  dash?: number[];
  /** [x, y] pairs; x values need not be shared between series. */
  points: [number, number][];
}

export interface CurvePanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: CurveSeries[];
}

/** Draws the panels side by side in a white box with the given id; resolves once drawn. */
export function drawCurves(panels: CurvePanel[], id: string, width = 560, height = 340): void {
  const box = document.createElement('div');
  box.id = id;
  box.style.cssText = 'display:flex;gap:16px;padding:12px;background:#fff;width:max-content;font:13px sans-serif';
  document.body.replaceChildren(box);
  for (const panel of panels) {
    const el = document.createElement('div');
    box.append(el);
    // One x column for every series: the union of their x values, with gaps where a series has none.
    const xs = [...new Set(panel.series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
    const ys = panel.series.map((s) => xs.map((x) => s.points.find(([px]) => px === x)?.[1] ?? null));
    new uPlot(
      {
        title: panel.title,
        width,
        height,
        // A picture, not a live chart: the legend names the lines and shows no cursor values.
        legend: { live: false },
        // The x axis spans the data (not the next powers of ten), so its last label fits.
        scales: {
          x: { time: false, distr: 3, range: (): uPlot.Range.MinMax => [(xs[0] ?? 1) / 1.4, (xs.at(-1) ?? 10) * 1.4] },
          y: { distr: 3 },
        },
        axes: [
          // Ticks at the measured sizes only.
          {
            label: panel.xLabel,
            splits: () => xs,
            values: (_u, ticks) => ticks.map((x) => (x == null ? '' : x.toLocaleString('en'))),
          },
          { label: panel.yLabel, size: 60 },
        ],
        series: [
          { label: panel.xLabel },
          ...panel.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            spanGaps: true,
            points: { show: true, size: 7 },
            ...(s.dash ? { dash: s.dash } : {}),
          })),
        ],
      },
      [xs, ...ys] as uPlot.AlignedData,
      el,
    );
  }
}
