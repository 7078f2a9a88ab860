/**
 * @file Runs in the page (imported through Vite): figure 4, the app's storage code on the real
 * IndexedDB beside a plain in-memory store doing the same work (duplicate check on the text
 * hash, list the task oldest first, one language × label cell).
 */
import type { NewSample, Sample } from '../../src/lib/domain/sample';
import { textHash } from '../../src/lib/domain/text-hash';
import { openDatabase, type Database } from '../../src/lib/storage/db';
import { addSamples, listSamples } from '../../src/lib/storage/samples-repo';
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
}

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
    };
  } finally {
    db.close();
    indexedDB.deleteDatabase(name);
  }
}

/** Deleting a large task as the Tasks view does (Undo shown once it returns; the target is under 5 s), its Undo, and the background purge of its samples (absolute times). */
export async function largeDeleteRun(n: number): Promise<{ deleteMs: number; undoMs: number; purgeMs: number }> {
  const name = `polyclass-bench-delete-${Date.now()}-${Math.random()}`;
  const db = await openDatabase({}, name);
  try {
    const task = await benchTask(db);
    const input = samples(task.id, n);
    for (let i = 0; i < n; i += 10_000) await addSamples(db, input.slice(i, i + 10_000), { skipDuplicates: false });
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
    return { deleteMs, undoMs, purgeMs };
  } finally {
    db.close();
    indexedDB.deleteDatabase(name);
  }
}
