/**
 * @file The current task's counts, read from its kept counts (storage/sample-stats.ts: a few
 * records, one request, however many samples), kept current by the change feed
 * (writes from this tab, other tabs and workers); the tables read their rows a page at a time
 * (`SamplePager`) and read again when `version` moves. No view holds every sample of a task.
 */
import type { Sample } from '../domain/sample';
import { STORES, type Database } from '../storage/db';
import { readStats, type SampleStat } from '../storage/sample-stats';
import { countsFromStats, setSamplesDeleted, type SampleCounts } from '../storage/samples-repo';
import type { PagerSource } from './sample-pager.svelte';

import { TaskFollower } from './task-follower';
export class DatasetState implements PagerSource {
  /** The task's kept counts, by cell and source. */
  stats = $state.raw<readonly SampleStat[]>([]);
  readonly #sums = $derived(countsFromStats(this.stats));
  /** Live samples per split → language → label. */
  get counts(): SampleCounts {
    return this.#sums.counts;
  }
  /** Deleted and filter-rejected samples, which can be restored. */
  get removedCount(): number {
    return this.#sums.removed;
  }
  /** Counts read for the task followed. */
  loaded = $state(false);
  /** Moves after every refresh: tables read their rows again. */
  version = $state(0);
  // Imports announce a change per batch: refreshes are spaced (see #schedule).
  readonly #task = new TaskFollower((c) => (c.store === 'samples' || c.store === 'tasks') && this.#schedule());
  readonly db: Promise<Database>;
  #pending: ReturnType<typeof setTimeout> | null = null;
  /** How long the last refresh took: refreshes are spaced by a multiple of it. */
  #lastMs = 0;
  #held = false;
  #missed = false;

  constructor(db: Promise<Database>) {
    this.db = db;
  }

  /** The task followed (reactive: tables start reading when it is set). */
  get taskId(): string | null {
    return this.#taskId;
  }
  #taskId = $state<string | null>(null);

  /** Shows a task's data and follows its changes; call with null to stop. */
  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    this.#taskId = taskId;
    this.loaded = false;
    this.stats = [];
    if (taskId) void this.refresh();
  }

  #schedule(): void {
    if (this.#held) {
      this.#missed = true;
      return;
    }
    if (this.#pending) return;
    // Reading competes with the writer for the database: space refreshes out as they grow
    // slower (at least 300 ms, else three times the last refresh).
    this.#pending = setTimeout(
      () => {
        this.#pending = null;
        void this.refresh();
      },
      Math.max(300, 3 * this.#lastMs),
    );
  }

  /**
   * Holds refreshes while a bulk write runs (an import), then refreshes once.
   * @param held true to hold, false to release
   */
  hold(held: boolean): void {
    this.#held = held;
    if (!held && this.#missed) {
      this.#missed = false;
      void this.refresh();
    }
  }

  async refresh(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const db = await this.db;
    const start = performance.now();
    const stats = await readStats(db, taskId);
    this.#lastMs = performance.now() - start;
    if (taskId !== this.#task.taskId) return;
    this.stats = stats;
    this.loaded = true;
    this.version++;
  }

  /** The samples with these ids that are still stored (for findings that name samples). */
  async byIds(ids: readonly string[]): Promise<Map<string, Sample>> {
    const tx = (await this.db).transaction(STORES.samples);
    const found = await Promise.all(ids.map((id) => tx.store.get(id)));
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a result handed over, not state
    return new Map(found.flatMap((s) => (s ? [[s.id, s] as const] : [])));
  }

  /** Puts deleted or rejected samples back. */
  async restore(ids: readonly string[]): Promise<void> {
    await setSamplesDeleted(await this.db, ids, false);
  }

  /** Deletes samples (restorable). */
  async remove(ids: readonly string[]): Promise<void> {
    await setSamplesDeleted(await this.db, ids, true);
  }

  dispose(): void {
    this.follow(null);
  }
}
