/**
 * @file A task's evaluation runs as last read, brought up to date by reading only what changed:
 * their ids from the `by-task` index, and the records of runs added or named as changed by the
 * change feed. A task with 50 runs of 5,000 test texts is then not read whole at every step of
 * an evaluation (each step names its run).
 */
import type { EvalRunRecord } from '../domain/records';
import type { Change } from '../storage/change-feed';
import { STORES, type Database } from '../storage/db';

export class RunCache {
  readonly #runs = new Map<string, EvalRunRecord>();
  #stale = new Set<string>();
  #taskId: string | null = null;
  /** Reads one at a time, so a later read is never overwritten by an earlier one. */
  #reading: Promise<unknown> = Promise.resolve();

  /** Notes a change of the evaluation runs: those it names are read again; all when it names none. */
  changed(change: Change): void {
    if (change.store !== STORES.evalRuns) return;
    if (change.ids) for (const id of change.ids) this.#stale.add(id);
    else this.#runs.clear();
  }

  /** The task's runs, up to date with every change noted before the call. */
  read(db: Database, taskId: string): Promise<EvalRunRecord[]> {
    const read = this.#reading.then(async () => {
      if (this.#taskId !== taskId) {
        this.#runs.clear();
        this.#taskId = taskId;
      }
      const stale = this.#stale;
      this.#stale = new Set();
      const tx = db.transaction(STORES.evalRuns);
      const ids = await tx.store.index('by-task').getAllKeys(taskId);
      const fresh = await Promise.all(
        ids.filter((id) => stale.has(id) || !this.#runs.has(id)).map((id) => tx.store.get(id)),
      );
      for (const id of [...this.#runs.keys()]) if (!ids.includes(id)) this.#runs.delete(id);
      for (const run of fresh) if (run) this.#runs.set(run.id, run);
      return ids.flatMap((id) => this.#runs.get(id) ?? []);
    });
    this.#reading = read.catch(() => undefined);
    return read;
  }

  /** How many records the last reads fetched in all (for tests). */
  get size(): number {
    return this.#runs.size;
  }
}
