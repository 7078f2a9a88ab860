/**
 * @file The Dataset view of a 100,000-sample task in the production build (Chromium, a profile
 * on disk): time from opening the view to its first rows and to its counts, and the main
 * thread's long tasks while a reader scrolls down through thousands of rows.
 */
import { fillTask } from '../../tests/browser/helpers/fill';
import { spread, withBuiltAppTask, type Spread } from './harness';

export const VIEW_SAMPLES = 100_000;
const REMOVED_EVERY = 50;
const RUNS = 3;
/** Rows a scroll run reads at least. */
const SCROLL_ROWS = 3000;

export interface DatasetViewFigure {
  samples: number;
  live: number;
  /** From navigation to the view's first row drawn, and to its counts shown. */
  firstRowsMs: Spread;
  countsMs: Spread;
  /** Scrolled down to row `reached` (rows read on the way), with `rowsDrawn` rows in the page at the end. */
  scroll: { reached: number; rowsDrawn: number; ms: number; longTasks: number; longestMs: number };
}

export async function datasetViewFigure(): Promise<DatasetViewFigure> {
  return withBuiltAppTask(async (page, baseURL, taskId) => {
    await fillTask(page, {
      taskId,
      count: VIEW_SAMPLES,
      labels: ['sports', 'politics', 'health'],
      languages: ['sw', 'ha'],
      removedEvery: REMOVED_EVERY,
    });
    const live = VIEW_SAMPLES - Math.floor(VIEW_SAMPLES / REMOVED_EVERY);
    const countText = `${live.toLocaleString('en')} of ${live.toLocaleString('en')} samples`;
    const first: number[] = [];
    const counted: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${baseURL}/#/tasks`);
      await page.getByRole('button', { name: 'New task' }).waitFor();
      const t0 = Date.now();
      await page.goto(`${baseURL}/#/dataset`);
      await page.getByTestId('sample-row').first().waitFor({ timeout: 120_000 });
      first.push(Date.now() - t0);
      await page.getByTestId('samples-count').getByText(countText).waitFor({ timeout: 120_000 });
      counted.push(Date.now() - t0);
    }

    // Scroll down as a reader does until SCROLL_ROWS rows were read; long tasks on the page meanwhile.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    const rows = page.getByTestId('sample-row');
    const lastIndex = async () => Number(await rows.last().getAttribute('aria-rowindex'));
    await page.mouse.move(640, 400);
    const t0 = Date.now();
    for (let step = 0; step < 400 && (await lastIndex()) < SCROLL_ROWS + 1; step++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(30);
    }
    const ms = Date.now() - t0;
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    return {
      samples: VIEW_SAMPLES,
      live,
      firstRowsMs: spread(first),
      countsMs: spread(counted),
      scroll: {
        reached: (await lastIndex()) - 1,
        rowsDrawn: await rows.count(),
        ms,
        longTasks: longTasks.length,
        longestMs: Math.max(0, ...longTasks),
      },
    };
  });
}
