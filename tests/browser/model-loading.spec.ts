/**
 * @file The real transformers.js loading path in the browser: a user points polyclass at a
 * same-origin model folder, checks a model on the CPU and on WebGPU, gets the same
 * embeddings as onnxruntime-node gives, and a broken model folder gets a clear message.
 * Nothing is ever fetched from outside localhost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransformersEncoder } from '../../src/lib/backends/transformers-encoder';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import type { EncoderSpec } from '../../src/lib/domain/model-spec';
import { PROBE_TEXTS } from '../../src/lib/domain/probe-texts';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { BROKEN_ENCODER_ID, ENCODER_DIM, ENCODER_ID } from '../fixtures/models';
import { openApp, type AppSession } from './helpers/chromium';

const TEXTS = PROBE_TEXTS.map((p) => p.text);
let app: AppSession;

/** Embeddings of TEXTS computed in Node by onnxruntime-node: the reference. */
async function nodeEmbeddings(): Promise<number[][]> {
  const source = { kind: 'folder', location: FIXTURE_MODELS_DIR } as const;
  configureTransformers({ source });
  const encoder = await TransformersEncoder.load({ modelId: ENCODER_ID, device: 'cpu', dtype: 'fp32' }, source);
  const vectors = await encoder.embed(TEXTS);
  await encoder.dispose();
  return vectors.map((v) => Array.from(v));
}

/** Embeds TEXTS in the page through the app's own worker client. */
async function browserEmbeddings(device: EncoderSpec['device']): Promise<number[][]> {
  return app.page.evaluate(
    async ({ device, modelId, texts }) => {
      // A Function keeps Vitest from rewriting this import for Node; the dev server serves the module.
      const load = new Function('u', 'return import(u)') as (
        u: string,
      ) => Promise<typeof import('../../src/lib/workers/encoder-client')>;
      const { WorkerEncoder } = await load('/src/lib/workers/encoder-client.ts');
      const source = { kind: 'folder', location: new URL('/models/', location.href).href } as const;
      const encoder = await WorkerEncoder.open({ modelId, device, dtype: 'fp32' }, source);
      const vectors = await encoder.embed(texts);
      await encoder.dispose();
      return vectors.map((v) => Array.from(v));
    },
    { device, modelId: ENCODER_ID, texts: TEXTS },
  );
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  let max = 0;
  a.forEach((row, i) => row.forEach((x, j) => (max = Math.max(max, Math.abs(x - (b[i]?.[j] ?? NaN))))));
  return max;
}

/** Chooses the model folder in Settings, as a workshop host would. */
async function useModelFolder(): Promise<void> {
  const { page } = app;
  await page.goto(`${app.baseURL}/#/settings`);
  await page.getByLabel(/A model folder on this server/).check();
  await page.getByLabel('Folder address').fill('models/');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
}

/** Runs "Check an embedding model" and waits for its result or error. */
async function checkModel(modelId: string, device: 'wasm' | 'webgpu'): Promise<void> {
  const { page } = app;
  await page.goto(`${app.baseURL}/#/models`);
  // Found by its own name (it once wore the database check's heading).
  const panel = page.getByRole('region', { name: 'Check an embedding model' });
  expect(await panel.getAttribute('data-testid')).toBe('model-check');
  await panel.getByLabel('Model id').fill(modelId);
  await panel.getByLabel('Precision').selectOption('fp32');
  await panel.getByLabel('Device').selectOption(device);
  await panel.getByRole('button', { name: 'Load and embed' }).click();
  await panel
    .locator('[data-testid="model-check-result"], [data-testid="model-check-error"]')
    .waitFor({ timeout: 90_000 });
}

beforeAll(async () => {
  app = await openApp('#/settings');
  await useModelFolder();
});

afterAll(async () => {
  await app?.close();
});

