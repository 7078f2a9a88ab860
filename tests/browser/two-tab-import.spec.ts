/**
 * @file Two tabs and one import target (issue 16, items 2, 3 and 11): the same file imported in
 * two tabs at once is stored once; a task deleted in one tab while the other imports into it
 * gets no sample more, with a sentence in the importing tab; an import cut short by a reload
 * says so on return, with how to finish it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

const LABELS = ['sports', 'politics', 'health'];
/** A CSV of `rows` distinct texts. */
function csv(rows: number, tag: string): Buffer {
  return Buffer.from(
    'text,label,language\n' +
      Array.from(
        { length: rows },
        (_, i) => `"Sentensi ${tag} nambari ${i} yenye maneno ya kutosha kwa majaribio",${LABELS[i % 3]},sw\n`,
      ).join(''),
  );
}

interface StoredSample {
  id: string;
  taskId: string;
  text: string;
  deletedAt: number | null;
}

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks', undefined, [], { clock: true });
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, name: 'Shared import', seeds: {} });
});

afterAll(async () => {
  await app?.close();
});

/** Chooses the file and checks it, up to the Import button. */
async function checkFile(page: Page, file: Buffer, name: string): Promise<void> {
  await page.goto(`${app.baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File to import').setInputFiles({ name, mimeType: 'text/csv', buffer: file });
  await panel.getByLabel('Split of rows without one').selectOption('train');
  await panel.getByRole('button', { name: 'Check the whole file' }).click();
  await panel.getByTestId('import-review').waitFor({ timeout: 120_000 });
}

const importButton = (page: Page) =>
  page.getByTestId('import-panel').getByTestId('import-review').getByRole('button', { name: 'Import', exact: true });

describe('two tabs importing', () => {
  it('store a file imported in both at once once: every text once, the rest counted as duplicates', async () => {
    // 20 batches of 500 in each tab, written while the other tab writes its own.
    const rows = 10_000;
    const file = csv(rows, 'A');
    const first = app.page;
    const second = await app.context.newPage();
    await checkFile(first, file, 'same.csv');
    await checkFile(second, file, 'same.csv');
    await Promise.all([importButton(first).click(), importButton(second).click()]);
    const summaries = await Promise.all(
      [first, second].map(
        async (page) =>
          (await page.getByTestId('import-panel').getByTestId('import-summary').textContent({ timeout: 180_000 })) ??
          '',
      ),
    );
    const imported = summaries.map((s) => Number(/^([\d,]+) imported/.exec(s)?.[1]?.replace(/,/g, '') ?? NaN));
    expect(
      imported.reduce((a, b) => a + b, 0),
      summaries.join(' | '),
    ).toBe(rows);
    const live = (await readStore<StoredSample>(first, 'samples')).filter((s) => s.deletedAt === null);
    expect(live).toHaveLength(rows);
    expect(new Set(live.map((s) => s.text)).size).toBe(rows);
    await second.close();
  });

  it('write nothing for a task deleted in the other tab, and the importing tab says so', async () => {
    const first = app.page;
    const [task] = (await readStore<{ id: string; name: string }>(first, 'tasks')).filter(
      (t) => t.name === 'Shared import',
    );
    await checkFile(first, csv(40_000, 'B'), 'big.csv');
    await importButton(first).click();
    const progress = first.getByTestId('import-progress');
    await expect
      .poll(async () => Number(/(\d+) imported/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);

    const second = await app.context.newPage();
    await second.goto(`${app.baseURL}/#/tasks`);
    const item = second.getByTestId('task-item').filter({ hasText: 'Shared import' });
    await item.getByRole('button', { name: 'Delete…' }).click();
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await second.getByText('Deleted “Shared import”.').waitFor();

    // The importing tab loses the task it shows, and says why.
    expect(await first.getByTestId('task-vanished').textContent({ timeout: 30_000 })).toContain(
      '“Shared import” was deleted in another tab: work on it here stopped, and nothing more was written to it.',
    );
    // The import's next write finds no task and writes nothing; what it wrote before is purged
    // once the deleting tab no longer offers Undo (15 s, skipped on the pages' clock): wait
    // until the worker is idle.
    await app.context.clock.fastForward(16_000);
    await expect
      .poll(async () => (await readStore<StoredSample>(first, 'samples')).length, { timeout: 60_000, interval: 1_000 })
      .toBe(0);
    await first.waitForTimeout(2_000);
    const orphans = (await readStore<StoredSample>(first, 'samples')).filter((s) => s.taskId === task?.id);
    expect(orphans).toEqual([]);
    await second.close();
  });

  it('say after a reload that an import was cut short, and how to finish it', async () => {
    const page = app.page;
    await createTaskInUi(page, app.baseURL, { ...NEWS_TASK, name: 'Reloaded import', seeds: {} });
    await checkFile(page, csv(40_000, 'C'), 'cut.csv');
    await importButton(page).click();
    const progress = page.getByTestId('import-progress');
    await expect
      .poll(async () => Number(/(\d+) imported/.exec((await progress.textContent()) ?? '')?.[1] ?? 0), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await page.reload();
    await page.goto(`${app.baseURL}/#/dataset`);
    const note = page.getByTestId('import-interrupted');
    expect(await note.textContent({ timeout: 30_000 })).toMatch(
      /The import of “cut\.csv” was cut short \(the page was reloaded or closed\) after at least [\d,]+ rows\. Import the same file again to finish: the rows already in are skipped as duplicates\./,
    );
    await note.getByRole('button', { name: 'OK' }).click();
    await note.waitFor({ state: 'detached' });
    // Read: it does not come back.
    await page.reload();
    await page.getByTestId('import-panel').waitFor();
    expect(await page.getByTestId('import-interrupted').count()).toBe(0);
  });
});
