/**
 * @file Tasks: list, create, edit (renaming labels in their samples too), duplicate, and
 * delete with everything that belongs to them, returning a snapshot that undo restores.
 *
 * Deleting is in two steps, so that it is quick however many samples a task has: `deleteTask`
 * removes the task record and its few other records at once (its samples are then detached:
 * nothing reaches them, and no write for the task can happen, see `requireTasks`); Undo puts
 * those records back and the samples are reachable again. Once Undo is no longer offered,
 * `purgeDetachedSamples` deletes the samples in the background, in short transactions;
 * `detachedTaskIds` finds what a closed tab left to purge.
 */
import { AppError } from '../domain/errors';
import { message } from '../i18n/messages';
import type { ClassifierRecord, EvalRunRecord, JobRecord } from '../domain/records';
import { orderedId } from '../domain/ids';
import { cleanDraft, type Task, type TaskDraft } from '../domain/task';
import { publishChange } from './change-feed';
import { STORES, taskKeyRange, type Database } from './db';
import { guardQuota } from './quota-guard';
import { recountTask, StatsDelta } from './sample-stats';
import { writeAll } from './transaction';

/** What deleting a task removed at once; `restoreTask` puts it back (its samples stay until purged). */
export interface TaskSnapshot {
  task: Task;
  classifiers: ClassifierRecord[];
  evalRuns: EvalRunRecord[];
  jobs: JobRecord[];
}

const newId = () => crypto.randomUUID();

/** All tasks, most recently changed first. */
export async function listTasks(db: Database): Promise<Task[]> {
  return (await db.getAllFromIndex(STORES.tasks, 'by-updated')).reverse();
}

export function getTask(db: Database, id: string): Promise<Task | undefined> {
  return db.get(STORES.tasks, id);
}

/**
 * Stores a new task from an editor draft.
 * @param attribution where its data comes from (see {@link Task.attribution})
 */