describe('loading models from a same-origin model folder', () => {
  it('keeps the model folder setting across a reload', async () => {
    await app.page.reload();
    await app.page.goto(`${app.baseURL}/#/settings`);
    await expect.poll(() => app.page.getByLabel('Folder address').inputValue()).toBe('models/');
    expect(await app.page.getByLabel(/A model folder on this server/).isChecked()).toBe(true);
  });

  it('keeps an unsaved model source choice while another setting is saved', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/settings`);
    await expect.poll(() => page.getByLabel(/A model folder on this server/).isChecked()).toBe(true);
    await page.getByRole('radio', { name: /^Hugging Face hub/ }).check();
    // Teaching mode saves the same settings record at once; the form's unsaved choice stays.
    const teaching = page.getByTestId('teaching').getByRole('checkbox');
    await teaching.check();
    await expect.poll(() => teaching.isChecked()).toBe(true);
    await teaching.uncheck();
    await expect.poll(() => teaching.isChecked()).toBe(false);
    expect(await page.getByRole('radio', { name: /^Hugging Face hub/ }).isChecked()).toBe(true);
    // Leaving without saving keeps the stored choice: the folder.
    await page.reload();
    await expect.poll(() => page.getByLabel(/A model folder on this server/).isChecked()).toBe(true);
    expect(await page.getByLabel('Folder address').inputValue()).toBe('models/');
  });

  it.each(['wasm', 'webgpu'] as const)('checks the fixture encoder on %s and shows its results', async (device) => {
    await checkModel(ENCODER_ID, device);
    const result = app.page.getByTestId('model-check-result');
    expect(await result.getByTestId('dim').textContent()).toBe(String(ENCODER_DIM));
    expect(await result.getByTestId('device').textContent()).toBe(device === 'webgpu' ? 'WebGPU' : 'the CPU (wasm)');
    const sims = await result.getByTestId('similarity').allTextContents();
    expect(sims).toHaveLength(PROBE_TEXTS.length - 1);
    for (const s of sims) expect(Math.abs(Number(s))).toBeLessThanOrEqual(1);
    // Random weights do not capture meaning, and the page says so rather than praising the model.
    expect(await result.getByTestId('verdict').textContent()).toContain('may not capture meaning');
  });

  it('gives the same embeddings on wasm and WebGPU as onnxruntime-node (within 1e-4)', async () => {
    const reference = await nodeEmbeddings();
    expect(reference).toHaveLength(TEXTS.length);
    expect(reference[0]).toHaveLength(ENCODER_DIM);
    const wasm = await browserEmbeddings('wasm');
    const webgpu = await browserEmbeddings('webgpu');
    expect(maxAbsDiff(wasm, reference)).toBeLessThan(1e-4);
    expect(maxAbsDiff(webgpu, reference)).toBeLessThan(1e-4);
    // The texts differ, so their vectors must too (a constant output would pass the checks above).
    expect(maxAbsDiff([reference[0] ?? []], [reference[1] ?? []])).toBeGreaterThan(1e-2);
  });

  it('names the missing file when a model folder lacks tokenizer.json', async () => {
    await checkModel(BROKEN_ENCODER_ID, 'wasm');
    const error = await app.page.getByTestId('model-check-error').textContent();
    expect(error).toContain(`The model ${BROKEN_ENCODER_ID} is missing the file tokenizer.json`);
    expect(error).toContain('Copy the complete model folder there');
    expect(error).not.toMatch(/\bat \S+:\d+|Error:|\.js:\d+/);
  });

  it('made no request outside localhost', () => {
    expect(app.requests.length).toBeGreaterThan(0);
    const outside = app.requests.filter((u) => {
      const { protocol, hostname } = new URL(u);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return !['localhost', '127.0.0.1', '[::1]'].includes(hostname);
    });
    expect(outside).toEqual([]);
    // The wasm runtimes came from the app itself: the plain build for wasm, the asyncify one for WebGPU.
    expect(app.requests.some((u) => /ort-wasm-simd-threaded\.wasm/.test(u))).toBe(true);
    expect(app.requests.some((u) => /ort-wasm-simd-threaded\.asyncify\.wasm/.test(u))).toBe(true);
  });
});
