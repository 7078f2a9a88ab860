/**
 * @file Untrusted text: samples holding HTML and script, a very long string, control
 * characters and mixed-direction text are imported, shown inertly in the dataset table and the
 * playground (as text, never as markup), and exported unchanged as JSONL; CSV guards texts a
 * spreadsheet would run as formulas (unless asked for raw cells), and imports back unchanged.
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

let app: AppSession;

const HOSTILE = [
  '<img src=x onerror="window.__pwned = 1">Mechi ya jana',
  '<script>window.__pwned = 2</script>Timu ilishinda',
  'Rais <b onmouseover="window.__pwned=3">alisema</b> &lt;leo&gt; &amp; kesho',
  `${'Afya njema '.repeat(800)}mwisho`,
  'Kengele\u0007 na \u001b[31mrangi\u001b[0m na\u200bnafasi',
  'Hospitali \u202eﺔﻴﺒﻌﺷ\u202c مستشفى الشعب and English',
  '{{constructor.constructor("window.__pwned=4")()}} javascript:alert(1)',
];
/** Texts a spreadsheet would run as formulas. */
const FORMULAS = ['=HYPERLINK("http://evil.example","Bonyeza hapa")', '+1+1 hesabu', '-2+3 alama', '@SUM(A1:A9) jumla'];
const ALL = [...HOSTILE, ...FORMULAS];

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  const { page } = app;
  await page.goto(`${app.baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  const jsonl = ALL.map((text, i) => JSON.stringify({ text, label: NEWS_TASK.labels[i % 3]?.name, language: 'sw' }));
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: 'hostile.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl.join('\n')) });
  await panel.getByLabel('Split of rows without one').selectOption('train');
  await panel.getByRole('button', { name: 'Check the whole file' }).click();
  await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
  await panel.getByTestId('import-summary').waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('untrusted text', () => {
  it('is shown as text in the dataset table: no element made from it, no script run', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/dataset`);
    await page.reload();
    const rows = page.getByTestId('sample-row');
    await expect.poll(() => rows.count()).toBe(ALL.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(shown.sort()).toEqual([...ALL].sort());
    const samples = page.getByTestId('samples');
    expect(await samples.locator('img, script, b, [onerror], [onmouseover]').count()).toBe(0);
    await samples.hover();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('is exported unchanged as JSONL; CSV guards formulas unless raw, and imports back unchanged', async () => {
    const { page } = app;
    const dir = await mkdtemp(join(tmpdir(), 'polyclass-untrusted-'));
    const save = async (button: string) => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: button, exact: true }).click();
      const d = await downloading;
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      return (await readFile(path)).toString('utf8');
    };
    const texts = (csv: string) =>
      Papa.parse<{ text: string }>(csv, { header: true, skipEmptyLines: true })
        .data.map((r) => r.text)
        .sort();
    const guarded = await save('CSV');
    expect(texts(guarded)).toEqual([...HOSTILE, ...FORMULAS.map((f) => `'${f}`)].sort());
    await page.getByLabel(/Write CSV cells exactly as stored/).check();
    expect(texts(await save('CSV'))).toEqual([...ALL].sort());
    await page.getByLabel(/Write CSV cells exactly as stored/).uncheck();
    const jsonl = (await save('JSONL'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(jsonl.sort()).toEqual([...ALL].sort());
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // The guarded CSV imports back as the very same texts: every row is a duplicate.
    const panel = page.getByTestId('import-panel');
    await panel
      .getByLabel('File to import')
      .setInputFiles({ name: 'back.csv', mimeType: 'text/csv', buffer: Buffer.from(guarded) });
    await panel.getByLabel('Split of rows without one').selectOption('train');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
    expect(await panel.getByTestId('import-summary').textContent()).toBe(
      `0 imported, ${ALL.length} skipped: ${ALL.length} duplicate.`,
    );
  });
});
