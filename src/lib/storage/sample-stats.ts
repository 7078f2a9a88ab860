/**
 * @file The database's counts of each task's samples (version 5, domain/sample-stats.ts): one
 * record per task × split × language × label × source, changed in the same transaction as the
 * samples it counts. Every view's counts (the dataset matrix, Train's sources, Generate's own
 * texts, Label's progress, the tour's facts) read these few records instead of the samples,
 * so a 100,000-sample task counts as fast as a small one.
 *
 * Every write of the samples store goes through {@link StatsDelta}: record what each write does
 * (`change(old, next)`), then issue its `writes` (or `apply` it) in the same transaction. The
 * consistency check compares the records with a count of the samples and repairs them.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import {
  emptyStat,
  isEmptyStat,
  mergeStat,
  SampleCounter,
  statKey,
  statsOf,
  type SampleStat,
} from '../domain/sample-stats';
import { STORES, taskKeyRange, type Database, type PolyclassDB } from './db';

export { sameStats, statsOf, sumStats, type SampleStat, type StatsSum } from '../domain/sample-stats';

type StatsTx = IDBPTransaction<PolyclassDB, StoreNames<PolyclassDB>[], 'readwrite' | 'versionchange'>;

/** The deltas of a batch of sample writes, and the writes that apply them to the kept records. */
export class StatsDelta extends SampleCounter {
  /**
   * The writes that apply the deltas: each reads its record and writes the sum (deleting a
   * record that counts nothing). Issue them inside the transaction that writes the samples.
   */
  writes(tx: StatsTx): (() => Promise<unknown>)[] {
    const store = tx.objectStore(STORES.sampleStats);
    return this.records().map((d) => async () => {
      const key = statKey(d);
      const stored = await store.get(key);
      const sum = mergeStat(stored ?? emptyStat(d), d);
      return isEmptyStat(sum) ? store.delete(key) : store.put(sum);
    });
  }

  /** Applies the deltas in `tx` and waits for them (not for the transaction's end). */
  async apply(tx: StatsTx): Promise<void> {
    await Promise.all(this.writes(tx).map((w) => w()));
  }
}

/** A task's records, read in one request (a few dozen for most tasks). */
export function readStats(db: Database, taskId: string): Promise<SampleStat[]> {
  return db.getAll(STORES.sampleStats, taskKeyRange(taskId));
}

/**
 * Replaces a task's records with a count of its samples, inside `tx` (after a write that did
 * not keep the counts one by one: a bundle import, a repair).
 */
export async function recountTask(tx: StatsTx, taskId: string): Promise<void> {
  const samples = await tx.objectStore(STORES.samples).index('by-task').getAll(taskId);
  const store = tx.objectStore(STORES.sampleStats);
  await store.delete(taskKeyRange(taskId));
  await Promise.all(statsOf(samples).map((s) => store.put(s)));
}
