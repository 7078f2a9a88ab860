/**
 * @file What every benchmark shares: repeated timing with min / median / max, and the app
 * served by Vite (dev server, or the production build) in headless Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../tests/browser/helpers/chromium-args';
import { FIXTURE_MODELS_DIR } from '../../tests/fixtures/build';
import { readStore } from '../../tests/browser/helpers/idb';
import { createTaskInUi, NEWS_TASK } from '../../tests/browser/helpers/tasks';

// The served app's `/models/` folder holds the fixture models (as in the browser tests).
process.env.POLYCLASS_MODELS_DIR ??= FIXTURE_MODELS_DIR;

export const ROOT = resolve(import.meta.dirname ?? '.', '../..');

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function spread(runs: number[]): Spread {
  const sorted = [...runs].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? NaN,
    median: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    max: sorted.at(-1) ?? NaN,
    runs,
  };
}

/** `min / median / max` with the given digits. */
export const fmt = (s: Spread | null | undefined, digits = 0) =>
  s ? `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}` : '–';

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => existsSync(chromiumPath());

/**
 * Serves the app with Vite's dev server (COOP/COEP headers, `/models/` folder) and opens it in
 * headless Chromium; modules of the app can be imported in the page by their path.
 */
export async function withDevPage<T>(
  work: (page: Page, baseURL: string, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { createServer } = await import('vite');
  const { chromium } = await import('playwright-core');
  const server = await createServer({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'error',
    server: { port: 0, host: 'localhost' },
  });
  await server.listen();
  const address = server.httpServer?.address();
  const port = address && typeof address !== 'string' ? address.port : 0;
  // A profile on disk, as a user's: an incognito context keeps IndexedDB in memory, which
  // Chromium writes 3–6× slower than its on-disk store (measured), so figures would mislead.
  const userDataDir = await mkdtemp(join(tmpdir(), 'polyclass-bench-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const baseURL = `http://localhost:${port}`;
    await page.goto(`${baseURL}/`);
    return await work(page, baseURL, context);
  } finally {
    await context.close();
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

/** Builds the app and serves the build with `vite preview`; `work` gets the address. */
export async function withBuiltApp<T>(work: (baseURL: string) => Promise<T>): Promise<T> {
  const { build, preview } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'polyclass-bench-dist-'));
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'error', build: { outDir } });
  const server = await preview({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'error',
    build: { outDir },
    preview: { host: 'localhost', port: 0, strictPort: false },
  });
  try {
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('preview server has no TCP address');
    return await work(`http://localhost:${address.port}`);
  } finally {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * The production build in headless Chromium at 1280×800, on a profile on disk (as a user's),
 * with the news task created through the editor; `work` gets the page, the address, the task's
 * id and the browser context.
 */
export async function withBuiltAppTask<T>(
  work: (page: Page, baseURL: string, taskId: string, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { chromium } = await import('playwright-core');
  return withBuiltApp(async (baseURL) => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'polyclass-bench-view-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${baseURL}/#/tasks`);
      await createTaskInUi(page, baseURL, { ...NEWS_TASK, seeds: {} });
      const [task] = await readStore<{ id: string }>(page, 'tasks');
      if (!task) throw new Error('the task was not created');
      return await work(page, baseURL, task.id, context);
    } finally {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
}

/** Imports one of the app's modules inside the page (served and transformed by Vite). */
export const IMPORT_IN_PAGE = 'return import(u)';
