/**
 * @file The human in the loop as a user meets it (issue 19): a file with only a text column goes
 * to the unlabelled pool, more texts are pasted, the Label view proposes texts from the
 * training worker, the keyboard labels, skips and undoes (each answer stored at once and kept
 * over a reload), and a classifier trained afterwards says how much the person's labels counted.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyLabelledTexts } from '../fixtures/noisy-labels';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { recountInPage } from './helpers/fill';
import { importSwahiliRows } from './helpers/steps';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

interface StoredSample {
  id: string;
  text: string;
  label: string;
  split: string;
  flags: string[];
  meta?: Record<string, string>;
}

let app: AppSession;
const pool = noisyLabelledTexts(10, 0, 21).rows.map((r) => r.text);

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  await app.page.goto(`${app.baseURL}/#/dataset`);
  await importSwahiliRows(app.page, noisyLabelledTexts(15, 0.1, 20).rows, 'train');
});

afterAll(async () => {
  await app?.close();
});

describe('labelling texts from the pool', () => {
  it('imports a file without labels into the pool', async () => {
    const { page } = app;
    const panel = page.getByTestId('import-panel');
    const csv = Papa.unparse(
      pool.map((text) => ({ text, language: 'sw' })),
      { columns: ['text', 'language'] },
    );
    await panel
      .getByLabel('File to import')
      .setInputFiles({ name: 'community.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await panel.getByTestId('pool-note').waitFor();
    expect(await panel.getByLabel('Label column').inputValue()).toBe('');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Import' }).click();
    await panel
      .getByTestId('import-summary')
      .filter({ hasText: `${pool.length} imported` })
      .waitFor();
    await page
      .getByTestId('counts-pool')
      .filter({ hasText: `${pool.length} unlabelled texts` })
      .waitFor();
    const stored = await readStore<StoredSample>(page, 'samples');
    expect(stored.filter((s) => s.split === 'pool' && s.label === '')).toHaveLength(pool.length);
  });

  it('adds pasted texts, leaving out the ones the task already has', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/label`);
    const add = page.getByTestId('pool-add');
    await add
      .getByLabel('Texts, one per line')
      .fill(`Mechi ya leo imeahirishwa\n\n${pool[0]}\nBunge limepitisha sheria mpya`);
    await add.getByLabel('Language of these texts').selectOption('sw');
    await add.getByRole('button', { name: 'Add to the pool' }).click();
    await page
      .getByTestId('label-message')
      .filter({ hasText: '2 texts added to the pool; 1 left out, already in the task' })
      .waitFor();
    await page
      .getByTestId('pool-counts')
      .filter({ hasText: `${pool.length + 2} texts wait in the pool` })
      .waitFor();
    expect(await add.getByLabel('Texts, one per line').inputValue()).toBe('');
  });

  it('labels, skips and undoes with the keyboard, and keeps every answer over a reload', async () => {
    const { page } = app;
    const view = page.getByTestId('labelling');
    await view.getByTestId('start-labelling').click();
    const text = view.getByTestId('text-to-label');
    await text.waitFor();
    await view.getByTestId('round-progress').filter({ hasText: 'Text 1 of 25 in' }).waitFor();
    // Chosen by the student (the task has labelled samples), with its reason one click away.
    await view.getByTestId('why-chosen').waitFor();
    const first = (await text.textContent())?.trim() ?? '';

    await page.keyboard.press('1');
    await view.getByTestId('round-progress').filter({ hasText: 'Text 2 of 25 in this round · 1 labelled' }).waitFor();
    // The view moves on at once; the counts, read from the database, say when the answer is saved.
    await view.getByTestId('pool-counts').filter({ hasText: '1 labelled from it so far' }).waitFor();
    let stored = await readStore<StoredSample>(page, 'samples');
    const labelled = stored.find((s) => s.text === first);
    expect(labelled).toMatchObject({ label: 'sports', split: 'train' });
    expect(labelled?.meta?.labelledFromPool).toBeDefined();

    const second = (await text.textContent())?.trim() ?? '';
    await page.keyboard.press('s');
    await view.getByTestId('round-progress').filter({ hasText: 'Text 3 of 25 in' }).waitFor();
    await view.getByTestId('pool-counts').filter({ hasText: '1 skipped' }).waitFor();
    stored = await readStore<StoredSample>(page, 'samples');
    expect(stored.find((s) => s.text === second)?.flags).toContain('skipped');

    // Backspace takes back the skip, Ctrl+Z the label: both texts are in the pool again.
    await page.keyboard.press('Backspace');
    await view.getByTestId('round-progress').filter({ hasText: 'Text 2 of 25 in' }).waitFor();
    await page.keyboard.press('Control+z');
    await view.getByTestId('round-progress').filter({ hasText: 'Text 1 of 25 in this round · 0 labelled' }).waitFor();
    expect((await text.textContent())?.trim()).toBe(first);
    await view.getByTestId('label-message').filter({ hasText: 'Took back “sports”' }).waitFor();
    await view.getByTestId('pool-counts').filter({ hasText: '0 labelled from it so far' }).waitFor();
    stored = await readStore<StoredSample>(page, 'samples');
    expect(stored.find((s) => s.text === first)).toMatchObject({ label: '', split: 'pool' });
    expect(stored.find((s) => s.text === second)?.flags).not.toContain('skipped');

    // The whole round: 2 (politics) for each text; the buttons work as the keys do.
    await view.getByTestId('label-button').filter({ hasText: 'health' }).click();
    await view.getByTestId('round-progress').filter({ hasText: 'Text 2 of 25 in' }).waitFor();
    // As fast as a practised labeller types: no key is lost while earlier answers are written.
    for (let i = 1; i < 25; i++) await page.keyboard.press('2');
    await view
      .getByTestId('round-done')
      .filter({ hasText: 'Round done: 25 texts labelled. Your labels are saved' })
      .waitFor();
    stored = await readStore<StoredSample>(page, 'samples');
    expect(stored.filter((s) => s.meta?.labelledFromPool !== undefined && s.split === 'train')).toHaveLength(25);
    expect(stored.find((s) => s.text === first)?.label).toBe('health');

    await page.reload();
    await page
      .getByTestId('pool-counts')
      .filter({ hasText: `${pool.length + 2 - 25} texts wait in the pool · 25 labelled from it so far` })
      .waitFor();
  });

  it('trains on the synthetic and the human labels together and says how much a person’s label counted', async () => {
    const { page } = app;
    // The training rows were imported as human labels: mark them synthetic, as generated ones
    // are, and count the task again as the app keeps its counts (storage/sample-stats.ts).
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('polyclass');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction('samples', 'readwrite');
      const store = tx.objectStore('samples');
      const all = await new Promise<{ split: string; meta?: Record<string, string>; source: string }[]>((resolve) => {
        const r = store.getAll();
        r.onsuccess = () => resolve(r.result);
      });
      for (const s of all)
        if (s.split === 'train' && !s.meta?.labelledFromPool) store.put({ ...s, source: 'synthetic' });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    });
    await recountInPage(page);
    await page.goto(`${app.baseURL}/#/train`);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const weight = page.getByTestId('train-human-weight');
    await weight.waitFor({ timeout: 60_000 });
    expect(await weight.textContent()).toMatch(/counted 5 times as much as a synthetic sample \(the default/);
    const result = (await page.getByTestId('train-result').textContent()) ?? '';
    expect(result).toMatch(/70 samples/);
    expect(result).toMatch(/25 human/);
    expect(result).toMatch(/45 synthetic/);
  });

  it('shows synthetic only, human only and both side by side in Train, Evaluate and the learning curve', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/dataset`);
    await importSwahiliRows(page, noisyLabelledTexts(6, 0, 22).rows, 'test');
    await page.goto(`${app.baseURL}/#/train`);
    await page.getByTestId('compare-sources').click();
    await page.getByTestId('compare-done').waitFor({ timeout: 120_000 });
    const names = await page.getByTestId('classifier-item').allTextContents();
    expect(names.some((n) => /45 samples \(45 synthetic\)/.test(n))).toBe(true);
    expect(names.some((n) => /25 samples \(25 human\)/.test(n))).toBe(true);

    await page.getByRole('link', { name: 'Compare them on the test data' }).click();
    const curve = page.getByTestId('learning-curve');
    expect(await curve.getByTestId('curve-compare').isChecked()).toBe(true);
    await curve.getByRole('button', { name: 'Draw the learning curve' }).click();
    await curve.getByTestId('curve-sources-note').waitFor({ timeout: 120_000 });
    const header = await curve.getByTestId('curve-table').locator('thead th').allTextContents();
    expect(header).toEqual(['Share', 'synthetic only', 'human only', 'both']);
    expect(await curve.getByTestId('curve-table').locator('tbody tr').count()).toBe(4);
  });
});
