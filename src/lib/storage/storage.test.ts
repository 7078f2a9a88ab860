import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { readRejection } from '../domain/filters';
import type { Sample } from '../domain/sample';
import type { Database } from './db';
import { describe, expect, it } from 'vitest';
import type { TaskDraft } from '../domain/task';
import { subscribeChanges, type Change } from './change-feed';
import { APP_SETTINGS_KEY, DB_VERSION, openDatabase, STORES } from './db';
import { isQuotaError } from '../domain/quota';
import {
  addSamples,
  countTask,
  listSamples,
  listTaskHashes,
  pageSamples,
  setSamplesDeleted,
  updateSample,
  type PageToken,
  type SampleCounts,
  type SamplePage,
  type SampleQuery,
} from './samples-repo';
import { loadSettings } from './settings-repo';
import { classifiersRepo } from './task-records-repo';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';
import {
  createTask,
  deleteTask,
  detachedTaskIds,
  duplicateTask,
  keyRuns,
  listTasks,
  purgeDetachedSamples,
  restoreTask,
  updateTask,
} from './tasks-repo';
import { describeRejection } from '../ui/reasons';
import { guardQuota } from './quota-guard';
import { samplesOfJob } from './jobs-store';

let n = 0;
const freshName = () => `storage-test-${n++}`;

const draft: TaskDraft = {
  name: 'News topics',
  description: 'Topic of a news sentence',
  languages: [
    { code: 'sw', name: 'Swahili' },
    { code: 'ha', name: 'Hausa' },
  ],
  labels: [
    { name: 'sports', description: 'Games and athletes' },
    { name: 'politics', description: 'Government and elections' },
    { name: 'health', description: 'Medicine and wellbeing' },
  ],
};

const sample = (taskId: string, text: string, label = 'sports', language = 'sw') =>
  ({ taskId, text, label, language, split: 'test', source: 'human' }) as const;

