import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CompareRun } from '../domain/evaluation';
import { openDatabase, STORES } from '../storage/db';
import { createTask } from '../storage/tasks-repo';
import { RunCache } from './run-cache';

const run = (id: string, taskId: string, finishedAt: number | null): CompareRun => ({
  id,
  taskId,
  createdAt: 1,
  kind: 'compare',
  seed: 1,
  labels: ['a'],
  items: [],
  evaluators: [],
  templateVersion: 1,
  finishedAt,
});

/** A fresh database with one task. */
async function withTask() {
  const db = await openDatabase({}, `run-cache-${Math.random()}`);
  const task = await createTask(db, {
    name: 'T',
    description: '',
    languages: [{ code: 'sw', name: 'Swahili' }],
    labels: [{ name: 'a', description: '' }],
  });
  return { db, task };
}

describe('RunCache', () => {
  it('reads every run once, then only those a change names, added or removed', async () => {
    const { db, task } = await withTask();
    await db.put(STORES.evalRuns, run('x', task.id, null));
    await db.put(STORES.evalRuns, run('y', task.id, null));
    const cache = new RunCache();
    const finished = async () =>
      Object.fromEntries((await cache.read(db, task.id)).map((r) => [r.id, (r as CompareRun).finishedAt]));
    expect(await finished()).toEqual({ x: null, y: null });

    // Both change in the database; only x is named: y is not read again.
    await db.put(STORES.evalRuns, run('x', task.id, 5));
    await db.put(STORES.evalRuns, run('y', task.id, 6));
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 1, ids: ['x'] });
    expect(await finished()).toEqual({ x: 5, y: null });
    // Changes of other stores read nothing again.
    cache.changed({ store: 'samples', taskId: task.id, kind: 'put', count: 1 });
    expect(await finished()).toEqual({ x: 5, y: null });
    // A change naming no run (a bundle import): every run is read again.
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 2 });
    expect(await finished()).toEqual({ x: 5, y: 6 });

    // Added and removed runs are found from the index, named or not.
    await db.put(STORES.evalRuns, run('z', task.id, 7));
    await db.delete(STORES.evalRuns, 'x');
    expect(await finished()).toEqual({ y: 6, z: 7 });
    expect(cache.size).toBe(2);
    db.close();
  });

  it('keeps reads in the order asked, so the last read holds the newest records', async () => {
    const { db, task } = await withTask();
    await db.put(STORES.evalRuns, run('x', task.id, 1));
    const cache = new RunCache();
    const first = cache.read(db, task.id);
    await db.put(STORES.evalRuns, run('x', task.id, 2));
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 1, ids: ['x'] });
    const second = cache.read(db, task.id);
    const [a, b] = await Promise.all([first, second]);
    expect((b[0] as CompareRun).finishedAt).toBe(2);
    expect([1, 2]).toContain((a[0] as CompareRun).finishedAt);
    db.close();
  });
});
