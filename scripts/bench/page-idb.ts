/**
 * @file Runs in the page (imported through Vite): figure 4, the app's storage code on the real
 * IndexedDB beside a plain in-memory store doing the same work (duplicate check on the text
 * hash, list the task oldest first, one language × label cell).
 */
import type { NewSample, Sample } from '../../src/lib/domain/sample';
import { textHash } from '../../src/lib/domain/text-hash';
import { openDatabase, type Database } from '../../src/lib/storage/db';
import {
  addSamples,
  cellRange,
  countTask,
  listSamples,
  pageSamples,
  type PageToken,
  type SampleQuery,
} from '../../src/lib/storage/samples-repo';
import { createTask, deleteTask, purgeDetachedSamples, restoreTask } from '../../src/lib/storage/tasks-repo';

const LABELS = ['sports', 'politics', 'health', 'science', 'travel'];
const LANGUAGES = ['sw', 'ha'];

export interface StorageRun {
  writeMs: number;
  readMs: number;
  queryMs: number;
  memoryWriteMs: number;
  memoryReadMs: number;
  memoryQueryMs: number;
  /** deleteTask of the task with its n samples (one transaction, snapshot kept for Undo), and restoreTask. */
  deleteMs: number;
  undoMs: number;
  memoryDeleteMs: number;
  memoryUndoMs: number;
  cell: number;
  /** The same records added with plain IndexedDB in one transaction: into a store with no index, and with the app's indexes. */
  floorMs: number;
  floorIndexedMs: number;
}

/**
 * Adds records with plain IndexedDB in one transaction, into a fresh database whose one store
 * has the given indexes: the least any way of storing one record per sample can take.
 */
async function plainAdd(records: readonly Sample[], indexes: Record<string, string | string[]>): Promise<number> {
  const name = `polyclass-bench-floor-${Date.now()}-${Math.random()}`;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('samples', { keyPath: 'id' });
      for (const [index, keyPath] of Object.entries(indexes)) store.createIndex(index, keyPath);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('samples', 'readwrite');
    for (const r of records) tx.objectStore('samples').add(r);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  const ms = performance.now() - t;
  db.close();
  indexedDB.deleteDatabase(name);
  return ms;
}

/** The key paths of the samples store's indexes (db.ts, version 4). */
const APP_INDEXES = {
  'by-task': 'taskId',
  'by-task-hash': ['taskId', 'textHash'],
  'by-cell': ['taskId', 'split', 'language', 'label'],
  'by-removed': ['taskId', 'deletedAt'],
  'by-removed-cell': ['taskId', 'split', 'language', 'label', 'deletedAt'],
};

function samples(taskId: string, n: number): NewSample[] {
  return Array.from({ length: n }, (_, i) => ({
    taskId,
    text: `Sample ${i}: a sentence of ordinary length about ${LABELS[i % LABELS.length]}, written for the benchmark number ${i * 7919}.`,
    label: LABELS[i % LABELS.length] as string,
    language: LANGUAGES[Math.floor(i / LABELS.length) % LANGUAGES.length] as string,
    split: 'train',
    source: 'synthetic',
  }));
}

/** The benchmark's task: five labels in two languages. */
function benchTask(db: Database) {
  return createTask(db, {
    name: 'Bench',
    description: '',
    languages: LANGUAGES.map((code) => ({ code, name: code })),
    labels: LABELS.map((l) => ({ name: l, description: '' })),
  });
}