describe('database upgrades', () => {
  it('upgrades a version 2 database to rejection codes, keeping every sample', async () => {
    // The samples of a bundle exported by version 2's app: 18 rejected with that day's sentences.
    const zip = unzipSync(
      new Uint8Array(
        readFileSync(new URL('../../../tests/fixtures/bundles/before-typed-records.polyclass.zip', import.meta.url)),
      ),
    );
    const old = strFromU8(zip['samples.jsonl'] as Uint8Array)
      .split('\n')
      .map((line) => JSON.parse(line) as Sample);
    expect(old.filter((x) => x.meta?.rejected?.includes(':'))).toHaveLength(18);
    const name = freshName();
    const v2 = await openDatabase({}, name, 2);
    for (const x of old) await v2.put(STORES.samples, x);
    v2.close();
    const db = await openDatabase({}, name);
    const now = await db.getAll(STORES.samples);
    expect(now).toHaveLength(old.length);
    const byId = new Map(now.map((x) => [x.id, x]));
    for (const before of old) {
      const after = byId.get(before.id) as Sample;
      const { meta: _a, ...restAfter } = after;
      const { meta: _b, ...restBefore } = before;
      expect(restAfter).toEqual(restBefore);
      if (!before.meta?.rejected) expect(after.meta).toEqual(before.meta);
      else {
        expect(after.meta?.rejected).toBe(before.meta.rejected.split(':')[0]);
        expect(after.meta?.generator).toBe(before.meta.generator);
      }
    }
    const short = now.find((x) => x.meta?.rejected === 'too-short') as Sample;
    expect(readRejection(short.meta, short.label)).toMatchObject({ reason: 'too-short', min: 3 });
    expect(describeRejection(readRejection(short.meta, short.label))).toMatch(
      /^too short: \d words?; at least 3 are needed$/,
    );
    db.close();
  });

  it('upgrades a version 1 database with settings in it, keeping them', async () => {
    const name = freshName();
    const v1 = await openDatabase({}, name, 1);
    await v1.put(
      STORES.settings,
      { modelSource: { kind: 'folder', location: 'models/' }, encoderDevice: 'wasm' } as never,
      APP_SETTINGS_KEY,
    );
    v1.close();
    const db = await openDatabase({}, name);
    expect(db.version).toBe(DB_VERSION);
    expect(await loadSettings(db)).toEqual({
      modelSource: { kind: 'folder', location: 'models/' },
      encoderDevice: 'wasm',
      airplaneMode: false,
      teachingMode: false,
      minConfidence: 0,
    });
    expect([...db.objectStoreNames].sort()).toEqual([
      'classifiers',
      'embeddings',
      'evalRuns',
      'jobs',
      'sampleStats',
      'samples',
      'settings',
      'tasks',
    ]);
    expect([...db.transaction(STORES.samples).store.indexNames].sort()).toEqual([
      'by-cell',
      'by-job',
      'by-removed',
      'by-removed-cell',
      'by-task',
      'by-task-hash',
    ]);
    db.close();
  });

  it('indexes a version 5 database’s written samples by their job, and no imported one', async () => {
    const name = freshName();
    const v5 = await openDatabase({}, name, 5);
    const task = await createTask(v5, draft);
    const { added: stored } = await addSamples(v5, [
      sample(task.id, 'imported one'),
      { ...sample(task.id, 'written by job a'), source: 'synthetic', jobId: 'job-a' },
      { ...sample(task.id, 'removed, written by job a'), source: 'synthetic', jobId: 'job-a', deletedAt: 5 },
      { ...sample(task.id, 'written by job b'), source: 'synthetic', jobId: 'job-b' },
    ]);
    v5.close();
    const db = await openDatabase({}, name);
    expect(db.version).toBe(DB_VERSION);
    const ofA = await samplesOfJob(db, task.id, 'job-a');
    expect(ofA.map((s) => s.text).sort()).toEqual(['removed, written by job a', 'written by job a']);
    expect(await samplesOfJob(db, task.id, 'job-b')).toEqual(stored.filter((s) => s.jobId === 'job-b'));
    expect(await samplesOfJob(db, 'another-task', 'job-a')).toEqual([]);
    // Imported samples (no job) write no entry in the index.
    expect(await db.countFromIndex(STORES.samples, 'by-job')).toBe(3);
    // A sample written after the upgrade is indexed as it is stored.
    await addSamples(db, [{ ...sample(task.id, 'written by job b later'), source: 'synthetic', jobId: 'job-b' }]);
    expect(await samplesOfJob(db, task.id, 'job-b')).toHaveLength(2);
    db.close();
  });

  it('lists a version 6 database’s comparison runs from index keys: when, how many evaluators, finished', async () => {
    const name = freshName();
    const v6 = await openDatabase({}, name, 6);
    const task = await createTask(v6, draft);
    const compare = (id: string, createdAt: number, evaluators: number, finishedAt: number | null) =>
      ({
        id,
        taskId: task.id,
        kind: 'compare',
        createdAt,
        evaluators: Array(evaluators).fill({}),
        finishedAt,
      }) as never;
    await v6.put(STORES.evalRuns, compare('run-a', 10, 3, 11));
    await v6.put(STORES.evalRuns, compare('run-b', 20, 2, null));
    await v6.put(STORES.evalRuns, { id: 'answers', taskId: task.id, kind: 'answers', createdAt: 5, rows: [] } as never);
    v6.close();
    const db = await openDatabase({}, name);
    const ofTask = IDBKeyRange.bound([task.id], [task.id, []]);
    const keys: unknown[] = [];
    let cursor = await db.transaction(STORES.evalRuns).store.index('by-task-compare').openKeyCursor(ofTask);
    while (cursor) {
      keys.push([cursor.primaryKey, cursor.key]);
      cursor = await cursor.continue();
    }
    // Imported answers (no evaluators) are not comparison runs.
    expect(keys).toEqual([
      ['run-a', [task.id, 10, 3]],
      ['run-b', [task.id, 20, 2]],
    ]);
    expect(await db.getAllKeysFromIndex(STORES.evalRuns, 'by-task-finished', ofTask)).toEqual(['run-a']);
    db.close();
  });
});

