/**
 * @file Confusion-driven generation as a user runs it: a student trained on clean data takes
 * Swahili sports news about politicians for politics; "Find confusions" names that cell, a
 * recorded session writes hard cases for it alone, the student is trained again and gets
 * better there, judged on the validation texts (never on test texts). The first round is discarded (its samples deleted, its student removed), the
 * second kept.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRAST_TEST, CONTRAST_TRAIN } from '../fixtures/contrast';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { importSwahiliRows, trainNgramStudent, useModelFolder } from './helpers/steps';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

interface StoredSample {
  id: string;
  label: string;
  language: string;
  jobId: string | null;
  deletedAt: number | null;
  meta?: Record<string, string>;
}

let app: AppSession;

/** The percentages of a result row: before and after. */
async function scores(page: Page, testId: string, index = 0): Promise<[number, number]> {
  const cells = await page.getByTestId(testId).nth(index).locator('td').allTextContents();
  return [Number.parseInt(cells[0] ?? '', 10), Number.parseInt(cells[1] ?? '', 10)];
}

/** Finds the confusions of the newest student and generates `count` hard cases for the worst cell. */
async function runRound(page: Page, count = 10) {
  const round = page.getByTestId('targeted-round');
  // The newest student is chosen.
  const newest = await page.getByTestId('classifier-item').first().locator('span').first().textContent();
  const chosen = round.getByLabel('Student');
  expect(await chosen.inputValue()).not.toBe('');
  expect(newest).toContain(await chosen.locator('option:checked').textContent());
  await round.getByRole('button', { name: 'Find confusions' }).click();
  await round.getByTestId('round-basis').waitFor({ timeout: 60_000 });
  expect(await round.getByTestId('round-basis').textContent()).toContain(
    `Judged on your ${CONTRAST_TEST.length} validation texts. Test texts are never used here`,
  );
  const cell = round.getByLabel(/Swahili \(macrolanguage\): “sports” taken for “politics”/);
  expect(await cell.isChecked()).toBe(true);
  await round.getByLabel(/Replay a recorded session/).check();
  await round.getByLabel('Recording address').fill('models/recordings/contrast.json');
  await round.getByLabel('Examples per choice').fill(String(count));
  // Only the sports cell: the other confusions found (if any) are left out.
  for (const box of await round.getByRole('group', { name: 'Write hard examples for' }).getByRole('checkbox').all())
    await box.uncheck();
  await cell.check();
  await round.getByRole('button', { name: 'Generate targeted examples' }).click();
  await round.getByTestId('round-result').waitFor({ timeout: 120_000 });
}

beforeAll(async () => {
  app = await openApp('#/settings');
  await useModelFolder(app.page, app.baseURL);
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  await app.page.goto(`${app.baseURL}/#/dataset`);
  await importSwahiliRows(app.page, CONTRAST_TRAIN, 'train');
  await importSwahiliRows(app.page, CONTRAST_TEST, 'validation');
  await trainNgramStudent(app.page, app.baseURL);
});

afterAll(async () => {
  await app?.close();
});

describe('confusion-driven generation', () => {
  it('targets the confused cell, shows before and after, and discards the round as a batch', async () => {
    const { page } = app;
    await runRound(page);
    const [before, after] = await scores(page, 'round-cell');
    expect(after).toBeGreaterThan(before);
    expect(await page.getByTestId('targeted-round').textContent()).toContain(
      'F1 on your validation texts of the cells involved',
    );
    const written = (await readStore<StoredSample>(page, 'samples')).filter((s) => s.jobId !== null);
    expect(written.filter((s) => s.deletedAt === null)).toHaveLength(10);
    for (const s of written)
      expect(s).toMatchObject({ label: 'sports', language: 'sw', meta: { contrast: 'politics' } });
    expect(await page.getByTestId('classifier-item').count()).toBe(2);

    // A reload before deciding loses nothing: the numbers and the choice come back.
    await page.reload();
    await page.getByTestId('round-result').waitFor();
    expect(await scores(page, 'round-cell')).toEqual([before, after]);

    await page.getByTestId('targeted-round').getByRole('button', { name: 'Discard the new examples' }).click();
    await page.getByTestId('round-settled').filter({ hasText: 'Discarded' }).waitFor();
    const after2 = (await readStore<StoredSample>(page, 'samples')).filter((s) => s.jobId !== null);
    expect(after2.every((s) => s.deletedAt !== null)).toBe(true);
    await expect.poll(() => page.getByTestId('classifier-item').count()).toBe(1);
    // Settled: not offered again.
    await page.reload();
    await page.getByTestId('classifier-item').first().waitFor();
    expect(await page.getByTestId('round-result').count()).toBe(0);
    expect(await page.getByTestId('round-pending').count()).toBe(0);
  });

  it('offers a round cut off by a reload mid-generation again, and discards what it wrote', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/train`);
    const round = page.getByTestId('targeted-round');
    await round.getByRole('button', { name: 'Find confusions' }).click();
    await round.getByTestId('round-basis').waitFor({ timeout: 60_000 });
    await round.getByLabel(/Replay a recorded session/).check();
    await round.getByLabel('Recording address').fill('models/recordings/contrast.json');
    await round.getByLabel('Examples per choice').fill('10');
    // The tab goes away while the job runs (its record, with the round, is stored first).
    const jobs = () => readStore<{ id: string; checkpoint: { config: { round?: unknown } } }>(page, 'jobs');
    const before = (await jobs()).filter((j) => j.checkpoint.config.round).length;
    await round.getByRole('button', { name: 'Generate targeted examples' }).click();
    await expect.poll(async () => (await jobs()).filter((j) => j.checkpoint.config.round).length).toBe(before + 1);
    await page.reload();
    const pending = page.getByTestId('round-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toMatch(
      /A round from before is not settled: (no|\d+) hard examples? (was|were) written for “sports” against “politics”/,
    );
    await round.getByRole('button', { name: 'Discard the new examples' }).click();
    await page.getByTestId('round-settled').filter({ hasText: 'Discarded' }).waitFor();
    const live = (await readStore<StoredSample>(page, 'samples')).filter((s) => s.jobId !== null && !s.deletedAt);
    expect(live).toEqual([]);
  });

  it('says when a replay had fewer hard examples than asked for, and compares on those', async () => {
    const { page } = app;
    await runRound(page, 200);
    const short = page.getByTestId('round-short');
    expect(await short.textContent()).toMatch(
      /^The recording had no more answers for some of these cells: the comparison is on \d+ of the 200 new samples asked for\.$/,
    );
    await page.getByTestId('targeted-round').getByRole('button', { name: 'Discard the new examples' }).click();
    await page.getByTestId('round-settled').filter({ hasText: 'Discarded' }).waitFor();
  });

  it('keeps a second round: its samples stay and the better student is listed', async () => {
    const { page } = app;
    await runRound(page);
    const [before, after] = await scores(page, 'round-macro');
    expect(after).toBeGreaterThan(before);
    await page.getByTestId('targeted-round').getByRole('button', { name: 'Keep the new examples' }).click();
    await page.getByTestId('round-settled').filter({ hasText: 'Kept: 10 examples were added' }).waitFor();
    const live = (await readStore<StoredSample>(page, 'samples')).filter(
      (s) => s.jobId !== null && s.deletedAt === null,
    );
    expect(live).toHaveLength(10);
    expect(await page.getByTestId('classifier-item').count()).toBe(2);
    expect(await page.getByTestId('round-short').count()).toBe(0);
  });
});
