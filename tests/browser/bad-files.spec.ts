/**
 * @file Every bad file in the corpus gets its clear message on the real import and bundle
 * screens, and what was already stored stays exactly as it was.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_FILES, type BadFile } from '../fixtures/bad-files';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

let app: AppSession;
let before: { id: string }[] = [];

const samples = (page: Page) => readStore<{ id: string }>(page, 'samples');

async function importFile(bad: BadFile): Promise<string> {
  const { page } = app;
  // Away and back: a fresh import panel for each file, without reloading the whole app.
  await page.goto(`${app.baseURL}/#/tasks`);
  await page.goto(`${app.baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: bad.file.name, mimeType: 'text/plain', buffer: Buffer.from(bad.file.content) });
  if (bad.shows === 'warning') return (await panel.getByTestId('import-warning').first().textContent()) ?? '';
  const error = panel.getByTestId('import-error');
  const check = panel.getByRole('button', { name: 'Check the whole file' });
  await error.or(check).first().waitFor();
  if (bad.shows === 'error' && (await error.isVisible())) return (await error.textContent()) ?? '';
  // The task has two languages and these files name none: say which, as a user would.
  await panel.getByLabel('Language of rows without one').selectOption('sw');
  await panel.getByLabel('Split of rows without one').selectOption('train');
  await check.click();
  const review = panel.getByTestId('import-review');
  await error.or(review).first().waitFor();
  if (bad.shows === 'error') return (await error.textContent()) ?? '';
  await review.getByRole('button', { name: 'Import', exact: true }).click();
  return (await panel.getByTestId('import-summary').textContent()) ?? '';
}

async function importBundle(bad: BadFile): Promise<string> {
  const { page } = app;
  await page.goto(`${app.baseURL}/#/models`);
  const bundles = page.getByTestId('bundles');
  await bundles
    .getByLabel('Import a bundle')
    .setInputFiles({ name: bad.file.name, mimeType: 'application/zip', buffer: Buffer.from(bad.file.content) });
  return (await bundles.getByTestId('bundle-message').textContent()) ?? '';
}

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, NEWS_TASK);
  before = await samples(app.page);
});

afterAll(async () => {
  await app?.close();
});

describe('a corpus of bad files', () => {
  it('has at least 15 files', () => {
    expect(BAD_FILES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(BAD_FILES.map((b) => [b.what, b] as const))('%s', async (_what, bad) => {
    const shown = bad.target === 'import' ? await importFile(bad) : await importBundle(bad);
    expect(shown.replace(/\s+/g, ' ')).toContain(bad.message);
    // Nothing stored before was changed or lost.
    const now = await samples(app.page);
    for (const s of before) expect(now).toContainEqual(s);
    expect(await app.page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
  });
});
