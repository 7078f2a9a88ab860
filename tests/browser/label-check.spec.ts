/**
 * @file The label check as a user runs it: a training set with planted label flips is
 * imported, the check (n-gram student, no download) flags mostly the flips, one click relabels
 * a sample (and Undo puts it back), and the findings stay on the samples after a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyLabelledTexts } from '../fixtures/noisy-labels';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { importSwahiliRows } from './helpers/steps';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

interface StoredSample {
  id: string;
  text: string;
  label: string;
  flags: string[];
  deletedAt: number | null;
}

const { rows, flipped } = noisyLabelledTexts(40, 0.1, 3);
let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  const { page } = app;
  await page.goto(`${app.baseURL}/#/dataset`);
  await importSwahiliRows(page, rows, 'train');
});

afterAll(async () => {
  await app?.close();
});

describe('label check', () => {
  it('finds the planted flips first and records them on the samples', async () => {
    const { page } = app;
    const check = page.getByTestId('label-check');
    await check.getByLabel(/Words and letter patterns/).check();
    await check.getByRole('button', { name: 'Check labels' }).click();
    await check.getByTestId('check-summary').waitFor({ timeout: 60_000 });
    const suspects = check.getByTestId('suspect-row');
    await suspects.first().waitFor();
    const shown = await suspects.count();
    const listed = await suspects.locator('td.text').allTextContents();
    const found = [...flipped.keys()].filter((text) => listed.some((t) => t.includes(text)));
    // Calibrated to flag little on clean data (BENCHMARKS.md section 9): what it flags is
    // mostly the planted flips, and it finds at least half of them here.
    expect(found.length / listed.length).toBeGreaterThanOrEqual(0.8);
    expect(found.length / flipped.size).toBeGreaterThanOrEqual(0.5);
    const stored = await readStore<StoredSample>(page, 'samples');
    for (const text of found) expect(stored.find((s) => s.text === text)?.flags).toContain('label-suspect');
    const summary = (await check.getByTestId('check-summary').textContent()) ?? '';
    const flagged = Number(/(\d+) may be mislabelled/.exec(summary)?.[1]);
    expect(flagged).toBeGreaterThanOrEqual(shown);
    expect(stored.filter((s) => s.flags.includes('label-suspect')).length).toBe(flagged);
  });

  it('relabels a flagged sample in one click, and Undo puts it back', async () => {
    const { page } = app;
    const check = page.getByTestId('label-check');
    const listed = await check.getByTestId('suspect-row').locator('td.text').allTextContents();
    const [text, truth] = [...flipped].find(([t]) => listed.some((l) => l.includes(t))) as [string, string];
    const row = check.getByTestId('suspect-row').filter({ hasText: text });
    const before = await check.getByTestId('suspect-row').count();
    await row.getByRole('button', { name: `Relabel as ${truth}` }).click();
    await check
      .getByRole('status')
      .filter({ hasText: `Relabelled as “${truth}”` })
      .waitFor();
    await expect.poll(() => check.getByTestId('suspect-row').count()).toBe(before - 1);
    let stored = (await readStore<StoredSample>(page, 'samples')).find((s) => s.text === text);
    expect(stored).toMatchObject({ label: truth, deletedAt: null });
    expect(stored?.flags).not.toContain('label-suspect');

    await check.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => check.getByTestId('suspect-row').count()).toBe(before);
    stored = (await readStore<StoredSample>(page, 'samples')).find((s) => s.text === text);
    expect(stored?.label).not.toBe(truth);
    expect(stored?.flags).toContain('label-suspect');

    // Delete is restorable: the sample goes to Removed samples.
    await check.getByTestId('suspect-row').filter({ hasText: text }).getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('removed-row').filter({ hasText: text }).waitFor();
  });

  it('keeps findings on the samples after a reload: the samples table filters by them', async () => {
    const { page } = app;
    await page.reload();
    const table = page.getByTestId('samples');
    await table.getByLabel('Finding').selectOption({ label: 'Possibly mislabelled' });
    const stored = await readStore<StoredSample>(page, 'samples');
    const flagged = stored.filter((s) => s.deletedAt === null && s.flags.includes('label-suspect')).length;
    expect(flagged).toBeGreaterThan(0);
    await expect.poll(() => table.getByTestId('samples-count').textContent()).toMatch(new RegExp(`^\\s*${flagged} of`));
    expect(await table.locator('.badge').first().textContent()).toBe('Possibly mislabelled');
  });
});
