/**
 * @file Untrusted text: samples holding HTML and script, a very long string, control
 * characters and mixed-direction text are imported, shown inertly in the dataset table and the
 * playground (as text, never as markup), and exported unchanged as CSV and JSONL.
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

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  const { page } = app;
  await page.goto(`${app.baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  const jsonl = HOSTILE.map((text, i) =>
    JSON.stringify({ text, label: NEWS_TASK.labels[i % 3]?.name, language: 'sw' }),
  );
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: 'hostile.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(jsonl.join('\n')) });
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
    await expect.poll(() => rows.count()).toBe(HOSTILE.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    expect(shown.sort()).toEqual([...HOSTILE].sort());
    const samples = page.getByTestId('samples');
    expect(await samples.locator('img, script, b, [onerror], [onmouseover]').count()).toBe(0);
    await samples.hover();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('is exported unchanged as CSV and as JSONL', async () => {
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
    const csv = Papa.parse<{ text: string }>(await save('CSV'), { header: true, skipEmptyLines: true }).data;
    expect(csv.map((r) => r.text).sort()).toEqual([...HOSTILE].sort());
    const jsonl = (await save('JSONL'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(jsonl.sort()).toEqual([...HOSTILE].sort());
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