export async function storageRun(n: number): Promise<StorageRun> {
  const name = `polyclass-bench-${Date.now()}-${Math.random()}`;
  const db = await openDatabase({}, name);
  try {
    const task = await benchTask(db);
    const input = samples(task.id, n);
    let t = performance.now();
    const { added } = await addSamples(db, input);
    const writeMs = performance.now() - t;
    if (added.length !== n) throw new Error(`stored ${added.length} of ${n}`);
    const floorMs = await plainAdd(added, {});
    const floorIndexedMs = await plainAdd(added, APP_INDEXES);
    t = performance.now();
    const all = await listSamples(db, task.id);
    const readMs = performance.now() - t;
    t = performance.now();
    const cell = await listSamples(db, task.id, { label: 'sports', language: 'sw' });
    const queryMs = performance.now() - t;
    if (all.length !== n) throw new Error('read back fewer');

    // The same work on a Map.
    t = performance.now();
    const memory = new Map<string, Sample>();
    const hashes = new Set<string>();
    input.forEach((s, i) => {
      const hash = textHash(s.text);
      if (hashes.has(hash)) return;
      hashes.add(hash);
      const id = String(i).padStart(8, '0');
      memory.set(id, { ...s, id, jobId: null, flags: [], textHash: hash, createdAt: i, updatedAt: i, deletedAt: null });
    });
    const memoryWriteMs = performance.now() - t;
    t = performance.now();
    const list = [...memory.values()].filter((s) => s.deletedAt === null).sort((a, b) => a.createdAt - b.createdAt);
    const memoryReadMs = performance.now() - t;
    t = performance.now();
    const memCell = list.filter((s) => s.label === 'sports' && s.language === 'sw');
    const memoryQueryMs = performance.now() - t;
    if (memCell.length !== cell.length) throw new Error('cell sizes differ');

    t = performance.now();
    const snapshot = await deleteTask(db, task.id);
    const deleteMs = performance.now() - t;
    t = performance.now();
    await restoreTask(db, snapshot);
    const undoMs = performance.now() - t;
    if ((await listSamples(db, task.id)).length !== n) throw new Error('undo lost samples');
    t = performance.now();
    const kept = [...memory.values()];
    for (const s of kept) if (s.taskId === task.id) memory.delete(s.id);
    const memoryDeleteMs = performance.now() - t;
    t = performance.now();
    for (const s of kept) memory.set(s.id, s);
    const memoryUndoMs = performance.now() - t;
    return {
      writeMs,
      readMs,
      queryMs,
      memoryWriteMs,
      memoryReadMs,
      memoryQueryMs,
      deleteMs,
      undoMs,
      memoryDeleteMs,
      memoryUndoMs,
      cell: cell.length,
      floorMs,
      floorIndexedMs,
    };
  } finally {
    db.close();
    indexedDB.deleteDatabase(name);
  }
}

/** Deleting a large task as the Tasks view does (Undo shown once it returns; the target is under 5 s), its Undo, and the background purge of its samples (absolute times). */
export interface LargeRun {
  deleteMs: number;
  undoMs: number;
  purgeMs: number;
  /** The Dataset view's reads on the large task (one run each). */
  countsMs: number;
  /** The same counts from the indexes alone, as before decision 024 (each cell's `by-cell` entries less its removed ones). */
  countsByIndexMs: number;
  firstPageMs: number;
  /** The 100 rows after the first 50,000 (the token of the page before them given). */
  deepPageMs: number;
  /** A text search counted: every sample read, 5,000 per transaction. */
  searchCountMs: number;
  searchMatches: number;
  /** What the Dataset view read on every change before pages: every sample, and every removed one. */
  readAllMs: number;
}

/** Counts per cell from the indexes alone, one cell per transaction: `countTask` before decision 024. */
async function countFromIndexes(db: Database, taskId: string): Promise<number> {
  const cells: IDBValidKey[] = [];
  let cursor = await db.transaction('samples').store.index('by-cell').openKeyCursor(cellRange(taskId), 'nextunique');
  while (cursor) {
    cells.push(cursor.key);
    cursor = await cursor.continue();
  }
  let live = 0;
  for (const cell of cells) {
    const tx = db.transaction('samples');
    const all = await tx.store.index('by-cell').count(IDBKeyRange.only(cell));
    const gone = await tx.store
      .index('by-removed-cell')
      .count(IDBKeyRange.bound(cell, [...(cell as unknown[]), []] as IDBValidKey));
    live += all - gone;
  }
  return live;
}

/** One run of the Dataset view's reads, through the repository as the view calls it. */
async function datasetReads(db: Database, taskId: string, n: number) {
  let t = performance.now();
  const { counts } = await countTask(db, taskId);
  const countsMs = performance.now() - t;
  const total = Object.values(counts).reduce(
    (a, byLang) =>
      a + Object.values(byLang).reduce((b, byLabel) => b + Object.values(byLabel).reduce((x, y) => x + y, 0), 0),
    0,
  );
  if (total !== n) throw new Error(`counted ${total} of ${n}`);
  t = performance.now();
  const byIndex = await countFromIndexes(db, taskId);
  const countsByIndexMs = performance.now() - t;
  if (byIndex !== n) throw new Error(`the indexes counted ${byIndex} of ${n}`);
  t = performance.now();
  const first = await pageSamples(db, taskId, {}, null, 100);
  const firstPageMs = performance.now() - t;
  if (first.rows.length !== 100) throw new Error('short first page');
  // Walk to row 50,000 (not timed), then time the next page from there.
  let token: PageToken | null = null;
  for (let read = 0; read < 50_000; read += 5000) token = (await pageSamples(db, taskId, {}, token, 5000, 5000)).next;
  t = performance.now();
  const deep = await pageSamples(db, taskId, {}, token, 100);
  const deepPageMs = performance.now() - t;
  if (!deep.rows[0]?.text.startsWith('Sample 50000:')) throw new Error(`deep page starts at ${deep.rows[0]?.text}`);
  const query: SampleQuery = { search: 'number 7919' };
  t = performance.now();
  let searchMatches = 0;
  token = null;
  do {
    const page = await pageSamples(db, taskId, query, token, Number.POSITIVE_INFINITY, 5000);
    searchMatches += page.rows.length;
    token = page.next;
  } while (token);
  const searchCountMs = performance.now() - t;
  t = performance.now();
  await Promise.all([listSamples(db, taskId), listSamples(db, taskId, { deleted: true })]);
  const readAllMs = performance.now() - t;
  return { countsMs, countsByIndexMs, firstPageMs, deepPageMs, searchCountMs, searchMatches, readAllMs };
}

