/**
 * @file Fills a task with many samples straight into the page's IndexedDB (what an import of
 * that size would have stored), for tests and benchmarks of views at 100,000 samples: an
 * import through the UI of that many rows takes minutes. The task's kept counts (the
 * `sampleStats` store, storage/sample-stats.ts) are counted again after, as the app's writes keep them.
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
  return page
    .evaluate(
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
                    const label = labels[i % labels.length] as string;
                    const language = languages[Math.floor(i / labels.length) % languages.length] as string;
                    const split = i % 10 === 9 ? 'test' : 'train';
                    const source = i % 4 === 3 ? 'human' : 'synthetic';
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
              db.close();
              resolve();
            } catch (error) {
              db.close();
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          };
        }),
      options,
    )
    .then(() => recountInPage(page));
}

/**
 * Counts every task's samples again into the `sampleStats` store, as the app keeps them
 * (domain/sample-stats.ts, repeated here: this runs in the page of a production build), after
 * a test wrote samples straight into IndexedDB.
 */
export function recountInPage(page: Page): Promise<void> {
  return page.evaluate(async () => {
    // tsx (the benchmarks' loader) names functions with a helper the page does not have.
    Object.assign(globalThis, { __name: (globalThis as { __name?: unknown }).__name ?? ((f: unknown) => f) });
    const done = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const db = await done(indexedDB.open('polyclass'));
    try {
      type Row = {
        taskId: string;
        split: string;
        language: string;
        label: string;
        source: string;
        textHash: string;
        jobId: string | null;
        flags: string[];
        deletedAt: number | null;
        meta?: Record<string, string>;
      };
      type Stat = Record<string, unknown> &
        Record<'live' | 'removed' | 'generated' | 'fromPool' | 'hashSum', number> &
        Record<'flags' | 'removedFlags', Record<string, number>>;
      const print = (hash: string) => {
        let h = 0x811c9dc5;
        for (let i = 0; i < hash.length; i++) h = Math.imul(h ^ hash.charCodeAt(i), 0x01000193);
        return h >>> 0;
      };
      const stats = new Map<string, Stat>();
      // Read in pages of 10,000 by primary key, so a big task does not sit in memory twice.
      let after: IDBValidKey | null = null;
      for (;;) {
        const range: IDBKeyRange | null = after === null ? null : IDBKeyRange.lowerBound(after, true);
        const rows = (await done(db.transaction('samples').objectStore('samples').getAll(range, 10_000))) as (Row & {
          id: string;
        })[];
        for (const s of rows) {
          const key = JSON.stringify([s.taskId, s.split, s.language, s.label, s.source]);
          const stat = stats.get(key) ?? {
            ...{ taskId: s.taskId, split: s.split, language: s.language, label: s.label, source: s.source },
            ...{ live: 0, removed: 0, generated: 0, fromPool: 0, flags: {}, removedFlags: {}, hashSum: 0 },
          };
          stat.hashSum = (stat.hashSum + print(s.textHash)) >>> 0;
          const flags = s.deletedAt === null ? stat.flags : stat.removedFlags;
          if (s.deletedAt === null) {
            stat.live++;
            if (s.jobId !== null) stat.generated++;
            if (s.meta?.labelledFromPool !== undefined) stat.fromPool++;
          } else stat.removed++;
          for (const f of new Set(s.flags)) flags[f] = (flags[f] ?? 0) + 1;
          stats.set(key, stat);
        }
        if (rows.length < 10_000) break;
        after = rows[rows.length - 1]?.id ?? null;
      }
      const tx = db.transaction('sampleStats', 'readwrite');
      const store = tx.objectStore('sampleStats');
      store.clear();
      for (const stat of stats.values()) store.put(stat);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  });
}
