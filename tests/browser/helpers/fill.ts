/**
 * @file Fills a task with many samples straight into the page's IndexedDB (what an import of
 * that size would have stored), for tests and benchmarks of views at 100,000 samples: an
 * import through the UI of that many rows takes minutes.
 */
import type { Page } from 'playwright-core';

export interface FillOptions {
  taskId: string;
  count: number;
  labels: readonly string[];
  languages: readonly string[];
  /** Every `removedEvery`-th sample is stored as deleted (0: none). */
  removedEvery?: number;
  /** Records written per transaction. */
  batch?: number;
}

/**
 * Writes `count` samples: sample i has text `Sample number i …`, label `labels[i % L]`, language
 * `languages[floor(i / L) % N]`, split train (every 10th test), source synthetic (every 4th human);
 * ids sort in i's order, so the oldest is sample 0.
 */
export function fillTask(page: Page, options: FillOptions): Promise<void> {
  return page.evaluate(
    ({ taskId, count, labels, languages, removedEvery = 0, batch = 5000 }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('polyclass');
        open.onerror = () => reject(open.error);
        open.onsuccess = async () => {
          const db = open.result;
          try {
            for (let start = 0; start < count; start += batch) {
              await new Promise<void>((done, fail) => {
                const tx = db.transaction('samples', 'readwrite');
                const store = tx.objectStore('samples');
                for (let i = start; i < Math.min(count, start + batch); i++) {
                  const removed = removedEvery > 0 && i % removedEvery === removedEvery - 1;
                  store.add({
                    id: `fill-${String(i).padStart(9, '0')}`,
                    taskId,
                    text: `Sample number ${i}, a sentence of ordinary length about ${labels[i % labels.length]}.`,
                    label: labels[i % labels.length],
                    language: languages[Math.floor(i / labels.length) % languages.length],
                    split: i % 10 === 9 ? 'test' : 'train',
                    source: i % 4 === 3 ? 'human' : 'synthetic',
                    jobId: null,
                    flags: [],
                    textHash: `fill${i}`,
                    createdAt: 1_000_000 + i,
                    updatedAt: 1_000_000 + i,
                    deletedAt: removed ? 2_000_000 + i : null,
                  });
                }
                tx.oncomplete = () => done();
                tx.onerror = () => fail(tx.error);
              });
            }
            db.close();
            resolve();
          } catch (error) {
            db.close();
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        };
      }),
    options,
  );
}
