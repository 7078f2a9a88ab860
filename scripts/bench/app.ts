/**
 * @file Figures 5, 6 and 7, on the production build in headless Chromium:
 * 5. main-thread health: long tasks (over 50 ms, PerformanceObserver) while a generation job
 *    and a training job run, beside an idle window of the same length;
 * 6. app weight: JavaScript and wasm bytes fetched before the first view is interactive, and
 *    the time to interactive, cold (fresh profile) beside warm (from the service worker);
 * 7. pipeline overhead per generated sample (prompting, parsing, filtering, language ID,
 *    persisting) with a recorded generator that answers at once, as a share of a typical LLM
 *    call (stated assumption: no GPU here to time one).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../tests/browser/helpers/chromium-args';
import { countStore } from '../../tests/browser/helpers/idb';
import { addDemoProject, trainNgramStudent, useModelFolder } from '../../tests/browser/helpers/steps';
import { createTaskInUi, NEWS_TASK } from '../../tests/browser/helpers/tasks';
import { chromiumPath, spread, withBuiltApp, type Spread } from './harness';

const REPS = 3;
/** The stated reference for figure 7: a 1.5B model in WebLLM on a laptop GPU. */
export const TYPICAL_LLM = { tokensPerSecond: 30, tokensPerSample: 35 };

export interface LongTasks {
  count50: number;
  count100: number;
  maxMs: number;
  windowMs: number;
}

export interface AppFigures {
  weight: {
    coldMs: Spread;
    warmMs: Spread;
    ratio: number;
    jsBytes: Spread;
    wasmBytes: Spread;
  };
  mainThread: { generation: LongTasks[]; training: LongTasks[]; idle: LongTasks[] };
  overhead: {
    msPerSample: Spread;
    samples: number;
    typicalLlmMsPerSample: number;
    share: number;
  };
}

async function profile(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(join(tmpdir(), 'polyclass-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Loads the Tasks view and returns ms from navigation to a usable "New task" button. */
async function timeToInteractive(page: Page, baseURL: string): Promise<number> {
  await page.goto(`${baseURL}/#/tasks`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'New task' }).waitFor();
  return page.evaluate(() => performance.now());
}

const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
`;

async function longTasksDuring(page: Page, work: () => Promise<void>): Promise<LongTasks> {
  await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
  const t0 = Date.now();
  await work();
  const windowMs = Date.now() - t0;
  const tasks = await page.evaluate(() => [...(window as unknown as { __longTasks: number[] }).__longTasks]);
  return {
    count50: tasks.length,
    count100: tasks.filter((d) => d > 100).length,
    maxMs: Math.max(0, ...tasks),
    windowMs,
  };
}

export async function appFigures(): Promise<AppFigures> {
  return withBuiltApp(async (baseURL) => {
    // 6. Weight and time to interactive, cold and warm.
    const cold: number[] = [];
    const warm: number[] = [];
    const js: number[] = [];
    const wasm: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const p = await profile();
      try {
        const sizes: Promise<{ url: string; bytes: number }>[] = [];
        let counting = true;
        p.page.on('requestfinished', (req) => {
          if (counting) sizes.push(req.sizes().then((s) => ({ url: req.url(), bytes: s.responseBodySize })));
        });
        cold.push(await timeToInteractive(p.page, baseURL));
        counting = false;
        const loaded = await Promise.all(sizes);
        js.push(loaded.filter((x) => /\.m?js(\?|$)/.test(x.url)).reduce((a, x) => a + x.bytes, 0));
        wasm.push(loaded.filter((x) => /\.wasm(\?|$)/.test(x.url)).reduce((a, x) => a + x.bytes, 0));
        await p.page.getByTestId('offline-ready').waitFor({ timeout: 120_000 });
        await p.page.goto('about:blank');
        warm.push(await timeToInteractive(p.page, baseURL));
      } finally {
        await p.close();
      }
    }

    // 5 and 7. Long tasks during jobs; generation overhead per sample.
    const p = await profile();
    try {
      await p.context.addInitScript(LONG_TASK_OBSERVER);
      const { page } = p;
      await page.goto(`${baseURL}/#/tasks`);
      await addDemoProject(page);
      await useModelFolder(page, baseURL);
      const generation: LongTasks[] = [];
      const training: LongTasks[] = [];
      const idle: LongTasks[] = [];
      const perSample: number[] = [];
      let samples = 0;
      for (let r = 0; r < REPS; r++) {
        await createTaskInUi(page, baseURL, { ...NEWS_TASK, name: `Bench ${r}`, seeds: {} });
        await page.goto(`${baseURL}/#/generate`);
        await page.getByLabel(/Replay a recorded session/).check();
        await page.getByLabel('Samples per label and language').fill('3');
        let ms = 0;
        generation.push(
          await longTasksDuring(page, async () => {
            const t0 = Date.now();
            await page.getByRole('button', { name: 'Start generating' }).click();
            await page
              .getByTestId('gen-message')
              .filter({ hasText: 'Done: every label and language has its samples.' })
              .waitFor({ timeout: 120_000 });
            ms = Date.now() - t0;
          }),
        );
        samples = 18;
        perSample.push(ms / samples);
        idle.push(await longTasksDuring(page, () => new Promise((r) => setTimeout(r, ms))));
      }
      // Training on the demo project (its 300 human training sentences).
      await page.goto(`${baseURL}/#/tasks`);
      await page
        .getByTestId('task-item')
        .filter({ hasText: 'Demo: news topics' })
        .getByRole('button', { name: 'Work on this' })
        .click();
      for (let r = 0; r < REPS; r++) {
        // Counted, not read: reading the classifiers (megabytes of weights) on the page would be
        // the benchmark's own long task, not the app's.
        const before = await countStore(page, 'classifiers');
        training.push(
          await longTasksDuring(page, async () => {
            await trainNgramStudent(page, baseURL);
            while ((await countStore(page, 'classifiers')) === before) await new Promise((res) => setTimeout(res, 50));
          }),
        );
      }
      const typical = (1000 * TYPICAL_LLM.tokensPerSample) / TYPICAL_LLM.tokensPerSecond;
      const msPerSample = spread(perSample);
      return {
        weight: {
          coldMs: spread(cold),
          warmMs: spread(warm),
          ratio: spread(cold).median / spread(warm).median,
          jsBytes: spread(js),
          wasmBytes: spread(wasm),
        },
        mainThread: { generation, training, idle },
        overhead: { msPerSample, samples, typicalLlmMsPerSample: typical, share: msPerSample.median / typical },
      };
    } finally {
      await p.close();
    }
  });
}
