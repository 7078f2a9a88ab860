import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { storedSample } from '../../../tests/fixtures/stored-sample';
import type { JobRecord } from '../domain/records';
import type { Sample } from '../domain/sample';
import { readBundle, exportBundle, writeBundle } from '../files/bundle';
import { openDatabase, STORES, type Database } from './db';
import { commitJobStep } from './jobs-store';
import { readStats, sameStats, statsOf, sumStats } from './sample-stats';
import {
  addSamples,
  countTask,
  labelFromPool,
  returnToPool,
  setCheckFlags,
  setSamplesDeleted,
  unskipPool,
  updateSample,
  withFlag,
} from './samples-repo';
import { replaceSeeds } from './seeds';
import { createTask, deleteTask, duplicateTask, purgeDetachedSamples, restoreTask, updateTask } from './tasks-repo';

let n = 0;
const freshName = () => `stats-${n++}-${Math.random()}`;

/** Every task's kept counts equal a count of its samples. */
async function expectCountsTrue(db: Database): Promise<void> {
  const samples = await db.getAll(STORES.samples);
  const stats = await db.getAll(STORES.sampleStats);
  expect(sameStats(stats, statsOf(samples))).toBe(true);
}

const job = (taskId: string): JobRecord =>
  ({
    id: 'job-1',
    taskId,
    kind: 'generate',
    status: 'running',
    progress: { done: 0, total: 4 },
    checkpoint: { config: {}, calls: 0, callsByCell: {}, fruitless: {}, completionTokens: 0, activeMs: 0 },
    error: null,
    createdAt: 1,
    updatedAt: 1,
  }) as unknown as JobRecord;

describe('kept sample counts', () => {
  it('follow every repository write of samples', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, NEWS_DRAFT);
    const { added } = await addSamples(db, [
      { taskId: task.id, text: 'Timu ilishinda', label: 'sports', language: 'sw', split: 'train', source: 'synthetic' },
      { taskId: task.id, text: 'Rais alihutubia', label: 'politics', language: 'sw', split: 'train', source: 'human' },
      { taskId: task.id, text: 'Hospitali mpya', label: 'health', language: 'sw', split: 'test', source: 'human' },
      {
        taskId: task.id,
        text: 'Kwanza',
        label: '',
        language: 'sw',
        split: 'pool',
        source: 'human',
        flags: ['skipped'],
      },
      { taskId: task.id, text: 'Pili', label: '', language: 'ha', split: 'pool', source: 'human' },
      {
        taskId: task.id,
        text: 'Kataliwa',
        label: 'sports',
        language: 'ha',
        split: 'train',
        source: 'synthetic',
        jobId: 'job-0',
        flags: ['rejected'],
        deletedAt: 5,
      },
    ]);
    await expectCountsTrue(db);
    const [sports, politics, , skipped, pool] = added as Sample[];
    if (!sports || !politics || !skipped || !pool) throw new Error('setup');

    await updateSample(db, sports.id, { label: 'health', language: 'ha' });
    await updateSample(db, politics.id, withFlag('suspect', true));
    await expectCountsTrue(db);
    await setSamplesDeleted(db, [sports.id, politics.id], true);
    await expectCountsTrue(db);
    await setSamplesDeleted(db, [sports.id], false);
    await expectCountsTrue(db);
    await setCheckFlags(db, task.id, new Map([['mislabelled', new Set([sports.id])]]));
    await setCheckFlags(db, task.id, new Map([['mislabelled', new Set([politics.id])]]));
    await expectCountsTrue(db);
    await labelFromPool(db, pool.id, 'sports');
    await expectCountsTrue(db);
    await returnToPool(db, pool.id);
    await labelFromPool(db, pool.id, 'politics');
    await unskipPool(db, task.id);
    await expectCountsTrue(db);
    const generated: Sample = {
      ...sports,
      id: 'gen-1',
      text: 'Mechi',
      textHash: 'mechi',
      jobId: 'job-1',
      label: 'sports',
      deletedAt: null,
      flags: [],
    };
    await commitJobStep(db, job(task.id), [
      generated,
      { ...generated, id: 'gen-2', deletedAt: 9, flags: ['rejected'] },
    ]);
    await replaceSeeds(db, task.id, [{ text: 'Mbegu', label: 'sports', language: 'sw' }]);
    await replaceSeeds(db, task.id, [{ text: 'Mbegu nyingine', label: 'health', language: 'ha' }]);
    await expectCountsTrue(db);
    await updateTask(
      db,
      task.id,
      { ...NEWS_DRAFT, labels: [...NEWS_DRAFT.labels.slice(1), { name: 'sport', description: '' }] },
      {
        sports: 'sport',
      },
    );
    await expectCountsTrue(db);

    // What the views read: live and removed, by split, source, flag, job and labelling.
    const stats = await readStats(db, task.id);
    expect(sumStats(stats, (s) => s.split === 'pool')).toMatchObject({ live: 1, flags: {} });
    expect(sumStats(stats, (s) => s.split === 'train').fromPool).toBe(1);
    expect(sumStats(stats).generated).toBe(1);
    expect(sumStats(stats).removedFlags).toEqual({ rejected: 2, suspect: 1, mislabelled: 1 });
    expect((await countTask(db, task.id)).removed).toBe(3);

    const copy = await duplicateTask(db, task.id);
    await expectCountsTrue(db);
    expect(
      sameStats(
        (await readStats(db, copy.id)).map((s) => ({ ...s, taskId: task.id })),
        stats,
      ),
    ).toBe(true);

    // A bundle merged over the same records, and one that replaces everything.
    const bundle = readBundle(await exportBundle(db, [task.id]));
    await writeBundle(db, bundle, 'merge');
    await expectCountsTrue(db);
    await writeBundle(db, bundle, 'replace');
    await expectCountsTrue(db);
    expect(await readStats(db, copy.id)).toEqual([]);

    // Deleted, purged part-way, brought back: the counts are of what is left; purged: none.
    const snapshot = await deleteTask(db, task.id);
    const purging = purgeDetachedSamples(db, task.id, 2);
    await restoreTask(db, snapshot);
    const purged = await purging;
    expect(purged).toBeGreaterThan(0);
    expect(await db.countFromIndex(STORES.samples, 'by-task', task.id)).toBeGreaterThan(0);
    await expectCountsTrue(db);
    await deleteTask(db, task.id);
    await purgeDetachedSamples(db, task.id, 3);
    expect(await readStats(db, task.id)).toEqual([]);
    await expectCountsTrue(db);
  });

  it('are counted for the samples a version 4 database already holds', async () => {
    const name = freshName();
    const old = await openDatabase({}, name, 4);
    const task = await createTask(old, NEWS_DRAFT);
    const sample = (i: number, over: Partial<Sample> = {}): Sample =>
      storedSample(i, { taskId: task.id, label: i % 2 ? 'sports' : 'health', source: 'human', ...over });
    const tx = old.transaction(STORES.samples, 'readwrite');
    for (let i = 0; i < 40; i++)
      await tx.store.add(sample(i, i % 10 === 0 ? { deletedAt: 3, flags: ['rejected'], jobId: 'j' } : {}));
    await tx.done;
    old.close();

    const db = await openDatabase({}, name);
    await expectCountsTrue(db);
    expect(await countTask(db, task.id)).toEqual({ counts: { train: { sw: { sports: 20, health: 16 } } }, removed: 4 });
  });
});
