import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { AnswerSet, CompareRun, EvaluatorResult } from '../domain/evaluation';
import { openDatabase, STORES } from '../storage/db';
import { createTask } from '../storage/tasks-repo';
import { RunCache, type TaskRuns } from './run-cache';

const evaluator = { key: 'e', status: 'done' } as EvaluatorResult;

const run = (id: string, taskId: string, finishedAt: number | null, createdAt = 1, evaluators = 1): CompareRun => ({
  id,
  taskId,
  createdAt,
  kind: 'compare',
  seed: 1,
  labels: ['a'],
  items: [],
  evaluators: Array.from({ length: evaluators }, () => evaluator),
  templateVersion: 1,
  finishedAt,
});

const answers = (id: string, taskId: string): AnswerSet => ({
  id,
  taskId,
  createdAt: 2,
  kind: 'answers',
  name: 'GPT-4',
  fileName: 'gpt4.tsv',
  rows: [{ id: null, text: 'x', answer: 'a' }],
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

/** What the view shows of a read: the listing, the run shown whole (with its finish time), the others. */
const seen = (r: TaskRuns) => ({
  compare: r.compare.map((l) => `${l.id}:${l.createdAt}:${l.evaluators}:${l.finished ? 'done' : 'open'}`),
  shown: r.shown && `${r.shown.id}:${r.shown.finishedAt}`,
  others: r.others.map((o) => o.id),
});

describe('RunCache', () => {
  it('lists comparison runs from their index keys and reads only the one shown whole', async () => {
    const { db, task } = await withTask();
    await db.put(STORES.evalRuns, run('a', task.id, 10, 100, 3));
    await db.put(STORES.evalRuns, run('b', task.id, null, 300, 2));
    await db.put(STORES.evalRuns, run('c', task.id, 20, 200, 1));
    await db.put(STORES.evalRuns, answers('g', task.id));
    const cache = new RunCache();
    // Newest first; the newest shown when none is asked for; imported answers always whole.
    expect(seen(await cache.read(db, task.id))).toEqual({
      compare: ['b:300:2:open', 'c:200:1:done', 'a:100:3:done'],
      shown: 'b:null',
      others: ['g'],
    });
    expect(cache.size).toBe(2);
    // Another run asked for: it is read, the one shown before is let go.
    expect(seen(await cache.read(db, task.id, 'a')).shown).toBe('a:10');
    expect(cache.size).toBe(2);
    // One asked for that is gone: the newest.
    expect(seen(await cache.read(db, task.id, 'zz')).shown).toBe('b:null');
    db.close();
  });

  it('reads again only the records a change names, added or removed', async () => {
    const { db, task } = await withTask();
    await db.put(STORES.evalRuns, run('x', task.id, null, 2));
    await db.put(STORES.evalRuns, answers('y', task.id));
    const cache = new RunCache();
    expect(seen(await cache.read(db, task.id)).shown).toBe('x:null');

    // Both change in the database; only the answers are named: the run is not read again,
    // though its listing (from the index) is new.
    await db.put(STORES.evalRuns, run('x', task.id, 5, 2));
    await db.put(STORES.evalRuns, { ...answers('y', task.id), name: 'GPT-3.5' });
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 1, ids: ['y'] });
    let read = await cache.read(db, task.id);
    expect(seen(read)).toEqual({ compare: ['x:2:1:done'], shown: 'x:null', others: ['y'] });
    expect((read.others[0] as AnswerSet).name).toBe('GPT-3.5');
    // Changes of other stores read nothing again.
    cache.changed({ store: 'samples', taskId: task.id, kind: 'put', count: 1 });
    expect(seen(await cache.read(db, task.id)).shown).toBe('x:null');
    // Named, it is read again; a change naming no record (a bundle import) reads all again.
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 1, ids: ['x'] });
    expect(seen(await cache.read(db, task.id)).shown).toBe('x:5');
    await db.put(STORES.evalRuns, run('x', task.id, 6, 2));
    cache.changed({ store: 'evalRuns', taskId: task.id, kind: 'put', count: 2 });
    expect(seen(await cache.read(db, task.id)).shown).toBe('x:6');

    // Added and removed records are found from the indexes, named or not.
    await db.put(STORES.evalRuns, run('z', task.id, 7, 3));
    await db.delete(STORES.evalRuns, 'y');
    read = await cache.read(db, task.id);
    expect(seen(read)).toEqual({ compare: ['z:3:1:done', 'x:2:1:done'], shown: 'z:7', others: [] });
    expect(cache.size).toBe(1);
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
    expect(b.shown?.finishedAt).toBe(2);
    expect([1, 2]).toContain(a.shown?.finishedAt);
    db.close();
  });
});
