/**
 * @file Fills a task with many samples straight into the page's IndexedDB (what an import of
 * that size would have stored), for tests and benchmarks of views at 100,000 samples: an
 * import through the UI of that many rows takes minutes. The task's kept counts (the
 * `sampleStats` store, storage/sample-stats.ts) are written with them, as the app's writes do.
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
          type Stat = { taskId: string; split: string; language: string; label: string; source: string } & Record<
            'live' | 'removed' | 'generated' | 'fromPool',
            number
          > & { flags: Record<string, number>; removedFlags: Record<string, number> };
          const stats = new Map<string, Stat>();
          try {
            for (let start = 0; start < count; start += batch) {
              await new Promise<void>((done, fail) => {
                const tx = db.transaction('samples', 'readwrite');
                const store = tx.objectStore('samples');
                for (let i = start; i < Math.min(count, start + batch); i++) {
                  const removed = removedEvery > 0 && i % removedEvery === removedEvery - 1;
                  const label = labels[i % labels.length] as string;
                  const language = languages[Math.floor(i / labels.length) % languages.length] as string;
                  const split = i % 10 === 9 ? 'test' : 'train';
                  const source = i % 4 === 3 ? 'human' : 'synthetic';
                  const key = JSON.stringify([taskId, split, language, label, source]);
                  const stat = stats.get(key) ?? {
                    ...{ taskId, split, language, label, source },
                    ...{ live: 0, removed: 0, generated: 0, fromPool: 0, flags: {}, removedFlags: {} },
                  };
                  if (removed) stat.removed++;
                  else stat.live++;
                  stats.set(key, stat);
                  store.add({
                    id: `fill-${String(i).padStart(9, '0')}`,
                    taskId,
                    text: `Sample number ${i}, a sentence of ordinary length about ${label}.`,
                    label,
                    language,
                    split,
                    source,
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
            await new Promise<void>((done, fail) => {
              const tx = db.transaction('sampleStats', 'readwrite');
              const store = tx.objectStore('sampleStats');
              // Added to what the task's cells already count.
              for (const stat of stats.values()) {
                const read = store.get([stat.taskId, stat.split, stat.language, stat.label, stat.source]);
                read.onsuccess = () => {
                  const old = read.result as Stat | undefined;
                  store.put(old ? { ...old, live: old.live + stat.live, removed: old.removed + stat.removed } : stat);
                };
              }
              tx.oncomplete = () => done();
              tx.onerror = () => fail(tx.error);
            });
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
