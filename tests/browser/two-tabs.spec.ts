/**
 * @file Two tabs on one task: both ask to generate, one job runs (Web Locks), the other tab
 * says so; no sample is written twice, and the other tab's dataset view follows the writes
 * without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { useModelFolder } from './helpers/steps';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/settings');
  await useModelFolder(app.page, app.baseURL);
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, name: 'Shared', seeds: {} });
});

afterAll(async () => {
  await app?.close();
});

describe('two tabs on one task', () => {
  it('run one generation job between them, write each sample once, and both stay current', async () => {
    const first = app.page;
    const second = await app.context.newPage();
    for (const page of [first, second]) {
      await page.goto(`${app.baseURL}/#/generate`);
      await page.getByLabel(/Replay a recorded session/).check();
      await page.getByLabel('Recording address').fill('models/recordings/news.json');
      await page.getByLabel('Samples per label and language').fill('3');
    }
    await first.getByRole('button', { name: 'Start generating' }).click();
    await expect
      .poll(async () => (await readStore<{ id: string }>(first, 'samples')).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await second.getByRole('button', { name: 'Start generating' }).click();
    await second
      .getByTestId('gen-message')
      .filter({ hasText: 'already running in another tab' })
      .waitFor({ timeout: 30_000 });

    // The second tab watches the dataset fill while the first tab generates.
    await second.goto(`${app.baseURL}/#/dataset`);
    const count = second.getByTestId('samples-count');
    // Reaches the end without a reload: the view follows the other tab's writes.
    await expect.poll(() => count.textContent(), { timeout: 90_000 }).toBe('18 of 18 samples');
    await expect
      .poll(() => first.getByTestId('gen-message').textContent(), { timeout: 30_000 })
      .toBe('Done: every label and language has its samples.');

    const stored = await readStore<{ id: string; text: string; taskId: string; deletedAt: number | null }>(
      first,
      'samples',
    );
    const live = stored.filter((s) => s.deletedAt === null);
    expect(live).toHaveLength(18);
    expect(new Set(live.map((s) => s.text)).size).toBe(18);
    const jobs = await readStore<{ id: string; kind: string }>(first, 'jobs');
    expect(jobs.filter((j) => j.kind === 'generate')).toHaveLength(1);
    await second.close();
  });
});
