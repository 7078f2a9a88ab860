/**
 * @file Launches Debian's (or any installed) Chromium for browser tests with a real
 * software WebGPU adapter and a fresh profile, and records every request the page makes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_ARGS } from './chromium-args';

/** The executable found by scripts/test.mjs (CHROMIUM_PATH), else Debian's. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export interface AppSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the page and its workers requested, in order. */
  requests: string[];
  /** Uncaught page errors and console errors, for assertions and debugging. */
  errors: string[];
  baseURL: string;
  close(): Promise<void>;
}

/**
 * Opens the app in a fresh persistent profile (IndexedDB survives reloads within the session).
 * @param path hash route to open, e.g. `#/settings`
 * @param baseURL server to open; the dev server started by the global setup by default
 * @param extraArgs more Chromium flags (e.g. a host name mapped to a loopback address)
 * @param options.clock install Playwright's clock before the page loads: time flows as usual,
 *   and `context.clock.fastForward` skips a wait (an Undo window) instead of sitting it out
 */
export async function openApp(
  path = '',
  baseURL = inject('baseURL'),
  extraArgs: readonly string[] = [],
  options: { clock?: boolean } = {},
): Promise<AppSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'polyclass-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, ...extraArgs],
    headless: true,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  if (options.clock) await context.clock.install();
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${baseURL}/${path}`);
  return {
    context,
    page,
    requests,
    errors,
    baseURL,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
