/**
 * @file Every view on a phone (390×844): the page never scrolls sideways, whatever it shows
 * (a task with a trained student, an evaluation run, the LLM pickers, the guided tour); wide
 * tables scroll inside their own box. On a laptop (1280×800) the demo's tables show whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/lib/ui/routes';
import { evaluateStudents, trainNgramStudent } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';
import { overflow } from './helpers/layout';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  const { page, baseURL } = app;
  await page.getByTestId('demo-offer').getByRole('button', { name: 'Add the demo project' }).click();
  await page.getByRole('status').filter({ hasText: 'Added “Demo: news topics (SIB-200)”' }).waitFor();
  await trainNgramStudent(page, baseURL);
  await evaluateStudents(page, baseURL);
  await page.goto(`${baseURL}/#/settings`);
  await page.getByTestId('teaching').getByLabel('Show the guided tour in the navigation').check();
  await page.setViewportSize({ width: 390, height: 844 });
});

afterAll(async () => {
  await app?.close();
});

describe('on a phone', () => {
  it('the check finds an element that sticks out (so it can fail)', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/tasks`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.evaluate(() => {
      const wide = document.createElement('div');
      wide.className = 'too-wide';
      wide.style.width = '700px';
      wide.style.height = '1px';
      document.querySelector('main')?.append(wide);
    });
    const found = await overflow(page);
    expect(found.page).toBeGreaterThan(found.viewport);
    expect(found.culprits.some((c) => c.startsWith('div.too-wide'))).toBe(true);
    await page.evaluate(() => document.querySelector('.too-wide')?.remove());
    expect((await overflow(page)).page).toBe(390);
  });

  it('fits a chart drawn on a wide window into the window made narrow', async () => {
    const { page, baseURL } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByTestId('language-chart').locator('canvas').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => (await overflow(page)).page).toBe(390);
    expect((await overflow(page)).culprits).toEqual([]);
  });

  it('says when a table has more columns than the screen shows', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/evaluate`);
    const region = page.getByRole('region', { name: 'Comparison of every evaluator' });
    // The hint is the line right after the table's box.
    const hint = page.locator('[aria-label="Comparison of every evaluator"] + [data-testid="scroll-hint"]');
    await hint.waitFor();
    expect(await hint.textContent()).toBe('More columns: scroll the table sideways.');
    await region.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect.poll(() => hint.count()).toBe(0);
  });

  it('keeps sample texts readable: the text column is not squeezed to a few letters a line', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    const cell = page.getByTestId('sample-row').first().locator('td.text');
    await cell.waitFor();
    const width = await cell.evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeGreaterThanOrEqual(200);
    expect((await overflow(page)).page).toBe(390);
  });

  it.each([
    ['dataset', 'counts-train', ['Label', 'Swahili', 'Hausa', 'Yoruba', 'Total']],
    ['evaluate', 'test-counts', ['Label', 'Swahili', 'Hausa', 'Yoruba', 'Total']],
  ])(
    'shows every language of the demo’s counts in %s, each by its name, before the box scrolls',
    async (view, id, heads) => {
      const { page, baseURL } = app;
      await page.goto(`${baseURL}/#/${view}`);
      const table = page.getByTestId(id);
      await table.waitFor();
      // The last language's column ends inside the table's box (the totals may need a scroll).
      const past = await table.evaluate(
        (el) =>
          (el.querySelectorAll('thead th')[3]?.getBoundingClientRect().right ?? Infinity) -
          (el.parentElement?.getBoundingClientRect().right ?? 0),
      );
      expect(past).toBeLessThanOrEqual(0);
      // "Swahili (macrolanguage)": the qualifier is left out on a phone.
      expect(await table.locator('thead th').allInnerTexts()).toEqual(heads);
    },
  );

  it('adds up the test texts per language and in all', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByTestId('test-counts').waitFor();
    expect(await page.getByTestId('test-counts').locator('tfoot td').allInnerTexts()).toEqual([
      '70',
      '70',
      '70',
      '210',
    ]);
  });

  it('the Generate view with each kind of generator open does not scroll sideways', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/generate`);
    const gpu = page.getByLabel(/On this device’s GPU/);
    await gpu.waitFor();
    // The software adapter here still offers WebLLM's list (its long option names).
    await expect.poll(() => gpu.isEnabled()).toBe(true);
    for (const kind of [gpu, page.getByLabel(/On the CPU/), page.getByLabel(/Replay a recorded session/)]) {
      await kind.check();
      await page.waitForTimeout(300);
      const found = await overflow(page);
      expect(found.culprits).toEqual([]);
      expect(found.page).toBe(390);
    }
  });

  it.each(ROUTES.map((r) => r.id))('the %s view does not scroll sideways', async (id) => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Let the view load what it shows (lists, the device check, the model pickers).
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const found = await overflow(page);
    expect({ id, ...found, culprits: found.page > found.viewport ? found.culprits : [] }).toEqual({
      id,
      page: found.viewport,
      viewport: found.viewport,
      culprits: [],
    });
  });
});

describe('on a laptop (1280×800)', () => {
  it('shows the demo’s comparison, confusion matrix and counts whole, with no table to scroll', async () => {
    const { page, baseURL } = app;
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await page.goto(`${baseURL}/#/evaluate`);
      await page.getByTestId('compare-table').waitFor();
      await page.getByTestId('language-chart').locator('canvas').waitFor();
      const boxes = page.locator('main [role="region"]');
      await expect.poll(() => boxes.count()).toBeGreaterThanOrEqual(2);
      // Every table box (the comparison, the confusion matrix) shows all its columns.
      const cut = async () =>
        boxes.evaluateAll((els) =>
          els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('aria-label')),
        );
      expect(await cut()).toEqual([]);
      expect(await page.getByTestId('scroll-hint').count()).toBe(0);
      await page.goto(`${baseURL}/#/dataset`);
      await page.getByTestId('counts-train').waitFor();
      expect(await cut()).toEqual([]);
      // A language's heading is its whole name here.
      expect(await page.getByTestId('counts-train').locator('thead th').nth(1).innerText()).toBe(
        'Swahili (macrolanguage)',
      );
    } finally {
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });
});