export async function largeDeleteRun(n: number): Promise<LargeRun> {
  const name = `polyclass-bench-delete-${Date.now()}-${Math.random()}`;
  const db = await openDatabase({}, name);
  try {
    const task = await benchTask(db);
    const input = samples(task.id, n);
    for (let i = 0; i < n; i += 10_000) await addSamples(db, input.slice(i, i + 10_000), { skipDuplicates: false });
    const reads = await datasetReads(db, task.id, n);
    let t = performance.now();
    const snapshot = await deleteTask(db, task.id);
    const deleteMs = performance.now() - t;
    if ((await db.countFromIndex('samples', 'by-task', task.id)) !== n) throw new Error('the task lost samples');
    t = performance.now();
    await restoreTask(db, snapshot);
    const undoMs = performance.now() - t;
    if ((await db.countFromIndex('samples', 'by-task', task.id)) !== n) throw new Error('undo lost samples');
    await deleteTask(db, task.id);
    t = performance.now();
    await purgeDetachedSamples(db, task.id);
    const purgeMs = performance.now() - t;
    return { deleteMs, undoMs, purgeMs, ...reads };
  } finally {
    db.close();
    indexedDB.deleteDatabase(name);
  }
}

/** One size of the storage scale curves: an import, a write, and the Dataset view's reads. */
export interface ScalePoint {
  samples: number;
  /** `importFile` (the import worker's code, run here in the page) of a CSV of `samples` rows into an empty task. */
  importMs: number;
  /** `addSamples` of the same number of samples into an empty task, 10,000 per call, duplicate check on. */
  writeMs: number;
  /** The Dataset view's first page of 100 rows, and its counts (kept, and from the indexes alone as before). */
  firstPageMs: number;
  countsMs: number;
  countsByIndexMs: number;
}

/** The CSV a user would import: text, label, language, split; every text distinct. */
function csvOf(n: number): Blob {
  const lines = ['text,label,language,split'];
  for (const s of samples('x', n)) lines.push(`"${s.text}",${s.label},${s.language},train`);
  return new Blob([lines.join('\n')], { type: 'text/csv' });
}

/** The storage scale curves at one size, each step in a fresh database. */
export async function scaleRun(n: number): Promise<ScalePoint> {
  const { importFile, previewFile } = await import('../../src/lib/jobs/import-job');
  const fresh = async () => {
    const name = `polyclass-bench-scale-${Date.now()}-${Math.random()}`;
    const db = await openDatabase({}, name);
    return { db, name, task: await benchTask(db) };
  };
  const drop = ({ db, name }: { db: Database; name: string }) => {
    db.close();
    indexedDB.deleteDatabase(name);
  };

  const forImport = await fresh();
  let importMs: number;
  try {
    const file = csvOf(n);
    const preview = await previewFile(file, 'rows.csv', forImport.task);
    const t = performance.now();
    const result = await importFile(forImport.db, file, 'rows.csv', forImport.task.id, preview.mapping);
    importMs = performance.now() - t;
    if (result.tally.imported !== n) throw new Error(`imported ${result.tally.imported} of ${n}`);
  } finally {
    drop(forImport);
  }

  const forWrite = await fresh();
  try {
    const { db, task } = forWrite;
    const input = samples(task.id, n);
    let t = performance.now();
    for (let i = 0; i < n; i += 10_000) await addSamples(db, input.slice(i, i + 10_000));
    const writeMs = performance.now() - t;
    t = performance.now();
    const first = await pageSamples(db, task.id, {}, null, 100);
    const firstPageMs = performance.now() - t;
    if (first.rows.length !== Math.min(100, n)) throw new Error('short first page');
    t = performance.now();
    await countTask(db, task.id);
    const countsMs = performance.now() - t;
    t = performance.now();
    const byIndex = await countFromIndexes(db, task.id);
    const countsByIndexMs = performance.now() - t;
    if (byIndex !== n) throw new Error(`the indexes counted ${byIndex} of ${n}`);
    return { samples: n, importMs, writeMs, firstPageMs, countsMs, countsByIndexMs };
  } finally {
    drop(forWrite);
  }
}
