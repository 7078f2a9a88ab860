/**
 * @file The one IndexedDB database of polyclass: schema, versions and migrations.
 *
 * DO NOT RENAME stores or indexes without a migration: users' data lives under these names.
 * Each version adds a `step(N)` block to `upgrade`; released steps never change.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { migrateRejectionMeta } from '../domain/filters';
import type {
  ClassifierRecord,
  EmbeddingRecord,
  EvalRunRecord,
  JobKind,
  JobRecord,
  JobStatus,
} from '../domain/records';
import type { Sample, Split } from '../domain/sample';
import type { AppSettings } from '../domain/settings';
import type { Task } from '../domain/task';
import { SampleCounter, type SampleStat, type StatKey } from '../domain/sample-stats';

export const DB_NAME = 'polyclass';
/**
 * 1: settings.
 * 2: tasks, samples, embeddings, classifiers, evalRuns, jobs.
 * 3: rejection reasons stored as codes with their values (were sentences in the UI language).
 * 4: samples indexed by cell (task, split, language, label) and by removal, for counts and
 *    pages read from indexes alone (100,000-sample tasks); the two indexes they replace dropped.
 * 5: sampleStats: counts per task × split × language × label × source, kept by every write of
 *    samples (storage/sample-stats.ts), so views count without reading samples.
 * 6: samples indexed by the generation job that wrote them (written samples only), so a job's
 *    samples are read without reading the task's.
 */
export const DB_VERSION = 7;

/**
 * Every key of a compound key or index that starts with the task's id (`[taskId, …]`): a
 * task's kept counts, its removed samples, its comparison runs.
 */
export const taskKeyRange = (taskId: string): IDBKeyRange => IDBKeyRange.bound([taskId], [taskId, []]);

export const STORES = {
  settings: 'settings',
  tasks: 'tasks',
  samples: 'samples',
  embeddings: 'embeddings',
  classifiers: 'classifiers',
  evalRuns: 'evalRuns',
  jobs: 'jobs',
  sampleStats: 'sampleStats',
} as const;

export type StoreName = (typeof STORES)[keyof typeof STORES];

/** Key of the app-wide settings record in the settings store. */
export const APP_SETTINGS_KEY = 'app';

export interface PolyclassDB extends DBSchema {
  settings: { key: string; value: AppSettings };
  tasks: { key: string; value: Task; indexes: { 'by-updated': number } };
  samples: {
    key: string;
    value: Sample;
    indexes: {
      'by-task': string;
      'by-task-hash': [string, string];
      /** Every sample, live or removed, by its cell: counts and pages of a cell or a split. */
      'by-cell': [string, Split, string, string];
      /**
       * Removed samples only (a live sample's `deletedAt` is null, not a valid key, so it is not
       * in these two): the removed list in the order of removal, and removed counts per cell.
       */
      'by-removed': [string, number];
      'by-removed-cell': [string, Split, string, string, number];
      /**
       * Samples a generation job wrote, live or removed (another sample's `jobId` is null, not
       * a valid key, so it is not in this one: imports write no entry here).
       */
      'by-job': [string, string];
    };
  };
  embeddings: { key: [string, string]; value: EmbeddingRecord };
  sampleStats: { key: StatKey; value: SampleStat };
  classifiers: { key: string; value: ClassifierRecord; indexes: { 'by-task': string } };
  evalRuns: {
    key: string;
    value: EvalRunRecord;
    indexes: {
      'by-task': string;
      /**
       * Comparison runs only (the others have no `evaluators`): their creation time and how many
       * evaluators, read from the index keys without decoding their predictions.
       */
      'by-task-compare': [string, number, number];
      /** Finished comparison runs only (`finishedAt` null is no key). */
      'by-task-finished': [string, number];
    };
  };
  jobs: {
    key: string;
    value: JobRecord;
    indexes: { 'by-task': string; 'by-status': JobStatus; 'by-task-kind': [string, JobKind] };
  };
}

export type Database = IDBPDatabase<PolyclassDB>;

export interface OpenHandlers {
  /** Another tab holds an older version open and blocks our upgrade. */
  onBlocked?: () => void;
  /** A newer version was opened in another tab; this connection was closed to let it upgrade. */
  onVersionChange?: () => void;
  /** The browser closed the connection (storage cleared, disk error). */
  onTerminated?: () => void;
}

type UpgradeTransaction = IDBPTransaction<PolyclassDB, StoreNames<PolyclassDB>[], 'versionchange'>;

/**
 * Version 3: a rejected sample's reason was a sentence (`"too-short: 2 words; at least 3 are
 * needed"`, in the UI language of the day); it becomes a code with its values, read back from
 * the sentence. Runs inside the upgrade's transaction: a failure aborts the whole upgrade.
 */
