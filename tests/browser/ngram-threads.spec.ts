/**
 * @file A large task's n-gram student has its labels solved on several Web Workers started by
 * the training worker, sharing the training matrix (the page is cross-origin isolated): the
 * Train view says on how many threads, and the student put together from them is whole (its
 * leave-one-out accuracy on these separable texts). That the student is the one a single
 * thread makes, bit for bit, is tested on the same code in `ml/ngram-label-solver.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { fillTask } from './helpers/fill';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

/** 50,400 training rows (every 10th sample is a test one): past the 50,000 from which the app starts solvers. */
const COUNT = 56_000;
const LABELS = ['sports', 'politics', 'health'];

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, { ...NEWS_TASK, seeds: {} });
  const [task] = await readStore<{ id: string }>(app.page, 'tasks');
  await fillTask(app.page, { taskId: task?.id as string, count: COUNT, labels: LABELS, languages: ['sw', 'ha'] });
});

afterAll(async () => {
  await app?.close();
});

describe('the n-gram student of a large task', () => {
  it('solves its labels on several threads and puts the student together whole', async () => {
    const { page, baseURL } = app;
    const expected = await page.evaluate(
      (labels) => (crossOriginIsolated ? Math.min(navigator.hardwareConcurrency, labels, 4) : 1),
      LABELS.length,
    );
    // This test is about threads: a machine or page that cannot have them would test nothing.
    expect(expected).toBeGreaterThan(1);
    await page.goto(`${baseURL}/#/train`);
    await page.getByLabel(/Character n-grams/).check();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('train-solvers').textContent()).toBe(
      `Its labels were solved on ${expected} threads at once.`,
    );
    const [record] = await readStore<{
      id: string;
      file: { training: { samples: number }; metrics?: { leaveOneOutAccuracy?: number } };
    }>(page, 'classifiers');
    expect(record?.file.training.samples).toBe(50_400);
    expect(record?.file.metrics?.leaveOneOutAccuracy).toBeGreaterThan(0.99);
  });
});
