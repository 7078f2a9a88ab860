/**
 * @file What a workshop host deploys: the production build, served by `vite preview`, runs a
 * model from the model folder with onnxruntime-web's wasm bundled into the app's assets.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCODER_DIM, ENCODER_ID } from '../fixtures/models';
import { openApp, type AppSession } from './helpers/chromium';

let outDir: string;
let server: PreviewServer;
let app: AppSession;

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
  it('bundles the onnxruntime-web runtime as its own asset', async () => {
    const assets = await readdir(join(outDir, 'assets'));
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^encoder\.worker-.*\.js$/.test(f))).toBe(true);
  });

  it('is cross-origin isolated and embeds with a model from the model folder', async () => {
    const { page, baseURL } = app;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByLabel(/A model folder on this server/).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.goto(`${baseURL}/#/models`);
    const panel = page.getByTestId('model-check');
    await panel.getByLabel('Model id').fill(ENCODER_ID);
    await panel.getByLabel('Precision').selectOption('fp32');
    await panel.getByLabel('Device').selectOption('wasm');
    await panel.getByRole('button', { name: 'Load and embed' }).click();
    await panel.getByTestId('model-check-result').waitFor({ timeout: 90_000 });
    expect(await panel.getByTestId('dim').textContent()).toBe(String(ENCODER_DIM));
    const wasm = app.requests.filter((u) => u.endsWith('.wasm'));
    expect(wasm.length).toBeGreaterThan(0);
    for (const u of wasm) expect(new URL(u).origin).toBe(baseURL);
  });
});
