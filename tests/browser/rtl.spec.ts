/**
 * @file Right-to-left task languages: Arabic seed examples and samples are written and shown
 * right to left (with their language tag), whatever the UI language, while the rest of the page
 * stays left to right.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sib200 } from '../fixtures/sib200';
import { openApp, type AppSession } from './helpers/chromium';
import { createTaskInUi } from './helpers/tasks';

let app: AppSession;
const rows = sib200('arb_Arab', 'train')
  .filter((r) => ['sports', 'politics'].includes(r.category))
  .slice(0, 6);

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, {
    name: 'Arabic topics',
    languages: [{ query: 'Arabic', option: /^Arabic ar\b/ }],
    labels: [
      { name: 'sports', description: '' },
      { name: 'politics', description: '' },
    ],
    seeds: { 0: 'فاز الفريق الوطني بالمباراة النهائية.' },
  });
});

afterAll(async () => {
  await app?.close();
});

const direction = (el: Element) => getComputedStyle(el).direction;

describe('right-to-left task languages', () => {
  it('writes seed examples right to left in the task editor', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Edit' }).click();
    const seeds = page.getByLabel(/^sports in Arabic/);
    expect(await seeds.getAttribute('dir')).toBe('rtl');
    expect(await seeds.getAttribute('lang')).toBe('ar');
    expect(await seeds.inputValue()).toContain('فاز الفريق');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows Arabic samples right to left in a left-to-right page', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('File to import').setInputFiles({
      name: 'arabic.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(Papa.unparse(rows, { columns: ['text', 'category'] })),
    });
    await panel.getByLabel('Split of rows without one').selectOption('train');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
    await panel.getByTestId('import-summary').waitFor();
    const cell = page.getByTestId('sample-row').first().locator('td.text');
    await cell.waitFor();
    expect(await cell.getAttribute('lang')).toBe('ar');
    expect(await cell.evaluate(direction)).toBe('rtl');
    expect(await page.locator('main').evaluate(direction)).toBe('ltr');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
  });

  it('mirrors the layout when the page direction is right to left (ready for an RTL UI language)', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/tasks`);
    const current = page.getByTestId('task-item').first();
    await current.waitFor();
    const edges = () =>
      current.evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.borderLeftWidth, s.borderRightWidth];
      });
    expect(await edges()).toEqual(['4px', '0px']);
    await page.evaluate(() => (document.documentElement.dir = 'rtl'));
    expect(await edges()).toEqual(['0px', '4px']);
    const nav = page.getByRole('navigation').locator('li').first();
    const box = await nav.boundingBox();
    expect((box?.x ?? 0) > (page.viewportSize()?.width ?? 0) / 2).toBe(true);
    await page.evaluate(() => (document.documentElement.dir = 'ltr'));
  });
});
