/**
 * @file A large file (about 5 MB, 40,000 rows; the 100 MB case is a benchmark) is read as a stream in the data worker: the
 * page shows progress, can cancel, stays responsive, and the import completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

const ROWS = 40_000;
const LABELS = ['sports', 'politics', 'health'];
const big = Buffer.from(
  'text,label,language\n' +
    Array.from(
      { length: ROWS },
      (_, i) =>
        `"Sentensi ya majaribio nambari ${i}, yenye maneno ya kutosha kuwa ndefu kidogo kuliko kawaida ya sentensi fupi",${LABELS[i % 3]},sw\n`,
    ).join(''),
);

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
});

afterAll(async () => {
  await app?.close();
});

describe('a large import', () => {
  it('shows progress, can be cancelled, and then imports every row', async () => {
    const { page } = app;
    expect(big.length).toBeGreaterThan(4_000_000);
    await page.goto(`${app.baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('File to import').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    await panel.getByLabel('Split of rows without one').selectOption('train');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').waitFor({ timeout: 120_000 });

    // Start, watch progress move, cancel.
    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    const progress = panel.getByTestId('import-progress');
    await expect
      .poll(async () => Number(/(\d+) imported/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    // The page answers while the worker imports.
    const t0 = Date.now();
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const cancelled = await panel.getByTestId('import-summary').textContent();
    expect(cancelled).toMatch(/^Cancelled after [\d,]+ samples were imported\.$/);

    // Import again: rows already imported are skipped as duplicates, the rest are added.
    await panel.getByLabel('File to import').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    await panel.getByLabel('Split of rows without one').selectOption('train');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel
      .getByTestId('import-review')
      .getByRole('button', { name: 'Import', exact: true })
      .click({ timeout: 120_000 });
    const summary = (await panel.getByTestId('import-summary').textContent({ timeout: 300_000 })) ?? '';
    const m = /^([\d,]+) imported(?:, ([\d,]+) skipped: \2 duplicate)?\.$/.exec(summary);
    expect(m, summary).not.toBeNull();
    const done = Number(/Cancelled after ([\d,]+)/.exec(cancelled ?? '')?.[1]?.replace(/,/g, ''));
    expect(Number(m?.[1]?.replace(/,/g, '')) + done).toBe(ROWS);
    await expect
      .poll(() => page.getByTestId('samples-count').textContent(), { timeout: 30_000 })
      .toBe(`${ROWS.toLocaleString('en')} of ${ROWS.toLocaleString('en')} samples`);
  });
});
