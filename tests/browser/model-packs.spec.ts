/**
 * @file The model manager and model packs: a model loaded once shows in the list with its size;
 * saved as a pack, it imports on a second laptop (a fresh profile) and loads there with the
 * model host unreachable; a plain model folder (Hugging Face layout, zipped) imports too.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { DECODER_ID, ENCODER_DIM, ENCODER_ID } from '../fixtures/models';
import { checkFixtureEncoder, useHub, useModelFolder } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';

let first: AppSession;
let second: AppSession;
let packPath = '';

beforeAll(async () => {
  first = await openApp('#/settings');
  await useModelFolder(first.page, first.baseURL);
});

afterAll(async () => {
  await first?.close();
  await second?.close();
});

const cachedRow = (page: Page) => page.getByTestId('cached-model').filter({ hasText: ENCODER_ID });

/** Opens the Models view afresh (the list is read when the view opens). */
async function openModels(app: AppSession) {
  await app.page.goto(`${app.baseURL}/#/tasks`);
  await app.page.goto(`${app.baseURL}/#/models`);
  await app.page.getByTestId('model-manager').waitFor();
}

describe('model manager and packs', () => {
  it('lists a model loaded once, with its files and size, and saves it as a pack', async () => {
    await openModels(first);
    const { page } = first;
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    await openModels(first);
    const row = cachedRow(page);
    await row.waitFor();
    expect(await row.textContent()).toContain('transformers.js');
    expect(await page.getByTestId('models-total').textContent()).toMatch(/In all: \d/);

    // A browser that cannot write to a picked file gets the pack as a download.
    await page.evaluate(() =>
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'polyclass-pack-'));
    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Save as a model pack' }).click();
    const d = await downloading;
    packPath = join(dir, d.suggestedFilename());
    await d.saveAs(packPath);
    const zip = unzipSync(new Uint8Array(await readFile(packPath)));
    const manifest = JSON.parse(strFromU8(zip['polyclass-model-pack.json'] as Uint8Array)) as {
      modelId: string;
      files: { path: string }[];
    };
    expect(manifest.modelId).toBe(ENCODER_ID);
    const paths = manifest.files.map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining([`${ENCODER_ID}/config.json`, `${ENCODER_ID}/tokenizer.json`]));
    expect(paths.some((p) => p.endsWith('.onnx'))).toBe(true);
    for (const p of paths) expect(zip[p]?.byteLength).toBeGreaterThan(0);
  });

  it('streams the pack into a file the user picks, byte for byte the same files', async () => {
    const { page } = first;
    // The save dialog, answered with a file in the origin's private file system.
    await page.evaluate(() =>
      Object.defineProperty(window, 'showSaveFilePicker', {
        configurable: true,
        value: async ({ suggestedName }: { suggestedName: string }) =>
          (await navigator.storage.getDirectory()).getFileHandle(`picked-${suggestedName}`, { create: true }),
      }),
    );
    await cachedRow(page).getByRole('button', { name: 'Save as a model pack' }).click();
    await page.getByTestId('model-manager-message').filter({ hasText: 'as picked-' }).waitFor();
    const bytes = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      for await (const [name, handle] of root as unknown as AsyncIterable<[string, FileSystemFileHandle]>)
        if (name.startsWith('picked-')) return [...new Uint8Array(await (await handle.getFile()).arrayBuffer())];
      return [];
    });
    const picked = unzipSync(new Uint8Array(bytes));
    const downloaded = unzipSync(new Uint8Array(await readFile(packPath)));
    expect(Object.keys(picked).sort()).toEqual(Object.keys(downloaded).sort());
    for (const [path, data] of Object.entries(downloaded))
      if (path !== 'polyclass-model-pack.json') expect(Buffer.from(picked[path] ?? [])).toEqual(Buffer.from(data));
  });

  it('offers WebLLM models for download and check, and says why one cannot be fetched', async () => {
    const { page } = first;
    const manager = page.getByTestId('model-manager');
    const model = manager.getByTestId('webllm-model');
    await model.waitFor({ timeout: 30_000 });
    expect(await model.locator('option').count()).toBeGreaterThan(0);
    await manager.getByTestId('webllm-cached').filter({ hasText: 'not downloaded' }).waitFor();
    // Preflight: this headless GPU is software (SwiftShader), which works but slowly.
    await manager.getByTestId('webllm-preflight').filter({ hasText: 'This is a software GPU' }).waitFor();
    // What to expect before downloading: the size, and a rough speed (slow on a software GPU).
    const estimate = await manager.getByTestId('llm-estimate').textContent();
    expect(estimate).toMatch(/Download: about [\d.]+ [MG]B, once/);
    const [, low, high] = /Rough speed here: (\d+)–(\d+) texts a minute/.exec(estimate ?? '') ?? [];
    expect(Number(low)).toBeGreaterThan(0);
    expect(Number(high)).toBeLessThanOrEqual(10);
    await manager.getByRole('button', { name: 'Download and check' }).click();
    const message = page.getByTestId('model-manager-message');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toMatch(/could not be fetched: a file is missing at its address/);
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('model-activity').count()).toBe(0);
    // It shows right under the WebLLM part whose button was pressed, not at the end of the page.
    const part = await manager.getByTestId('webllm-preflight').boundingBox();
    const box = await message.boundingBox();
    expect(box && part ? box.y - (part.y + part.height) : Infinity).toBeLessThan(120);
  });

  it('downloads a CPU text generator ahead of time, into the list', async () => {
    const { page } = first;
    const manager = page.getByTestId('model-manager');
    await manager.getByLabel('Generator model id').fill(DECODER_ID);
    await manager.getByLabel('Precision').selectOption('fp32');
    await manager.getByRole('button', { name: 'Download the generator' }).click();
    await page
      .getByTestId('model-manager-message')
      .filter({ hasText: `${DECODER_ID} is downloaded` })
      .waitFor({
        timeout: 90_000,
      });
    await openModels(first);
    const row = page.getByTestId('cached-model').filter({ hasText: DECODER_ID });
    await row.waitFor();
    expect(await row.textContent()).toContain('transformers.js');
  });

  it('imports the pack on another laptop, where the model loads with its host unreachable', async () => {
    second = await openApp('#/settings');
    const { page, context, requests } = second;
    // A laptop with no model folder on its server.
    await useHub(page, second.baseURL);
    await page.goto(`${second.baseURL}/#/models`);
    // The hub (the default model source) cannot be reached from this "laptop".
    await context.route('https://huggingface.co/**', (route) => route.abort());
    await page.getByTestId('model-manager').waitFor();
    expect(await cachedRow(page).count()).toBe(0);
    await page.getByLabel('Import a model pack (.zip)').setInputFiles(packPath);
    await page
      .getByTestId('model-manager-message')
      .filter({ hasText: `Imported ${ENCODER_ID}` })
      .waitFor();
    await cachedRow(page).waitFor();
    const before = requests.length;
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    const fetched = requests.slice(before).filter((u) => u.includes('huggingface.co') || u.includes('/models/'));
    expect(fetched).toEqual([]);
  });

  it('deletes a model, and imports a plain model folder in Hugging Face layout', async () => {
    const { page, requests } = second;
    await openModels(second);
    const row = cachedRow(page);
    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByTestId('model-manager-message')
      .filter({ hasText: `Deleted ${ENCODER_ID}` })
      .waitFor();
    expect(await cachedRow(page).count()).toBe(0);

    // A zip of the fixture model's folder, as a workshop host would make one from disk.
    const root = join(FIXTURE_MODELS_DIR, ENCODER_ID);
    const files: Record<string, Uint8Array> = {};
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else files[`${ENCODER_ID}/${relative(root, path)}`] = new Uint8Array(await readFile(path));
      }
    };
    await walk(root);
    await page.getByLabel('Import a model pack (.zip)').setInputFiles({
      name: 'tiny-encoder-folder.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zipSync(files)),
    });
    await page
      .getByTestId('model-manager-message')
      .filter({ hasText: `Imported ${ENCODER_ID}` })
      .waitFor();
    const before = requests.length;
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    expect(requests.slice(before).filter((u) => u.includes('huggingface.co') || u.includes('/models/'))).toEqual([]);
  });

  it('says what is wrong with a file that is no model pack', async () => {
    const { page } = second;
    await page.getByLabel('Import a model pack (.zip)').setInputFiles({
      name: 'notes.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zipSync({ 'notes.txt': new TextEncoder().encode('hello') })),
    });
    const message = page.getByTestId('model-manager-message');
    await message.filter({ hasText: 'No model found' }).waitFor();
    expect(await message.getAttribute('role')).toBe('alert');
  });

  it('downloads a catalogued model ahead on request, and says so when the host cannot be reached', async () => {
    const { page } = second;
    // This profile has room for every catalogued encoder: the small, fast default is named, and why.
    expect(await page.getByTestId('encoder-recommended').textContent()).toMatch(
      /Recommended for this device: Xenova\/multilingual-e5-small \(it fits its memory and free storage, and embeds several times faster/,
    );
    const item = page.getByTestId('catalogue-encoder').first();
    expect(await item.textContent()).toContain('not downloaded');
    await item.getByRole('button', { name: 'Download now' }).click();
    const message = page.getByTestId('model-manager-message');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toContain('could not be downloaded from the Hugging Face hub');
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('model-activity').count()).toBe(0);
    // It links to the fixes, and shows right under the list whose button was pressed (not
    // at the end of the page, out of view).
    expect(await message.getByRole('link', { name: 'Model source (Settings)' }).getAttribute('href')).toBe(
      '#/settings',
    );
    const list = await page.getByTestId('catalogue-encoder').last().boundingBox();
    const box = await message.boundingBox();
    expect(box && list ? box.y - (list.y + list.height) : Infinity).toBeLessThan(120);
  });

  it('carries a WebLLM model with its runtime library in a pack, and WebLLM finds it after the import', async () => {
    const { page } = second;
    await openModels(second);
    const manager = page.getByTestId('model-manager');
    // The list of WebLLM models arrives from the data worker after the view opens.
    const select = manager.getByTestId('webllm-model');
    await expect.poll(() => select.inputValue(), { timeout: 30_000 }).not.toBe('');
    const id = await select.inputValue();
    const record = prebuiltAppConfig.model_list.find((r) => r.model_id === id);
    if (!record) throw new Error(`no WebLLM record for ${id}`);
    const base = `${record.model}/resolve/main/`;
    // A model as WebLLM leaves it in the cache after a download (tiny stand-in weights).
    await page.evaluate(
      async ({ base, lib }) => {
        const put = async (cache: string, url: string, body: string) =>
          (await caches.open(cache)).put(url, new Response(body));
        await put('webllm/config', `${base}mlc-chat-config.json`, '{"model_type":"qwen2"}');
        await put(
          'webllm/model',
          `${base}tensor-cache.json`,
          JSON.stringify({ records: [{ dataPath: 'params_shard_0.bin' }, { dataPath: 'params_shard_1.bin' }] }),
        );
        await put('webllm/model', `${base}params_shard_0.bin`, 'weights-0'.repeat(1000));
        await put('webllm/model', `${base}params_shard_1.bin`, 'weights-1'.repeat(1000));
        await put('webllm/model', `${base}tokenizer.json`, '{}');
        await put('webllm/wasm', lib, 'wasm-library');
      },
      { base, lib: record.model_lib },
    );
    await openModels(second);
    const modelId = new URL(record.model).pathname.slice(1);
    const row = page.getByTestId('cached-model').filter({ hasText: modelId });
    expect(await row.textContent()).toContain('WebLLM');
    await manager
      .getByTestId('webllm-cached')
      .filter({ hasText: /^downloaded$/ })
      .waitFor();

    await page.evaluate(() =>
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true }),
    );
    const downloading = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Save as a model pack' }).click();
    const pack = join(await mkdtemp(join(tmpdir(), 'polyclass-webllm-')), 'pack.zip');
    await (await downloading).saveAs(pack);
    const zip = unzipSync(new Uint8Array(await readFile(pack)));
    const libName = record.model_lib.split('/').pop() ?? '';
    expect(strFromU8(zip[`webllm-wasm/${libName}`] ?? new Uint8Array())).toBe('wasm-library');
    expect(strFromU8(zip[`${modelId}/params_shard_1.bin`] ?? new Uint8Array())).toBe('weights-1'.repeat(1000));

    await page.evaluate(async () => {
      for (const name of ['webllm/model', 'webllm/config', 'webllm/wasm']) await caches.delete(name);
    });
    await openModels(second);
    await manager.getByTestId('webllm-cached').filter({ hasText: 'not downloaded' }).waitFor();
    await page.getByLabel('Import a model pack (.zip)').setInputFiles(pack);
    await page
      .getByTestId('model-manager-message')
      .filter({ hasText: `Imported ${modelId}` })
      .waitFor();
    await openModels(second);
    await manager
      .getByTestId('webllm-cached')
      .filter({ hasText: /^downloaded$/ })
      .waitFor();
    const lib = await page.evaluate(
      async (url) => (await (await caches.open('webllm/wasm')).match(url))?.text(),
      record.model_lib,
    );
    expect(lib).toBe('wasm-library');
  });
});
