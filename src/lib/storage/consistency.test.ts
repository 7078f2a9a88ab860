import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CompareRun } from '../domain/evaluation';
import type { JobRecord } from '../domain/records';
import { NEWS_CONFIG, NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { checkDatabase, repairDatabase } from './consistency';
import { openDatabase, STORES } from './db';
import { readStats, sameStats, statsOf } from './sample-stats';
import { addSamples, countTask, listSamples } from './samples-repo';
import { createTask } from './tasks-repo';

let n = 0;
const freshName = () => `consistency-test-${n++}`;

const draft = NEWS_DRAFT;

const job = (taskId: string, id: string, status: JobRecord['status']): JobRecord => ({
  id,
  taskId,
  kind: 'generate',
  status,
  progress: { done: 0, total: 4 },
  checkpoint: { config: NEWS_CONFIG, calls: 0, callsByCell: {}, fruitless: {}, completionTokens: 0, activeMs: 0 },
  error: null,
  createdAt: 1,
  updatedAt: 1,
});

async function setup() {
  const db = await openDatabase({}, freshName());
  const task = await createTask(db, draft);
  const { added } = await addSamples(db, [
    { taskId: task.id, text: 'Timu ilishinda', label: 'sports', language: 'sw', split: 'train', source: 'synthetic' },
    { taskId: task.id, text: 'Rais alihutubia', label: 'politics', language: 'sw', split: 'train', source: 'human' },
  ]);
  return { db, task, added };
}

describe('database consistency', () => {
  it('finds nothing wrong in a database written through the repositories', async () => {
    const { db } = await setup();
    await db.put(STORES.embeddings, { encoderId: 'e', textHash: 'h1', vector: new Float32Array([0.1, 0.2]) });
    const report = await checkDatabase(db);
    expect(report.findings).toEqual([]);
    expect(report.read).toMatchObject({ tasks: 1, samples: 2, embeddings: 1 });
  });

  it('finds what a crash or a bug leaves behind, and repairs what is safe to repair', async () => {
    const { db, task, added } = await setup();
    const [first, second] = added;
    if (!first || !second) throw new Error('setup');
    // A duplicate written around the check, a stale hash, an orphan, a label the task lost…
    await db.put(STORES.samples, { ...first, id: `${first.id}-copy` });
    await db.put(STORES.samples, { ...second, textHash: 'stale' });
    await db.put(STORES.samples, { ...first, id: 'orphan', taskId: 'gone' });
    await db.put(STORES.samples, { ...first, id: 'zz-unknown', text: 'Nyingine', label: 'weather' });
    await db.put(STORES.samples, { ...first, id: 'zz-broken', text: 'Kuvunjika', split: 'nowhere' } as never);
    await db.put(STORES.jobs, job(task.id, 'left-running', 'running'));
    await db.put(STORES.jobs, job('gone', 'orphan-job', 'paused'));
    const run = {
      id: 'run',
      taskId: task.id,
      createdAt: 1,
      kind: 'compare',
      seed: 1,
      labels: ['sports', 'politics'],
      items: [
        { text: 'a', label: 'sports', language: 'sw' },
        { text: 'b', label: 'politics', language: 'sw' },
      ],
      evaluators: [{ key: 'k', done: 2, predictions: ['sports'], status: 'done', scores: {} }],
      templateVersion: 1,
      finishedAt: 5,
    } as unknown as CompareRun;
    await db.put(STORES.evalRuns, run);
    await db.put(STORES.embeddings, { encoderId: 'e', textHash: 'h1', vector: new Float32Array([0.1, 0.2]) });
    await db.put(STORES.embeddings, { encoderId: 'e', textHash: 'h2', vector: new Float32Array([0.1, 0.2]) });
    await db.put(STORES.embeddings, { encoderId: 'e', textHash: 'h3', vector: new Float32Array([NaN, 0.2]) });
    await db.put(STORES.embeddings, { encoderId: 'e', textHash: 'h4', vector: new Float32Array([0.3]) });

    const found = Object.fromEntries((await checkDatabase(db)).findings.map((f) => [f.kind, f]));
    expect(Object.keys(found).sort()).toEqual(
      [
        'bad-embeddings',
        'duplicate-texts',
        'evaluation-progress',
        'interrupted-jobs',
        'invalid-samples',
        'orphan-records',
        'orphan-samples',
        'stale-counts',
        'stale-hash',
        'unknown-label',
      ].sort(),
    );
    expect(found['bad-embeddings']?.count).toBe(2);
    expect(found['duplicate-texts']?.text).toBe(
      '1 text appears twice in the same task. Repair removes the later copies (restorable in Dataset).',
    );
    expect(found['unknown-label']?.repairable).toBe(false);
    // Written around the repositories, the samples of both tasks are not in the kept counts.
    expect(found['stale-counts']?.count).toBe(2);

    const after = await repairDatabase(db);
    // What needs the user's decision stays; the rest is fixed.
    expect(after.findings.map((f) => f.kind).sort()).toEqual(['invalid-samples', 'unknown-label']);
    const live = await listSamples(db, task.id);
    expect(live.map((s) => s.text).sort()).toEqual(['Kuvunjika', 'Nyingine', 'Rais alihutubia', 'Timu ilishinda']);
    // The later copy is soft-deleted (restorable), the first one kept.
    const copy = await db.get(STORES.samples, `${first.id}-copy`);
    expect(copy?.deletedAt).not.toBeNull();
    expect(copy?.flags).toContain('duplicate');
    expect((await db.get(STORES.samples, first.id))?.deletedAt).toBeNull();
    expect(await db.get(STORES.samples, 'orphan')).toBeUndefined();
    expect((await db.get(STORES.jobs, 'left-running'))?.status).toBe('paused');
    expect(await db.get(STORES.jobs, 'orphan-job')).toBeUndefined();
    const repairedRun = (await db.get(STORES.evalRuns, 'run')) as CompareRun;
    expect(repairedRun.evaluators[0]).toMatchObject({ done: 1, status: 'pending', scores: null });
    expect(repairedRun.finishedAt).toBeNull();
    expect((await db.getAllKeys(STORES.embeddings)).map((k) => k[1]).sort()).toEqual(['h1', 'h2']);
    // The counts are made again: the orphan's task counts nothing, this task counts what it holds.
    expect(await readStats(db, 'gone')).toEqual([]);
    expect(
      sameStats(await readStats(db, task.id), statsOf(await db.getAllFromIndex(STORES.samples, 'by-task', task.id))),
    ).toBe(true);
    expect((await countTask(db, task.id)).removed).toBe(1);
  });
});
