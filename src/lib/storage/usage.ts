/**
 * @file What takes space: an estimate per task (its samples, classifiers and runs) and for
 * the shared embedding cache, from the records themselves.
 */
import { STORES, type Database } from './db';

export interface TaskUsage {
  taskId: string;
  name: string;
  samples: number;
  /** Approximate bytes of the task's records. */
  bytes: number;
}

export interface StorageUsage {
  tasks: TaskUsage[];
  embeddings: { count: number; bytes: number };
}

// Strings are UTF-16 in memory and roughly that on disk; this is an estimate for ranking, not a bill.
const sizeOf = (value: unknown): number => JSON.stringify(value)?.length ?? 0;

export async function measureUsage(db: Database): Promise<StorageUsage> {
  const tasks = await db.getAll(STORES.tasks);
  const usage: TaskUsage[] = [];
  for (const t of tasks) {
    let bytes = sizeOf(t);
    let samples = 0;
    let cursor = await db.transaction(STORES.samples).store.index('by-task').openCursor(t.id);
    while (cursor) {
      bytes += sizeOf(cursor.value);
      samples++;
      cursor = await cursor.continue();
    }
    for (const c of await db.getAllFromIndex(STORES.classifiers, 'by-task', t.id)) bytes += sizeOf(c);
    for (const r of await db.getAllFromIndex(STORES.evalRuns, 'by-task', t.id)) bytes += sizeOf(r);
    usage.push({ taskId: t.id, name: t.name, samples, bytes });
  }
  let count = 0;
  let embBytes = 0;
  let cursor = await db.transaction(STORES.embeddings).store.openCursor();
  while (cursor) {
    count++;
    embBytes += cursor.value.vector.byteLength + 64;
    cursor = await cursor.continue();
  }
  return { tasks: usage.sort((a, b) => b.bytes - a.bytes), embeddings: { count, bytes: embBytes } };
}