describe('tasks', () => {
  it('creates, lists most recent first, and trims what the editor gave', async () => {
    const db = await openDatabase({}, freshName());
    const a = await createTask(db, { ...draft, name: '  First  ' }, 1000);
    const b = await createTask(db, draft, 2000);
    expect(a.name).toBe('First');
    expect((await listTasks(db)).map((t) => t.id)).toEqual([b.id, a.id]);
    db.close();
  });

  it('renames a label in the task and in its samples at once', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    await addSamples(db, [
      sample(task.id, 'Simba walishinda mechi'),
      sample(task.id, 'Rais alihutubia bunge', 'politics'),
    ]);
    const labels = draft.labels.map((l) => (l.name === 'sports' ? { ...l, name: 'sport' } : l));
    await updateTask(db, task.id, { ...draft, labels }, { sports: 'sport' });
    expect((await listSamples(db, task.id)).map((s) => s.label).sort()).toEqual(['politics', 'sport']);
    db.close();
  });

  it('deletes a task with its records and detaches its samples, and undo brings all back', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    await addSamples(db, [sample(task.id, 'one'), sample(task.id, 'two')]);
    await classifiersRepo.put(db, classifierRecordFor(task.id, ['sports', 'politics']));
    const snapshot = await deleteTask(db, task.id);
    expect(await listTasks(db)).toEqual([]);
    // The samples wait, detached, until Undo is no longer offered and they are purged.
    expect(await detachedTaskIds(db)).toEqual([task.id]);
    expect(await classifiersRepo.listByTask(db, task.id)).toEqual([]);
    await restoreTask(db, snapshot);
    expect((await listTasks(db)).map((t) => t.id)).toEqual([task.id]);
    expect(await listSamples(db, task.id)).toHaveLength(2);
    expect(await classifiersRepo.listByTask(db, task.id)).toHaveLength(1);
    db.close();
  });

  it('deletes a task whose samples are interleaved with another task’s, leaving the other’s whole', async () => {
    const db = await openDatabase({}, freshName());
    const a = await createTask(db, draft);
    const b = await createTask(db, { ...draft, name: 'Other' });
    // One call, alternating tasks: their ids interleave.
    await addSamples(
      db,
      Array.from({ length: 12 }, (_, i) => sample(i % 3 === 0 ? b.id : a.id, `text ${i}`)),
    );
    // Deleting detaches a's samples; Undo brings them back; purging (batches of 3 here) deletes them.
    const snapshot = await deleteTask(db, a.id);
    expect(await detachedTaskIds(db)).toEqual([a.id]);
    await restoreTask(db, snapshot);
    expect(await listSamples(db, a.id)).toHaveLength(8);
    expect(await detachedTaskIds(db)).toEqual([]);
    expect(await purgeDetachedSamples(db, a.id)).toBe(0);
    expect(await listSamples(db, a.id)).toHaveLength(8);
    await deleteTask(db, a.id);
    expect(await purgeDetachedSamples(db, a.id, 3)).toBe(8);
    expect(await detachedTaskIds(db)).toEqual([]);
    const left = await db.getAll('samples');
    expect(left.map((s) => s.text).sort()).toEqual(['text 0', 'text 3', 'text 6', 'text 9']);
    expect((await listSamples(db, b.id)).map((s) => s.text)).toEqual(['text 0', 'text 3', 'text 6', 'text 9']);
    db.close();
  });

  it('stops purging when the deleted task comes back (a bundle import, another tab’s Undo)', async () => {
    const db = await openDatabase({}, freshName());
    const a = await createTask(db, draft);
    await addSamples(
      db,
      Array.from({ length: 10 }, (_, i) => sample(a.id, `back ${i}`)),
    );
    const snapshot = await deleteTask(db, a.id);
    await restoreTask(db, snapshot);
    expect(await purgeDetachedSamples(db, a.id, 2)).toBe(0);
    expect(await listSamples(db, a.id)).toHaveLength(10);
    db.close();
  });

  it('finds the runs of consecutive keys that are all ours', () => {
    expect(keyRuns(['b', 'c', 'e', 'g', 'h'], ['b', 'c', 'd', 'e', 'f', 'g', 'h'])).toEqual([
      ['b', 'c'],
      ['e', 'e'],
      ['g', 'h'],
    ]);
    expect(keyRuns([], [])).toEqual([]);
  });

  it('leaves out a text another writer added after the known-hash snapshot was taken', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const snapshot = await listTaskHashes(db, task.id);
    // Another tab imports the same row meanwhile.
    await addSamples(db, [sample(task.id, 'Simba walishinda mechi')]);
    const r = await addSamples(db, [sample(task.id, 'Simba walishinda mechi'), sample(task.id, 'mpya')], {
      knownHashes: snapshot,
    });
    expect(r.added.map((x) => x.text)).toEqual(['mpya']);
    expect(r.duplicates.map((x) => x.text)).toEqual(['Simba walishinda mechi']);
    expect(await listSamples(db, task.id)).toHaveLength(2);
    // The snapshot no longer vouches for new texts: each is looked up from now on.
    expect(snapshot.exact).toBe(false);
    db.close();
  });

  it('trusts the known hashes while only this writer changes the task, and not after another changes a text', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const [first] = (await addSamples(db, [sample(task.id, 'kwanza'), sample(task.id, 'pili')])).added;
    const snapshot = await listTaskHashes(db, task.id);
    expect(snapshot.hashes.size).toBe(2);
    await addSamples(db, [sample(task.id, 'tatu'), sample(task.id, 'pili')], { knownHashes: snapshot });
    await addSamples(db, [sample(task.id, 'nne')], { knownHashes: snapshot });
    // Its own writes keep the snapshot whole: it still tells new texts without looking them up.
    expect(snapshot.exact).toBe(true);
    expect(snapshot.count).toBe(4);
    // Another tab edits a text into one this import brings: the count is the same, the hash sum is not.
    await updateSample(db, first?.id as string, { text: 'tano' });
    const r = await addSamples(db, [sample(task.id, 'tano'), sample(task.id, 'sita')], { knownHashes: snapshot });
    expect(snapshot.exact).toBe(false);
    expect(r.duplicates.map((x) => x.text)).toEqual(['tano']);
    expect((await listSamples(db, task.id)).map((x) => x.text).sort()).toEqual(['nne', 'pili', 'sita', 'tano', 'tatu']);
    db.close();
  });

  it('writes nothing for a task deleted meanwhile, and says so', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const other = await createTask(db, { ...draft, name: 'Other' });
    await deleteTask(db, task.id);
    await expect(addSamples(db, [sample(other.id, 'one'), sample(task.id, 'two')])).rejects.toMatchObject({
      code: 'task-gone',
      message: 'The task was deleted (in this tab or another) while this was writing to it: nothing more was written.',
    });
    expect(await listSamples(db, other.id)).toEqual([]);
    expect(await listSamples(db, task.id)).toEqual([]);
    db.close();
  });

  it('duplicates a task with its samples under a new id', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    await addSamples(db, [sample(task.id, 'one')]);
    const copy = await duplicateTask(db, task.id);
    expect(copy.name).toBe('News topics (copy)');
    expect(copy.id).not.toBe(task.id);
    expect((await listSamples(db, copy.id)).map((s) => s.text)).toEqual(['one']);
    db.close();
  });
});

