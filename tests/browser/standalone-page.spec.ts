/**
 * @file The standalone classifier page: exported from the Train view as a zip of one folder,
 * unzipped on disk and opened with no polyclass and no server. The n-gram student classifies
 * from `file://` exactly as the app's code does; a head on an embedding model carries the
 * model's files and onnxruntime-web, says it needs a web server when opened from disk, and
 * classifies when the folder is served by a plain static server.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromClassifierFile } from '../../src/lib/ml/classifier-file';
import { predictNgram } from '../../src/lib/ml/ngram-student';
import { openStudent } from '../../src/lib/ml/student';
import { ENCODER_ID } from '../fixtures/models';
import { sib200 } from '../fixtures/sib200';
import { openApp, type AppSession } from './helpers/chromium';
import { addDemoProject, trainNgramStudent, useModelFolder } from './helpers/steps';

let app: AppSession;
let dir: string;
let server: Server | undefined;

const texts = sib200('swh_Latn', 'test')
  .slice(0, 4)
  .map((r) => r.text);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polyclass-standalone-'));
  app = await openApp('#/settings');
  await useModelFolder(app.page, app.baseURL);
  await app.page.goto(`${app.baseURL}/#/tasks`);
  await addDemoProject(app.page);
});

afterAll(async () => {
  await app?.close();
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Clicks "Standalone page" on the newest classifier; unzips the download into `into`; returns the folder. */
async function exportPage(into: string): Promise<string> {
  const { page } = app;
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId('classifier-item').first().getByRole('button', { name: 'Standalone page' }).click();
  const download = await downloading;
  const zip = join(into, download.suggestedFilename());
  await download.saveAs(zip);
  await page.getByTestId('standalone-status').filter({ hasText: 'Saved' }).waitFor();
  const files = unzipSync(new Uint8Array(await readFile(zip)));
  const names = Object.keys(files);
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    await mkdir(dirname(join(into, name)), { recursive: true });
    await writeFile(join(into, name), bytes);
  }
  const folder = names[0]?.split('/')[0] as string;
  return join(into, folder);
}

/** Types the texts and classifies; returns the labels shown. */
async function classify(page: Page): Promise<string[]> {
  await page.getByLabel(/Texts to classify/).fill(texts.join('\n'));
  await page.getByRole('button', { name: 'Classify' }).click();
  const error = page.locator('#status.error');
  await page.locator('#results tbody tr').first().or(error).waitFor({ timeout: 90_000 });
  if (await error.count()) throw new Error(`the page said: ${await error.textContent()}`);
  return page.locator('#results td.label').allTextContents();
}

/** The classifier file the page carries (classifier.js sets window.POLYCLASS). */
async function carried(folder: string): Promise<{ classifier: unknown; labels: { name: string }[] }> {
  const js = await readFile(join(folder, 'classifier.js'), 'utf8');
  return JSON.parse(js.replace(/^window\.POLYCLASS = /, '').replace(/;\s*$/, '')) as never;
}

