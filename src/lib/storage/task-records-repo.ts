/**
 * @file Classifiers, evaluation runs and jobs: records that belong to one task. One typed
 * repository per store, from one definition, since they are stored alike. A record is written
 * only while its task exists (`task-gone` otherwise).
 */
import { publishChange } from './change-feed';
import { STORES, type Database, type PolyclassDB } from './db';
import { guardQuota } from './quota-guard';
import { requireTasks, writeAll } from './transaction';

type TaskScopedStore = typeof STORES.classifiers | typeof STORES.evalRuns | typeof STORES.jobs;

export interface TaskRecordsRepo<S extends TaskScopedStore> {
  listByTask(db: Database, taskId: string): Promise<PolyclassDB[S]['value'][]>;
  get(db: Database, id: string): Promise<PolyclassDB[S]['value'] | undefined>;
  put(db: Database, record: PolyclassDB[S]['value']): Promise<void>;
  remove(db: Database, id: string): Promise<void>;
}

function taskRecordsRepo<S extends TaskScopedStore>(
  store: S,
  step: 'quota.classifier' | 'quota.evalRun' | 'quota.job',
): TaskRecordsRepo<S> {
  return {
    // Every task-scoped store has a 'by-task' index on taskId (see db.ts); generics cannot see that.
    listByTask: (db, taskId) =>
      db.getAllFromIndex(store as typeof STORES.jobs, 'by-task', taskId) as Promise<PolyclassDB[S]['value'][]>,
    get: (db, id) => db.get(store, id) as Promise<PolyclassDB[S]['value'] | undefined>,
    async put(db, record) {
      await guardQuota(step, async () => {
        const tx = db.transaction([store, STORES.tasks], 'readwrite');
        await requireTasks(tx, [record.taskId]);
        await writeAll(tx, [() => tx.objectStore(store).put(record as never)]);
      });
      publishChange({ store, taskId: record.taskId, kind: 'put', count: 1, ids: [record.id] });
    },
    async remove(db, id) {
      const record = (await db.get(store, id)) as { taskId: string } | undefined;
      await db.delete(store, id);
      publishChange({ store, taskId: record?.taskId, kind: 'delete', count: 1, ids: [id] });
    },
  };
}

export const classifiersRepo = taskRecordsRepo(STORES.classifiers, 'quota.classifier');
export const evalRunsRepo = taskRecordsRepo(STORES.evalRuns, 'quota.evalRun');
export const jobsRepo = taskRecordsRepo(STORES.jobs, 'quota.job');
