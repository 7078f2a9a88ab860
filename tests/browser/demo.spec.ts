/**
 * @file A newcomer's first launch: the demo project is offered, added in one click with its
 * source and license shown, and the n-gram student trains and is evaluated on its human test
 * sentences with no download (no request leaves localhost).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareRun } from '../../src/lib/domain/evaluation';
import { evaluateStudents, trainNgramStudent } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
});

afterAll(async () => {
  await app?.close();
});

describe('demo project', () => {
  it('is offered on first launch and added with its source and license', async () => {
    const { page } = app;
    const offer = page.getByTestId('demo-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('Flores-200 (CC BY-SA 4.0)');
    await offer.getByRole('button', { name: 'Add the demo project' }).click();
    await page.getByRole('status').filter({ hasText: 'Added “Demo: news topics (SIB-200)”' }).waitFor();
    expect(await page.getByTestId('task-attribution').textContent()).toContain('SIB-200');
    expect(await page.getByTestId('demo-offer').count()).toBe(0);
    expect(await page.getByTestId('current-task').count()).toBe(0); // the Tasks view names no current task
    expect(await readStore(page, 'samples')).toHaveLength(567);
  });

  it('trains the n-gram student and evaluates it on the human test set without any download', async () => {
    const { page, baseURL, requests } = app;
    await trainNgramStudent(page, baseURL);
    await evaluateStudents(page, baseURL);
    expect(await page.getByTestId('test-set').textContent()).toContain('210 test texts');
    const [run] = await readStore<CompareRun>(page, 'evalRuns');
    const student = run?.evaluators[0];
    expect(student?.trainedOn).toMatchObject({ samples: 357, bySource: { human: 357 } });
    // Seven topics: chance is about 14 macro-F1 points; the student does far better.
    expect(student?.scores?.macroF1).toBeGreaterThan(0.3);
    expect(await page.getByTestId('macro-f1').textContent()).toBe((100 * (student?.scores?.macroF1 ?? 0)).toFixed(1));
    expect(requests.filter((u) => !new URL(u).hostname.match(/^(localhost|127\.0\.0\.1)$/))).toEqual([]);
  });

  it('speaks French down to the messages the workers write', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('fr');
    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('Fichier à importer').setInputFiles({
      name: 'extra.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('text,label,language\nUne phrase de plus sur le sport.,sports,sw\n,sports,sw\n'),
    });
    await panel.getByRole('button', { name: 'Vérifier tout le fichier' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Importer', exact: true }).click();
    // Written by the data worker, in the page's language.
    expect(await panel.getByTestId('import-summary').textContent()).toContain('1 importé, 1 ignoré : 1 texte vide');
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('en');
  });
});
