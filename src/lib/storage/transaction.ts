/**
 * @file All-or-nothing bulk writes: if any write fails (a full disk, a bad record), the whole
 * transaction is aborted so no half of a batch is ever committed. And the check every write for
 * a task makes inside its transaction: the task still exists (another tab may have deleted it).
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { AppError } from '../domain/errors';
import { message } from '../i18n/messages';
import { STORES, type PolyclassDB } from './db';

/**
 * Inside a write's transaction (which must include the tasks store): throws `task-gone` and
 * aborts it, writing nothing, unless every task named still exists. Deleting a task takes the
 * tasks store too, so the two cannot interleave: a job in another tab stops at its next write.
 */
export async function requireTasks<S extends StoreNames<PolyclassDB>[]>(
  tx: IDBPTransaction<PolyclassDB, S, 'readwrite'>,
  taskIds: Iterable<string>,
): Promise<void> {
  const tasks = (tx as unknown as IDBPTransaction<PolyclassDB, [typeof STORES.tasks], 'readwrite'>).objectStore(
    STORES.tasks,
  );
  const found = await Promise.all([...new Set(taskIds)].map((id) => tasks.getKey(id)));
  if (found.every((key) => key !== undefined)) return;
  tx.abort();
  await tx.done.catch(() => undefined);
  throw new AppError('task-gone', message('err.taskGoneWriting'));
}

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
