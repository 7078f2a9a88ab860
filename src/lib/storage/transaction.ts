/**
 * @file All-or-nothing bulk writes: if any write fails (a full disk, a bad record), the whole
 * transaction is aborted so no half of a batch is ever committed.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { PolyclassDB } from './db';

/**
 * Issues the writes, then waits for the transaction to commit.
 * @param tx a readwrite transaction
 * @param writes issues the requests (may throw synchronously)
 */
export async function writeAll<S extends StoreNames<PolyclassDB>[]>(
  tx: IDBPTransaction<PolyclassDB, S, 'readwrite'>,
  writes: () => Promise<unknown>[],
): Promise<void> {
  const done = tx.done;
  try {
    await Promise.all([...writes(), done]);
  } catch (error) {
    done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    throw error;
  }
}
