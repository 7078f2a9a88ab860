/**
 * @file A task's evaluation records as the Evaluate view shows them, brought up to date by
 * reading only what changed. Comparison runs hold every prediction, so they are listed from the
 * keys of their indexes (creation time, evaluators, finished or not) and only the one shown is
 * read whole; learning curves and imported answers, which the view shows all of, are read
 * whole. Records added or named as changed by the change feed are read again. A task with 50
 * runs of 5,000 test texts is then read one run at a time: when the view opens, and at each
 * step of an evaluation (each step names its run).
 */
import type { AnswerSet, CompareRun, LearningCurveRun } from '../domain/evaluation';
import type { EvalRunRecord } from '../domain/records';
import type { Change } from '../storage/change-feed';
import { STORES, taskKeyRange, type Database } from '../storage/db';

/** A comparison run as the view lists it, from index keys alone. */
export interface RunListing {
  id: string;
  createdAt: number;
  /** How many evaluators it compares. */
  evaluators: number;
  finished: boolean;
}

export interface TaskRuns {
  /** The comparison runs, newest first. */
  compare: RunListing[];
  /** The comparison run asked for, else the newest, read whole; null when there is none. */
  shown: CompareRun | null;
  /** Learning curves and imported answers, read whole, in the index's order. */
  others: (LearningCurveRun | AnswerSet)[];
}

export class RunCache {
  readonly #runs = new Map<string, EvalRunRecord>();
  #stale = new Set<string>();
  #taskId: string | null = null;
  /** Reads one at a time, so a later read is never overwritten by an earlier one. */
  #reading: Promise<unknown> = Promise.resolve();

  /** Notes a change of the evaluation records: those it names are read again; all when it names none. */
  changed(change: Change): void {
    if (change.store !== STORES.evalRuns) return;
    if (change.ids) for (const id of change.ids) this.#stale.add(id);
    else this.#runs.clear();
  }

  /**
   * The task's records, up to date with every change noted before the call.
   * @param shownId the comparison run to read whole (the newest when null or gone)
   */
  read(db: Database, taskId: string, shownId: string | null = null): Promise<TaskRuns> {
    const read = this.#reading.then(async () => {
      if (this.#taskId !== taskId) {
        this.#runs.clear();
        this.#taskId = taskId;
      }
      const stale = this.#stale;
      this.#stale = new Set();
      const tx = db.transaction(STORES.evalRuns);
      const ofTask = taskKeyRange(taskId);
      const [ids, finishedIds] = await Promise.all([
        tx.store.index('by-task').getAllKeys(taskId),
        tx.store.index('by-task-finished').getAllKeys(ofTask),
      ]);
      const finished = new Set(finishedIds);
      const compare: RunListing[] = [];
      let cursor = await tx.store.index('by-task-compare').openKeyCursor(ofTask);
      while (cursor) {
        const [, createdAt, evaluators] = cursor.key;
        compare.push({ id: cursor.primaryKey, createdAt, evaluators, finished: finished.has(cursor.primaryKey) });
        cursor = await cursor.continue();
      }
      compare.reverse();
      const shown = compare.find((r) => r.id === shownId) ?? compare[0] ?? null;
      const compareIds = new Set(compare.map((r) => r.id));
      const wanted = new Set(ids.filter((id) => !compareIds.has(id) || id === shown?.id));
      for (const id of [...this.#runs.keys()]) if (!wanted.has(id)) this.#runs.delete(id);
      const fresh = await Promise.all(
        [...wanted].filter((id) => stale.has(id) || !this.#runs.has(id)).map((id) => tx.store.get(id)),
      );
      for (const run of fresh) if (run) this.#runs.set(run.id, run);
      const records = ids.flatMap((id) => (wanted.has(id) ? (this.#runs.get(id) ?? []) : []));
      const shownRun = records.find((r): r is CompareRun => r.kind === 'compare') ?? null;
      return {
        compare,
        shown: shownRun,
        others: records.filter((r): r is LearningCurveRun | AnswerSet => r.kind !== 'compare'),
      };
    });
    this.#reading = read.catch(() => undefined);
    return read;
  }

  /** How many records the cache holds whole (for tests). */
  get size(): number {
    return this.#runs.size;
  }
}
