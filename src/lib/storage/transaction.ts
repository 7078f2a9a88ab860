/**
 * @file All-or-nothing bulk writes: if any write fails (a full disk, a bad record), the whole
 * transaction is aborted so no half of a batch is ever committed.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { PolyclassDB } from './db';

/**
 * Issues the writes one by one, then waits for the transaction to commit. A write that throws
 * at once (a full disk in some browsers, a bad key) aborts the transaction; the requests
 * already issued then fail with it, and are waited for here so none is left unobserved.
 * @param tx a readwrite transaction
 * @param writes each issues one request
 */
export async function writeAll<S extends StoreNames<PolyclassDB>[]>(
  tx: IDBPTransaction<PolyclassDB, S, 'readwrite'>,
  writes: Iterable<() => Promise<unknown>>,
): Promise<void> {
  const done = tx.done;
  const issued: Promise<unknown>[] = [];
  try {
    for (const write of writes) issued.push(write());
    await Promise.all([...issued, done]);
  } catch (error) {
    for (const p of [...issued, done]) p.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    throw error;
  }
}