export async function createTask(
  db: Database,
  draft: TaskDraft,
  now = Date.now(),
  attribution?: string,
): Promise<Task> {
  const task: Task = {
    id: newId(),
    ...cleanDraft(draft),
    ...(attribution ? { attribution } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await guardQuota('quota.task', () => db.add(STORES.tasks, task));
  publishChange({ store: STORES.tasks, taskId: task.id, kind: 'put', count: 1 });
  return task;
}

/**
 * Saves an edited task. Samples of renamed labels move to the new name in the same
 * transaction, so a rename never orphans data.
 * @param renames old label name → new label name
 */
export async function updateTask(
  db: Database,
  id: string,
  draft: TaskDraft,
  renames: Record<string, string> = {},
  now = Date.now(),
): Promise<Task> {
  return guardQuota('quota.task', async () => {
    const tx = db.transaction([STORES.tasks, STORES.samples, STORES.sampleStats], 'readwrite');
    const old = await tx.objectStore(STORES.tasks).get(id);
    if (!old) throw new Error(`The task ${id} no longer exists (it may have been deleted in another tab).`);
    const task: Task = { ...old, ...cleanDraft(draft), updatedAt: now };
    await tx.objectStore(STORES.tasks).put(task);
    const moves = Object.entries(renames).filter(([from, to]) => from !== to);
    if (moves.length > 0) {
      const delta = new StatsDelta();
      let cursor = await tx.objectStore(STORES.samples).index('by-task').openCursor(id);
      while (cursor) {
        const to = renames[cursor.value.label];
        if (to !== undefined && to !== cursor.value.label) {
          const renamed = { ...cursor.value, label: to, updatedAt: now };
          delta.change(cursor.value, renamed);
          await cursor.update(renamed);
        }
        cursor = await cursor.continue();
      }
      await delta.apply(tx);
    }
    await tx.done;
    publishChange({ store: STORES.tasks, taskId: id, kind: 'put', count: 1 });
    if (moves.length > 0) publishChange({ store: STORES.samples, taskId: id, kind: 'put', count: moves.length });
    return task;
  });
}

/** Copies a task with its samples (not its trained models or runs), named "… (copy)". */
export async function duplicateTask(db: Database, id: string, now = Date.now()): Promise<Task> {
  return guardQuota('quota.duplicate', async () => {
    const tx = db.transaction([STORES.tasks, STORES.samples, STORES.sampleStats], 'readwrite');
    const old = await tx.objectStore(STORES.tasks).get(id);
    if (!old) throw new AppError('internal', message('err.taskGone'));
    const task: Task = { ...old, id: newId(), name: `${old.name} (copy)`, createdAt: now, updatedAt: now };
    await tx.objectStore(STORES.tasks).add(task);
    const samples = await tx.objectStore(STORES.samples).index('by-task').getAll(id);
    const copies = samples.map((s, i) => ({ ...s, id: orderedId(now, i), taskId: task.id }));
    const delta = new StatsDelta();
    for (const s of copies) delta.change(undefined, s);
    await writeAll(tx, [...copies.map((s) => () => tx.objectStore(STORES.samples).add(s)), ...delta.writes(tx)]);
    publishChange({ store: STORES.tasks, taskId: task.id, kind: 'put', count: 1 });
    return task;
  });
}

/**
 * The runs of consecutive keys that are all ours, as [first, last] pairs.
 * @param ours our keys, ascending
 * @param all every key from our first to our last, ascending (ours and any others between)
 */
export function keyRuns(ours: readonly string[], all: readonly string[]): [string, string][] {
  const mine = new Set(ours);
  const runs: [string, string][] = [];
  let start: string | null = null;
  let last: string | null = null;
  for (const key of all) {
    if (mine.has(key)) {
      start ??= key;
      last = key;
    } else if (start !== null && last !== null) {
      runs.push([start, last]);
      start = last = null;
    }
  }
  if (start !== null && last !== null) runs.push([start, last]);
  return runs;
}

/**
 * Deletes a task: the task record, its classifiers, evaluation runs and jobs, in one
 * transaction. Its samples are detached, not deleted: {@link purgeDetachedSamples} deletes them
 * once Undo is no longer offered.
 */
export async function deleteTask(db: Database, id: string): Promise<TaskSnapshot> {
  // Not the samples store: however many samples the task has, this touches none of them.
  const tx = db.transaction([STORES.tasks, STORES.classifiers, STORES.evalRuns, STORES.jobs], 'readwrite');
  const task = await tx.objectStore(STORES.tasks).get(id);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const snapshot: TaskSnapshot = {
    task,
    classifiers: await tx.objectStore(STORES.classifiers).index('by-task').getAll(id),
    evalRuns: await tx.objectStore(STORES.evalRuns).index('by-task').getAll(id),
    jobs: await tx.objectStore(STORES.jobs).index('by-task').getAll(id),
  };
  await writeAll(tx, [
    () => tx.objectStore(STORES.tasks).delete(id),
    ...snapshot.classifiers.map((c) => () => tx.objectStore(STORES.classifiers).delete(c.id)),
    ...snapshot.evalRuns.map((r) => () => tx.objectStore(STORES.evalRuns).delete(r.id)),
    ...snapshot.jobs.map((j) => () => tx.objectStore(STORES.jobs).delete(j.id)),
  ]);
  publishChange({ store: STORES.tasks, taskId: id, kind: 'delete', count: 1 });
  return snapshot;
}

/** Samples one purge transaction deletes: short enough that other work is not held up. */
export const PURGE_BATCH = 5_000;

/**
 * Deletes the samples of a deleted task, a batch per transaction, each checking first that the
 * task is still gone (an Undo or a bundle import may have brought it back: then nothing more is
 * deleted). Sample ids are time-ordered, so a batch lies in a few runs of consecutive keys: one
 * range delete per run instead of one per sample.
 * @returns how many samples were deleted
 */
export async function purgeDetachedSamples(db: Database, taskId: string, batch = PURGE_BATCH): Promise<number> {
  let purged = 0;
  for (;;) {
    const tx = db.transaction([STORES.tasks, STORES.samples, STORES.sampleStats], 'readwrite');
    if ((await tx.objectStore(STORES.tasks).getKey(taskId)) !== undefined) {
      // Brought back part-way: its counts are of what is left.
      if (purged > 0) await recountTask(tx, taskId);
      await tx.done;
      return purged;
    }
    const samples = tx.objectStore(STORES.samples);
    const ids = await samples.index('by-task').getAllKeys(taskId, batch);
    const first = ids[0];
    const last = ids.at(-1);
    if (first === undefined || last === undefined) {
      // Every sample is gone: so are its counts.
      await writeAll(tx, [() => tx.objectStore(STORES.sampleStats).delete(taskKeyRange(taskId))]);
      return purged;
    }
    const runs = keyRuns(ids, await samples.getAllKeys(IDBKeyRange.bound(first, last)));
    await writeAll(
      tx,
      runs.map(
        ([from, to]) =>
          () =>
            samples.delete(IDBKeyRange.bound(from, to)),
      ),
    );
    purged += ids.length;
  }
}

/** Tasks that are gone but still have samples (deleted, waiting for their purge): one step per task, whatever the sample count. */
export async function detachedTaskIds(db: Database): Promise<string[]> {
  const tx = db.transaction([STORES.tasks, STORES.samples]);
  const tasks = tx.objectStore(STORES.tasks);
  const ids: string[] = [];
  let cursor = await tx.objectStore(STORES.samples).index('by-task').openKeyCursor(null, 'nextunique');
  while (cursor) {
    const id = cursor.key;
    if ((await tasks.getKey(id)) === undefined) ids.push(id);
    cursor = await cursor.continue();
  }
  await tx.done;
  return ids;
}

/** Undoes a deletion: puts the task and its records back, in one transaction; its samples (not yet purged) are reachable again. */
export async function restoreTask(db: Database, snapshot: TaskSnapshot): Promise<void> {
  await guardQuota('quota.restore', async () => {
    const tx = db.transaction([STORES.tasks, STORES.classifiers, STORES.evalRuns, STORES.jobs], 'readwrite');
    await writeAll(tx, [
      () => tx.objectStore(STORES.tasks).put(snapshot.task),
      ...snapshot.classifiers.map((c) => () => tx.objectStore(STORES.classifiers).put(c)),
      ...snapshot.evalRuns.map((r) => () => tx.objectStore(STORES.evalRuns).put(r)),
      ...snapshot.jobs.map((j) => () => tx.objectStore(STORES.jobs).put(j)),
    ]);
  });
  publishChange({ store: STORES.tasks, taskId: snapshot.task.id, kind: 'put', count: 1 });
}
