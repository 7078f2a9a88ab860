/**
 * @file Reads what the app stored, straight from the page's IndexedDB (what a user's data really is).
 */
import type { Page } from 'playwright-core';

/** One request on a whole store of the `polyclass` database, run in the page. */
function onStore<T>(page: Page, store: string, method: 'getAll' | 'count'): Promise<T> {
  return page.evaluate(
    ({ name, method }) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('polyclass');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const r = open.result.transaction(name).objectStore(name)[method]();
          r.onerror = () => reject(r.error);
          r.onsuccess = () => {
            open.result.close();
            resolve(r.result as T);
          };
        };
      }),
    { name: store, method },
  );
}

/** Every record of a store of the `polyclass` database, sorted by id. */
export async function readStore<T extends { id: string }>(page: Page, store: string): Promise<T[]> {
  return (await onStore<T[]>(page, store, 'getAll')).sort((a, b) => a.id.localeCompare(b.id));
}

/** How many records a store of the `polyclass` database holds (none is read: cheap beside {@link readStore}). */
export const countStore = (page: Page, store: string): Promise<number> => onStore<number>(page, store, 'count');