describe('standalone classifier page', () => {
  it('classifies with the n-gram student opened from disk, as the app code does, with no request', async () => {
    await trainNgramStudent(app.page, app.baseURL);
    // The page starts with the app's "not sure" threshold (Playground).
    await app.page.goto(`${app.baseURL}/#/playground`);
    await app.page.getByTestId('not-sure').getByRole('checkbox').check();
    await app.page.getByTestId('threshold-evidence').filter({ hasText: 'Evaluate this student' }).waitFor();
    await app.page.goto(`${app.baseURL}/#/train`);
    const folder = await exportPage(await mkdtemp(join(dir, 'ngram-')));
    expect((await readFile(join(folder, 'README.txt'), 'utf8')).length).toBeGreaterThan(0);
    await expect(stat(join(folder, 'models'))).rejects.toThrow();

    const page = await app.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(folder, 'index.html')).href);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Demo: news topics (SIB-200)');
    const threshold = page.getByLabel(/Say “not sure” below this confidence/);
    expect(await threshold.inputValue()).toBe('80');
    // At 99% the page is not sure of the texts its student gives less (calibrated, as the app's
    // code computes it), and gives its best guesses for those.
    const carriedFile = (await carried(folder)).classifier;
    const confidences = (await openStudent(carriedFile).probabilities(texts)).map((p) => Math.max(...p));
    const unsure = confidences.filter((c) => c < 0.99).length;
    expect(unsure).toBeGreaterThan(0);
    await threshold.fill('99');
    await page.getByLabel(/Texts to classify/).fill(texts.join('\n'));
    await page.getByRole('button', { name: 'Classify' }).click();
    await page.locator('#results tbody tr').first().waitFor({ timeout: 90_000 });
    expect(await page.locator('#results td .label').allTextContents()).toEqual(new Array(unsure).fill('Not sure'));
    expect(await page.locator('#results td .note').allTextContents()).toEqual(
      new Array(unsure).fill(expect.stringMatching(/^best guess: \S+ \(\d+%\)$/)),
    );
    expect(await page.locator('#results td.label').count()).toBe(texts.length - unsure);
    // At 0 it always answers; changing the threshold relabels what is shown.
    await threshold.fill('0');
    await expect.poll(() => page.locator('#results td.label').count()).toBe(texts.length);
    const labels = await classify(page);
    const { model } = fromClassifierFile((await carried(folder)).classifier);
    if (model.kind !== 'ngram') throw new Error('expected the n-gram student');
    const expected = texts.map((t) => {
      const p = predictNgram(model, t);
      return model.labels[p.indexOf(Math.max(...p))];
    });
    expect(labels).toEqual(expected);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    // Untrusted text is shown as text.
    await page.getByLabel(/Texts to classify/).fill('<img src=x onerror="window.hacked=1">');
    await page.getByRole('button', { name: 'Classify' }).click();
    await page.locator('#results td[dir="auto"]').filter({ hasText: '<img' }).waitFor();
    expect(await page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
    await page.close();
    await app.page.goto(`${app.baseURL}/#/playground`);
    await app.page.getByTestId('not-sure').getByRole('checkbox').uncheck();
    await app.page.getByTestId('threshold-evidence').filter({ hasText: 'Off:' }).waitFor();
  });

  it('carries the embedding model for a head: needs a server from disk, classifies when served', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/train`);
    await page.getByLabel(/Logistic regression on sentence embeddings/).check();
    await page.getByLabel('Embedding model').fill(ENCODER_ID);
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    // The list follows the save a moment later: export once the head (it has an ONNX export) is first.
    await page.getByTestId('classifier-item').first().getByRole('button', { name: 'ONNX head' }).waitFor();
    const folder = await exportPage(await mkdtemp(join(dir, 'head-')));
    expect((await stat(join(folder, 'models', ENCODER_ID, 'onnx', 'model.onnx'))).size).toBeGreaterThan(0);
    expect((await stat(join(folder, 'ort', 'ort-wasm-simd-threaded.wasm'))).size).toBeGreaterThan(0);

    const fromDisk = await app.context.newPage();
    await fromDisk.goto(pathToFileURL(join(folder, 'index.html')).href);
    expect(await fromDisk.getByRole('status').textContent()).toContain('python3 -m http.server');
    expect(await fromDisk.getByRole('button', { name: 'Classify' }).isDisabled()).toBe(true);
    await fromDisk.close();

    // A plain static server, as on a workshop laptop: no special headers.
    server = createServer((req, res) => {
      const path = normalize(join(folder, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      const file = path.endsWith('/') ? join(path, 'index.html') : path;
      if (!file.startsWith(folder)) return void res.writeHead(403).end();
      stat(file)
        .then(() => {
          const types: Record<string, string> = {
            '.html': 'text/html',
            '.js': 'text/javascript',
            '.mjs': 'text/javascript',
            '.wasm': 'application/wasm',
            '.json': 'application/json',
          };
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
          createReadStream(file).pipe(res);
        })
        .catch(() => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const served = await app.context.newPage();
    const requests: string[] = [];
    served.on('request', (r) => requests.push(r.url()));
    await served.goto(`${origin}/index.html`);
    const labels = await classify(served);
    const names = (await carried(folder)).labels.map((l) => l.name);
    expect(labels).toHaveLength(texts.length);
    for (const l of labels) expect(names).toContain(l);
    expect(requests.some((u) => u.includes(`/models/${ENCODER_ID}/`))).toBe(true);
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual(
      [],
    );
    await served.close();
  });

  it('trains the same head with the encoder on WebGPU, in a training worker on the WebGPU build', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/settings`);
    await page.locator('select[name="encoder-device"]').selectOption('webgpu');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const runtimes: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (/ort-wasm-simd-threaded/.test(r.url())) runtimes.push(r.url());
    };
    app.context.on('request', onRequest);
    await page.goto(`${baseURL}/#/train`);
    await page.getByTestId('classifier-item').first().waitFor();
    const before = await page.getByTestId('classifier-item').count();
    await page.getByLabel(/Logistic regression on sentence embeddings/).check();
    await page.getByLabel('Embedding model').fill(ENCODER_ID);
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 180_000 });
    await expect.poll(() => page.getByTestId('classifier-item').count()).toBe(before + 1);
    app.context.off('request', onRequest);
    // The processor's build was already loaded by the first training; WebGPU needed the other one.
    expect(runtimes.some((u) => /ort-wasm-simd-threaded\.asyncify/.test(u))).toBe(true);
  });
});