describe('samples', () => {
  it('skips texts the task already has, up to case and spacing, and counts by split, language and label', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const first = await addSamples(db, [
      sample(task.id, 'Simba walishinda'),
      sample(task.id, 'Rais', 'politics', 'ha'),
    ]);
    expect(first.added).toHaveLength(2);
    const second = await addSamples(db, [
      sample(task.id, '  simba   WALISHINDA '),
      sample(task.id, 'new one'),
      sample(task.id, 'new one'),
    ]);
    expect(second.added.map((s) => s.text)).toEqual(['new one']);
    expect(second.duplicates).toHaveLength(2);
    expect((await countTask(db, task.id)).counts).toEqual({ test: { sw: { sports: 2 }, ha: { politics: 1 } } });
    db.close();
  });

  it('marks an edited synthetic text as edited and rehashes it; delete is restorable', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const { added } = await addSamples(db, [{ ...sample(task.id, 'old text'), source: 'synthetic' }]);
    const id = added[0]?.id as string;
    const edited = await updateSample(db, id, { text: 'new text' });
    expect(edited.source).toBe('edited');
    expect(edited.textHash).not.toBe(added[0]?.textHash);
    await setSamplesDeleted(db, [id], true);
    expect(await listSamples(db, task.id)).toHaveLength(0);
    expect(await listSamples(db, task.id, { deleted: true })).toHaveLength(1);
    await setSamplesDeleted(db, [id], false);
    expect(await listSamples(db, task.id)).toHaveLength(1);
    db.close();
  });

  it('filters by label and language through the compound index', async () => {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    await addSamples(db, [
      sample(task.id, 'a'),
      sample(task.id, 'b', 'politics'),
      sample(task.id, 'c', 'sports', 'ha'),
    ]);
    expect((await listSamples(db, task.id, { label: 'sports', language: 'sw' })).map((s) => s.text)).toEqual(['a']);
    expect(await listSamples(db, task.id, { split: 'train' })).toEqual([]);
    db.close();
  });
});

