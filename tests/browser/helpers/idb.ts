/**
 * @file Reads what the app stored, straight from the page's IndexedDB (what a user's data really is).
 */
import type { Page } from 'playwright-core';

/** Every record of a store of the `polyclass` database, sorted by id. */
export function readStore<T extends { id: string }>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('polyclass');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const r = open.result.transaction(name).objectStore(name).getAll();
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            open.result.close();
            resolve((r.result as T[]).sort((a, b) => a.id.localeCompare(b.id)));
          };
        };
      }),
    store,
  );
}

/** How many records a store of the `polyclass` database holds (none is read: cheap beside {@link readStore}). */
export function countStore(page: Page, store: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('polyclass');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const r = open.result.transaction(name).objectStore(name).count();
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            open.result.close();
            resolve(r.result);
          };
        };
      }),
    store,
  );
}
