/**
 * @file The Dataset view of a task with 30,000 samples reads pages through the indexes: counts
 * from the indexes, the oldest rows first, more as the user scrolls with only the rows near the
 * viewport drawn, filters the indexes answer counted at once and a text search counted in the
 * background. (Timings at 100,000 samples are in the benchmark.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { fillTask } from './helpers/fill';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

const COUNT = 30_000;
const LABELS = ['sports', 'politics', 'health'];
const LANGUAGES = ['sw', 'ha'];
/** Every 50th sample is stored as deleted. */
const REMOVED_EVERY = 50;

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  const [task] = await readStore<{ id: string }>(app.page, 'tasks');
  await fillTask(app.page, {
    taskId: task?.id as string,
    count: COUNT,
    labels: LABELS,
    languages: LANGUAGES,
    removedEvery: REMOVED_EVERY,
  });
});

afterAll(async () => {
  await app?.close();
});

/** What fillTask stored, computed here the way it wrote it. */
const all = Array.from({ length: COUNT }, (_, i) => ({
  i,
  label: LABELS[i % 3] as string,
  language: LANGUAGES[Math.floor(i / 3) % 2] as string,
  split: i % 10 === 9 ? 'test' : 'train',
  source: i % 4 === 3 ? 'human' : 'synthetic',
  removed: i % REMOVED_EVERY === REMOVED_EVERY - 1,
}));
const live = all.filter((s) => !s.removed);
const text = (i: number) => `Sample number ${i}, a sentence of ordinary length about ${LABELS[i % 3]}.`;
const n = (x: number) => x.toLocaleString('en');

describe('the Dataset view of a large task', () => {
  it('counts from the indexes and shows the oldest rows first', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    const count = page.getByTestId('samples-count');
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toBe(`${n(live.length)} of ${n(live.length)} samples`);
    const cell = live.filter((s) => s.split === 'train' && s.language === 'ha' && s.label === 'politics').length;
    // A row per label, a column per language (Hausa second), a total per label and per language.
    const politics = page.getByTestId('counts-train').locator('tbody tr', { hasText: 'politics' });
    expect(await politics.locator('td').nth(1).textContent()).toBe(String(cell));
    const trainLive = live.filter((s) => s.split === 'train');
    expect(await politics.locator('td').nth(2).textContent()).toBe(
      String(trainLive.filter((s) => s.label === 'politics').length),
    );
    const totals = page.getByTestId('counts-train').locator('tfoot tr');
    expect(await totals.locator('td').nth(1).textContent()).toBe(
      String(trainLive.filter((s) => s.language === 'ha').length),
    );
    expect(await totals.locator('td').nth(2).textContent()).toBe(String(trainLive.length));
    const rows = page.getByTestId('sample-row');
    expect(await rows.first().locator('td.text').textContent()).toBe(text(0));
    expect(await rows.count()).toBe(100);
    expect(await page.getByTestId('removed').getByRole('status').textContent()).toBe(
      `${n(all.length - live.length)} samples`,
    );
  });

  it('loads more rows while scrolling and draws only those near the viewport', async () => {
    const { page } = app;
    const rows = page.getByTestId('sample-row');
    // Scroll down the table, as a reader does, until 1,000 rows have been read.
    const lastIndex = async () => Number(await rows.last().getAttribute('aria-rowindex'));
    for (let tries = 0; tries < 60 && (await lastIndex()) < 1001; tries++) {
      await rows.last().scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(150);
    }
    expect(await lastIndex()).toBeGreaterThan(1000);
    // Far fewer rows are drawn than read.
    expect(await rows.count()).toBeLessThan(200);
    // The rows drawn are the next ones in order: row k holds sample live[k].
    const drawn = await rows.evaluateAll((trs) =>
      trs.map((tr) => [Number(tr.getAttribute('aria-rowindex')), tr.querySelector('td.text')?.textContent]),
    );
    for (const [index, shown] of drawn) expect(shown).toBe(text((live[(index as number) - 2] as { i: number }).i));
    // Back at the top, the first rows are drawn again.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => rows.first().locator('td.text').textContent()).toBe(text(0));
  });

  it('counts a filter the kept counts answer at once and a text search in the background', async () => {
    const { page } = app;
    const table = page.getByTestId('samples');
    const count = page.getByTestId('samples-count');
    await table.getByLabel('Language').selectOption('ha');
    await table.getByRole('combobox', { name: /^Label/ }).selectOption('health');
    await table.getByLabel('Split').selectOption('test');
    const cell = live.filter((s) => s.split === 'test' && s.language === 'ha' && s.label === 'health');
    await expect.poll(() => count.textContent()).toBe(`${n(cell.length)} of ${n(live.length)} samples`);
    expect(cell.length).toBeGreaterThan(100);
    const rows = page.getByTestId('sample-row');
    await expect.poll(() => rows.first().locator('td.text').textContent()).toBe(text((cell[0] as { i: number }).i));

    await table.getByLabel('Split').selectOption('');
    // The source is in the task's kept counts too: counted at once, no sample read to count it.
    await table.getByLabel('Source').selectOption('human');
    const human = live.filter((s) => s.language === 'ha' && s.label === 'health' && s.source === 'human');
    expect(human.length).toBeGreaterThan(100);
    await expect.poll(() => count.textContent()).toBe(`${n(human.length)} of ${n(live.length)} samples`);
    expect(await page.getByText(/counting/).count()).toBe(0);
    await table.getByLabel('Source').selectOption('');
    await table.getByLabel('Language').selectOption('');
    await table.getByRole('combobox', { name: /^Label/ }).selectOption('');
    await table.getByLabel('Search').fill('number 2999');
    // "Sample number 2999, …" and 29990–29999 (live ones), matched anywhere in the task.
    const found = live.filter((s) => String(s.i).startsWith('2999') && String(s.i).length <= 5);
    await expect
      .poll(() => count.textContent(), { timeout: 30_000 })
      .toBe(`${n(found.length)} of ${n(live.length)} samples`);
    await expect.poll(() => rows.count()).toBe(found.length);
    expect(await rows.first().locator('td.text').textContent()).toBe(text((found[0] as { i: number }).i));
  });
});
