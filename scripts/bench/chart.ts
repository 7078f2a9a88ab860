/**
 * @file Scale curves as a PNG for BENCHMARKS.md: drawn by uPlot in headless Chromium
 * (`page-chart.ts`) and photographed.
 */
import type { CurvePanel } from './page-chart';
import { IMPORT_IN_PAGE, withDevPage } from './harness';

/** Draws the panels and writes the picture to `path` (a PNG). */
export async function renderCurves(panels: CurvePanel[], path: string): Promise<void> {
  await withDevPage(async (page) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const draw = () =>
      page.evaluate(
        async ({ code, panels }) => {
          const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-chart')>;
          const { drawCurves } = await load('/scripts/bench/page-chart.ts');
          drawCurves(panels, 'curves');
        },
        { code: IMPORT_IN_PAGE, panels },
      );
    try {
      await draw();
    } catch (error) {
      // The dev server reloads the page when it first optimises a dependency: ask again.
      if (!/Execution context was destroyed/.test(String(error))) throw error;
      await page.waitForLoadState('load');
      await draw();
    }
    if (errors.length) throw new Error(`the chart did not draw: ${errors.join('; ')}`);
    await page.locator('#curves').screenshot({ path });
  });
}