describe('pages and counts from the indexes', () => {
  /** 300 samples over 2 languages × 3 labels × 3 splits, some synthetic, some flagged, every 7th removed. */
  async function filled() {
    const db = await openDatabase({}, freshName());
    const task = await createTask(db, draft);
    const labels = ['sports', 'politics', 'health'];
    const splits = ['train', 'test', 'validation'] as const;
    const { added } = await addSamples(
      db,
      Array.from({ length: 300 }, (_, i) => ({
        taskId: task.id,
        text: `text number ${i}${i % 10 === 0 ? ' Simba' : ''}`,
        label: labels[i % 3] as string,
        language: i % 2 ? 'sw' : 'ha',
        split: splits[Math.floor(i / 5) % 3] as (typeof splits)[number],
        source: i % 4 ? 'synthetic' : 'human',
        flags: i % 11 === 0 ? ['label-suspect'] : [],
      })),
      { now: 1000 },
    );
    await setSamplesDeleted(
      db,
      added.filter((_, i) => i % 7 === 0).map((s) => s.id),
      true,
      2000,
    );
    return { db, task, added };
  }

  /** Every page of a query, each asking for `limit` rows and reading at most `maxScan`. */
  async function allPages(db: Database, taskId: string, query: SampleQuery, limit: number, maxScan: number) {
    const rows: string[] = [];
    let after: PageToken | null = null;
    let pages = 0;
    do {
      const page: SamplePage = await pageSamples(db, taskId, query, after, limit, maxScan);
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      expect(page.scanned).toBeLessThanOrEqual(maxScan);
      rows.push(...page.rows.map((s) => s.text));
      after = page.next;
      pages++;
    } while (after && pages < 1000);
    return rows;
  }

  it('pages through every index in order, each sample once, as one list would give them', async () => {
    const { db, task } = await filled();
    const queries: SampleQuery[] = [
      {},
      { split: 'train' },
      { language: 'sw' },
      { split: 'test', language: 'ha', label: 'politics' },
      { source: 'human', search: 'SIMBA' },
      { flag: 'label-suspect' },
      { deleted: true },
    ];
    for (const query of queries) {
      const expected = (await listSamples(db, task.id, query))
        .filter((s) => !query.flag || s.flags.includes(query.flag))
        .filter((s) => !query.search || s.text.toLowerCase().includes(query.search.toLowerCase()));
      // Removed samples come most recently removed first; all were removed at once, so by id, last first.
      if (query.deleted) expected.reverse();
      for (const [limit, maxScan] of [
        [7, 2000],
        [50, 13],
        [1000, 1000],
      ] as const)
        expect(await allPages(db, task.id, query, limit, maxScan), JSON.stringify({ query, limit, maxScan })).toEqual(
          expected.map((s) => s.text),
        );
    }
    db.close();
  });

  it('counts live samples per cell and removed ones from the indexes, as reading every sample would', async () => {
    const { db, task, added } = await filled();
    const live = added.filter((_, i) => i % 7 !== 0);
    const expected: SampleCounts = {};
    for (const s of live) {
      const byLang = ((expected[s.split] ??= {})[s.language] ??= {});
      byLang[s.label] = (byLang[s.label] ?? 0) + 1;
    }
    expect(await countTask(db, task.id)).toEqual({ counts: expected, removed: added.length - live.length });
    // A restore and an edit that moves a sample to another cell are counted at once.
    const moved = live[0] as Sample;
    await setSamplesDeleted(db, [added[0]?.id as string], false);
    await updateSample(db, moved.id, { label: 'health', split: 'validation' });
    const after = await countTask(db, task.id);
    expect(after.removed).toBe(added.length - live.length - 1);
    const total = (c: SampleCounts) =>
      Object.values(c).reduce(
        (a, byLang) =>
          a + Object.values(byLang).reduce((b, byLabel) => b + Object.values(byLabel).reduce((x, y) => x + y, 0), 0),
        0,
      );
    expect(total(after.counts)).toBe(live.length + 1);
    expect(after.counts.validation?.[moved.language]?.health).toBe(
      (expected.validation?.[moved.language]?.health ?? 0) + 1,
    );
    db.close();
  });

  it('keeps counts of each task apart', async () => {
    const { db } = await filled();
    const other = await createTask(db, draft);
    await addSamples(db, [sample(other.id, 'one'), sample(other.id, 'two', 'health')]);
    expect(await countTask(db, other.id)).toEqual({ counts: { test: { sw: { sports: 1, health: 1 } } }, removed: 0 });
    db.close();
  });
});

describe('change feed', () => {
  it('tells listeners in this tab what changed', async () => {
    const db = await openDatabase({}, freshName());
    const seen: Change[] = [];
    const stop = subscribeChanges((c) => seen.push(c));
    const task = await createTask(db, draft);
    await addSamples(db, [sample(task.id, 'x')]);
    stop();
    expect(seen).toEqual([
      { store: 'tasks', taskId: task.id, kind: 'put', count: 1 },
      { store: 'samples', taskId: task.id, kind: 'put', count: 1 },
    ]);
    db.close();
  });
});

describe('quota', () => {
  it('turns QuotaExceededError into a message that says nothing was saved', async () => {
    const full = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const error = await guardQuota('quota.bundle', full).catch((e: unknown) => e);
    expect(isQuotaError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'quota-exceeded' });
    expect((error as Error).message).toMatch(
      /^Importing the bundle stopped: .*full\. Nothing from this step was saved/,
    );
  });
});
