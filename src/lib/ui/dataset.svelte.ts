/**
 * @file The current task's samples and counts, kept current by the change feed (writes from
 * this tab, other tabs and workers).
 */
import type { Sample } from '../domain/sample';
import type { Database } from '../storage/db';
import { countSamples, listSamples, setSamplesDeleted, type SampleCounts } from '../storage/samples-repo';

import { TaskFollower } from './task-follower';
export class DatasetState {
  samples = $state.raw<Sample[]>([]);
  /** Deleted and filter-rejected samples, which can be restored. */
  removed = $state.raw<Sample[]>([]);
  counts = $state.raw<SampleCounts>({});
  loaded = $state(false);
  // Imports announce a change per batch: refreshes are spaced (see #schedule).
  readonly #task = new TaskFollower((c) => (c.store === 'samples' || c.store === 'tasks') && this.#schedule());
  readonly #db: Promise<Database>;
  #pending: ReturnType<typeof setTimeout> | null = null;
  /** How long the last refresh took: refreshes are spaced by a multiple of it. */
  #lastMs = 0;
  #held = false;
  #missed = false;

  constructor(db: Promise<Database>) {
    this.#db = db;
  }

  /** Shows a task's data and follows its changes; call with null to stop. */
  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    this.loaded = false;
    if (!taskId) return;
    void this.refresh();
  }

  #schedule(): void {
    if (this.#held) {
      this.#missed = true;
      return;
    }
    if (this.#pending) return;
    // Reading every sample competes with the writer for the database: space refreshes out
    // as the dataset grows (at least 300 ms, else three times the last refresh).
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
    const db = await this.#db;
    const start = performance.now();
    const [samples, removed, counts] = await Promise.all([
      listSamples(db, taskId),
      listSamples(db, taskId, { deleted: true }),
      countSamples(db, taskId),
    ]);
    this.#lastMs = performance.now() - start;
    if (taskId !== this.#task.taskId) return;
    this.samples = samples;
    this.removed = removed;
    this.counts = counts;
    this.loaded = true;
  }

  /** Puts deleted or rejected samples back. */
  async restore(ids: readonly string[]): Promise<void> {
    await setSamplesDeleted(await this.#db, ids, false);
  }

  /** Deletes samples (restorable). */
  async remove(ids: readonly string[]): Promise<void> {
    await setSamplesDeleted(await this.#db, ids, true);
  }

  dispose(): void {
    this.follow(null);
  }
}
