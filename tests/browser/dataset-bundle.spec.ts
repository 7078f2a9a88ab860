/**
 * @file The newcomer's story: a Swahili + Hausa task with three labels, a human-labelled test
 * set imported from CSV (real SIB-200 sentences, plus a few bad rows), seen in the dataset
 * table, exported as a bundle and imported into a fresh browser profile with nothing lost.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sib200 } from '../fixtures/sib200';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi } from './helpers/tasks';

const LABELS = ['sports', 'politics', 'health'];
const rows = [
  ...sib200('swh_Latn', 'test').map((r) => ({ ...r, language: 'Swahili' })),
  ...sib200('hau_Latn', 'test').map((r) => ({ ...r, language: 'hau' })),
].filter((r) => LABELS.includes(r.category));
const badRows = [
  { category: 'sports', text: '   ', language: 'Swahili' },
  { category: 'sports', text: '', language: 'hau' },
  { category: 'weather', text: 'Mvua kubwa inatarajiwa kesho.', language: 'Swahili' },
  { category: 'weather', text: 'Za a yi ruwan sama gobe.', language: 'hau' },
];
const csv = Papa.unparse([...rows, ...badRows], { columns: ['text', 'category', 'language'] });

let app: AppSession;
let fresh: AppSession | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polyclass-bundle-'));
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, {
    name: 'SIB topics',
    languages: [
      { query: 'swahili', option: /^Swahili \(macrolanguage\) sw/ },
      { query: 'hausa', option: /^Hausa ha/ },
    ],
    labels: LABELS.map((name) => ({ name, description: `Sentences about ${name}` })),
  });
});

afterAll(async () => {
  await app?.close();
  await fresh?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Everything in the page's IndexedDB tasks and samples stores, sorted by id. */
async function dump(page: Page) {
  return { tasks: await readStore(page, 'tasks'), samples: await readStore(page, 'samples') };
}

describe('dataset import, table and bundles', () => {
  it('imports a CSV test set, mapping columns and explaining what was skipped', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel
      .getByLabel('File to import')
      .setInputFiles({ name: 'sib-test.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    expect(await panel.getByTestId('import-format').textContent()).toContain('CSV, columns separated by “,”');
    expect(await panel.getByLabel('Label column').inputValue()).toBe('category');
    expect(await panel.getByLabel('Language column').inputValue()).toBe('language');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    const review = panel.getByTestId('import-review');
    await review.waitFor();
    expect((await review.textContent())?.replace(/\s+/g, ' ')).toContain(`${rows.length} ready to import`);
    expect(await review.getByLabel(/“weather” \(2 rows\)/).isChecked()).toBe(false);
    await review.getByRole('button', { name: 'Import' }).click();
    const summary = await panel.getByTestId('import-summary').textContent();
    expect(summary).toBe(`${rows.length} imported, 4 skipped: 2 empty text, 2 unknown label.`);
  });

  it('shows the imported samples in the counts and the table', async () => {
    const { page } = app;
    const sw = rows.filter((r) => r.language === 'Swahili');
    const expectedSports = String(sw.filter((r) => r.category === 'sports').length);
    await expect
      .poll(() =>
        // A row per label, a column per language (Swahili first).
        page.getByTestId('counts-test').locator('tbody tr', { hasText: 'sports' }).locator('td').first().textContent(),
      )
      .toBe(expectedSports);
    expect(await page.getByTestId('samples-count').textContent()).toBe(`${rows.length} of ${rows.length} samples`);
    await page.getByTestId('samples').getByLabel('Language').selectOption('ha');
    expect(await page.getByTestId('samples-count').textContent()).toBe(
      `${rows.length - sw.length} of ${rows.length} samples`,
    );
    const first = rows.find((r) => r.language === 'hau');
    expect(await page.getByTestId('sample-row').first().locator('td').first().textContent()).toBe(first?.text);
  });

  it('exports the dataset as CSV and as a Hugging Face dataset folder', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/dataset`);
    const save = async (button: string) => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: button }).click();
      const download = await downloading;
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      return { name: download.suggestedFilename(), bytes: await readFile(path) };
    };
    const csvFile = await save('CSV');
    expect(csvFile.name).toBe('sib-topics.csv');
    const parsed = Papa.parse<Record<string, string>>(csvFile.bytes.toString('utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data).toHaveLength(rows.length);
    expect(parsed.data.map((r) => r.text).sort()).toEqual(rows.map((r) => r.text).sort());
    expect(new Set(parsed.data.map((r) => r.language))).toEqual(new Set(['sw', 'ha']));

    const hf = await save('Hugging Face dataset (.zip)');
    const files = unzipSync(new Uint8Array(hf.bytes));
    expect(Object.keys(files).sort()).toEqual(['sib-topics/README.md', 'sib-topics/test.jsonl']);
    const card = strFromU8(files['sib-topics/README.md'] as Uint8Array);
    expect(card).toContain('- sw\n- ha');
    expect(card).toContain(`| test | ${rows.length} |`);
    expect(
      strFromU8(files['sib-topics/test.jsonl'] as Uint8Array)
        .trim()
        .split('\n'),
    ).toHaveLength(rows.length);
  });

  it('exports a bundle that a fresh browser profile imports with nothing lost', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/models`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export all tasks as a bundle' }).click();
    const bundlePath = join(dir, 'bundle.zip');
    await (await downloading).saveAs(bundlePath);

    fresh = await openApp('#/models');
    const bundles = fresh.page.getByTestId('bundles');
    await bundles.getByLabel('Import a bundle').setInputFiles(bundlePath);
    const preview = (await bundles.getByTestId('bundle-preview').textContent())?.replace(/\s+/g, ' ');
    expect(preview).toContain(`1 task (“SIB topics”) with ${rows.length} samples`);
    await bundles.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => bundles.getByTestId('bundle-message').textContent())
      .toBe(`Imported 1 task with ${rows.length} samples.`);

    const [before, after] = await Promise.all([dump(page), dump(fresh.page)]);
    expect(after.samples).toHaveLength(rows.length);
    expect(after).toEqual(before);
    expect((await readFile(bundlePath)).subarray(0, 2).toString()).toBe('PK');
  });
});
