/**
 * @file The Evaluate view of a task with 50 comparison runs of 5,000 test texts each (production
 * build, Chromium, a profile on disk): the time to open it, and the main thread's long tasks
 * while an evaluation in another tab commits a step every half second, each naming its run (as
 * the app's evaluation job does) beside the same steps naming none (every run read again, as
 * the view did before it kept the runs it had read).
 */
import type { CompareRun, EvaluatorResult, TestItem } from '../../src/lib/domain/evaluation';
import { scoreEvaluation } from '../../src/lib/domain/metrics';
import { fillTask } from '../../tests/browser/helpers/fill';
import { spread, withBuiltAppTask, type Spread } from './harness';

export const EVAL_RUNS = 50;
export const EVAL_TEXTS = 5000;
const LABELS = ['sports', 'politics', 'health'];
const LANGUAGES = ['sw', 'ha'];
const STEPS = 20;

export interface EvaluateViewFigure {
  runs: number;
  texts: number;
  openMs: Spread;
  /** Long tasks on the page while STEPS evaluation steps were committed, each naming its run or not. */
  named: { longTasks: number; longestMs: number; totalMs: number };
  unnamed: { longTasks: number; longestMs: number; totalMs: number };
}

/** Three evaluators' answers for the test texts (about 80%, 60% and 40% right), scored as the app scores them. */
function evaluators(items: readonly TestItem[]): EvaluatorResult[] {
  return [0.8, 0.6, 0.4].map((right, e) => {
    const predictions = items.map((item, i) =>
      ((i * 7919 + e * 104729) % 1000) / 1000 < right
        ? item.label
        : (LABELS[(LABELS.indexOf(item.label) + 1) % 3] as string),
    );
    return {
      key: `student-${e}`,
      name: `student ${e}`,
      spec: { kind: 'student', classifierId: `classifier-${e}` },
      trainedOn: null,
      sizeBytes: 1000,
      predictions,
      done: items.length,
      latencyMs: 1000,
      invalidAnswers: [],
      status: 'done',
      error: null,
      scores: scoreEvaluation(
        LABELS,
        items.map((i) => i.label),
        predictions,
        items.map((i) => i.language),
        { resamples: 200 },
      ),
    };
  });
}

export async function evaluateViewFigure(): Promise<EvaluateViewFigure> {
  return withBuiltAppTask(async (page, baseURL, taskId, context) => {
    // Every 10th sample is a test text: 5,000 of 50,000.
    await fillTask(page, { taskId, count: EVAL_TEXTS * 10, labels: LABELS, languages: LANGUAGES });
    const items: TestItem[] = Array.from({ length: EVAL_TEXTS }, (_, k) => {
      const i = k * 10 + 9;
      return {
        sampleId: `fill-${String(i).padStart(9, '0')}`,
        text: `Sample number ${i}, a sentence of ordinary length about ${LABELS[i % 3]}.`,
        label: LABELS[i % 3] as string,
        language: LANGUAGES[Math.floor(i / 3) % 2] as string,
      };
    });
    const results = evaluators(items);
    for (let r = 0; r < EVAL_RUNS; r++) {
      const run: CompareRun = {
        id: `run-${String(r).padStart(3, '0')}`,
        taskId,
        createdAt: 1_000_000 + r,
        kind: 'compare',
        seed: r,
        labels: LABELS,
        items,
        evaluators: results,
        templateVersion: 1,
        finishedAt: 1_000_000 + r,
      };
      await page.evaluate(
        (record) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('polyclass');
            open.onsuccess = () => {
              const tx = open.result.transaction('evalRuns', 'readwrite');
              tx.objectStore('evalRuns').put(record);
              tx.oncomplete = () => {
                open.result.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
            open.onerror = () => reject(open.error);
          }),
        run,
      );
    }

    const open: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${baseURL}/#/tasks`);
      await page.getByRole('button', { name: 'New task' }).waitFor();
      const t0 = Date.now();
      await page.goto(`${baseURL}/#/evaluate`);
      await page.getByTestId('compare-table').waitFor({ timeout: 120_000 });
      open.push(Date.now() - t0);
    }

    // Another tab of the app announces evaluation steps, as the evaluation job does.
    const other = await context.newPage();
    await other.goto(`${baseURL}/#/tasks`);
    const steps = async (named: boolean) => {
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[]; observer?: PerformanceObserver };
        w.longTasks = [];
        w.observer?.disconnect();
        w.observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(e.duration);
        });
        w.observer.observe({ type: 'longtask' });
      });
      for (let s = 0; s < STEPS; s++) {
        await other.evaluate(
          ({ taskId, named }) =>
            new BroadcastChannel('polyclass-changes').postMessage({
              store: 'evalRuns',
              taskId,
              kind: 'put',
              count: 1,
              ...(named ? { ids: ['run-049'] } : {}),
            }),
          { taskId, named },
        );
        await page.waitForTimeout(500);
      }
      await page.waitForTimeout(2000);
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      return {
        longTasks: longTasks.length,
        longestMs: Math.max(0, ...longTasks),
        totalMs: longTasks.reduce((a, b) => a + b, 0),
      };
    };
    // The view follows a step it is told of: run 49 marked unfinished in the other tab shows so.
    await other.evaluate(
      ({ taskId }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('polyclass');
          open.onsuccess = () => {
            const tx = open.result.transaction('evalRuns', 'readwrite');
            const store = tx.objectStore('evalRuns');
            const get = store.get('run-049');
            get.onsuccess = () => store.put({ ...get.result, finishedAt: null });
            tx.oncomplete = () => {
              open.result.close();
              new BroadcastChannel('polyclass-changes').postMessage({
                store: 'evalRuns',
                taskId,
                kind: 'put',
                count: 1,
                ids: ['run-049'],
              });
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { taskId },
    );
    await page
      .getByTestId('compare')
      .getByRole('combobox')
      .getByText(/unfinished/)
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    const named = await steps(true);
    const unnamed = await steps(false);
    return { runs: EVAL_RUNS, texts: EVAL_TEXTS, openMs: spread(open), named, unnamed };
  });
}