async function migrateRejections(tx: UpgradeTransaction): Promise<void> {
  let cursor = await tx.objectStore(STORES.samples).openCursor();
  while (cursor) {
    const sample = cursor.value;
    const meta = migrateRejectionMeta(sample.meta, sample.label);
    if (meta !== sample.meta) await cursor.update({ ...sample, ...(meta ? { meta } : {}) });
    cursor = await cursor.continue();
  }
}

/**
 * Version 5: the counts of every task's samples, from one walk over the samples. Runs inside
 * the upgrade's transaction (after version 3's rewrite of rejection reasons, which changes no count).
 */
async function countEverySample(tx: UpgradeTransaction): Promise<void> {
  const delta = new SampleCounter();
  let cursor = await tx.objectStore(STORES.samples).openCursor();
  while (cursor) {
    delta.change(undefined, cursor.value);
    cursor = await cursor.continue();
  }
  const stats = tx.objectStore(STORES.sampleStats);
  await Promise.all(delta.records().map((r) => stats.put(r)));
}

/**
 * Opens (and upgrades) the database.
 * @param handlers states the UI should show
 * @param name database name; tests pass their own
 * @param version target version; tests of migrations open older ones
 */
export function openDatabase(handlers: OpenHandlers = {}, name = DB_NAME, version = DB_VERSION): Promise<Database> {
  return openDB<PolyclassDB>(name, version, {
    upgrade(db, oldVersion, newVersion, transaction) {
      // Each step runs once, in order, up to the version asked for (tests open older ones).
      const step = (n: number) => oldVersion < n && (newVersion ?? version) >= n;
      if (step(1)) {
        db.createObjectStore(STORES.settings);
      }
      if (step(2)) {
        const tasks = db.createObjectStore(STORES.tasks, { keyPath: 'id' });
        tasks.createIndex('by-updated', 'updatedAt');
        const samples = db.createObjectStore(STORES.samples, { keyPath: 'id' });
        samples.createIndex('by-task', 'taskId');
        // Two indexes of version 2 that version 4 drops (untyped: gone from PolyclassDB).
        const v2 = samples as unknown as IDBObjectStore;
        v2.createIndex('by-task-split', ['taskId', 'split']);
        v2.createIndex('by-task-label-language', ['taskId', 'label', 'language']);
        samples.createIndex('by-task-hash', ['taskId', 'textHash']);
        db.createObjectStore(STORES.embeddings, { keyPath: ['encoderId', 'textHash'] });
        db.createObjectStore(STORES.classifiers, { keyPath: 'id' }).createIndex('by-task', 'taskId');
        db.createObjectStore(STORES.evalRuns, { keyPath: 'id' }).createIndex('by-task', 'taskId');
        const jobs = db.createObjectStore(STORES.jobs, { keyPath: 'id' });
        jobs.createIndex('by-task', 'taskId');
        jobs.createIndex('by-status', 'status');
        jobs.createIndex('by-task-kind', ['taskId', 'kind']);
      }
      if (step(3)) void migrateRejections(transaction);
      if (step(4)) {
        const samples = transaction.objectStore(STORES.samples);
        samples.createIndex('by-cell', ['taskId', 'split', 'language', 'label']);
        samples.createIndex('by-removed', ['taskId', 'deletedAt']);
        samples.createIndex('by-removed-cell', ['taskId', 'split', 'language', 'label', 'deletedAt']);
        // Replaced by ranges of 'by-cell'; one index fewer to write for every sample.
        // Typed as the version-3 schema: the names are gone from PolyclassDB.
        const old = samples as unknown as IDBObjectStore;
        for (const name of ['by-task-split', 'by-task-label-language'])
          if (old.indexNames.contains(name)) old.deleteIndex(name);
      }
      if (step(5)) {
        db.createObjectStore(STORES.sampleStats, { keyPath: ['taskId', 'split', 'language', 'label', 'source'] });
        void countEverySample(transaction);
      }
      if (step(6)) transaction.objectStore(STORES.samples).createIndex('by-job', ['taskId', 'jobId']);
      if (step(7)) {
        // A key path step 'length' of an array is its length (Indexed DB 3.0, "evaluate a key path").
        const runs = transaction.objectStore(STORES.evalRuns);
        runs.createIndex('by-task-compare', ['taskId', 'createdAt', 'evaluators.length']);
        runs.createIndex('by-task-finished', ['taskId', 'finishedAt']);
      }
    },
    blocked: () => handlers.onBlocked?.(),
    // A newer version opened in another tab: close so it can upgrade; this tab must reload.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      handlers.onVersionChange?.();
    },
    terminated: () => handlers.onTerminated?.(),
  });
}
