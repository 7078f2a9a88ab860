/**
 * @file Samples: bulk add with duplicate detection on the normalized-text hash, queries for
 * the dataset table and the count matrix, edits, soft delete and restore.
 */
import { AppError } from '../domain/errors';
import { message } from '../i18n/messages';
import {
  LABELLED_FROM_POOL,
  REJECTED_FLAG,
  SKIPPED_FLAG,
  UNLABELLED,
  type NewSample,
  type Sample,
  SPLITS,
  type SampleSource,
  type Split,
} from '../domain/sample';
import { firstSeq, orderedId } from '../domain/ids';
import { textHash } from '../domain/text-hash';
import { publishChange } from './change-feed';
import { STORES, taskKeyRange, type Database } from './db';
import { requireTasks, writeAll } from './transaction';
import { hashPrint } from '../domain/sample-stats';
import { readStats, StatsDelta, sumStats, type SampleStat } from './sample-stats';
import { guardQuota } from './quota-guard';

export interface AddResult {
  added: Sample[];
  /** Inputs skipped because the task (or an earlier input) already has the same normalized text. */
  duplicates: NewSample[];
}

/**
 * Adds samples in one transaction: all or nothing (a full disk stores none of them). Inside
 * that transaction, whatever other tabs and workers do: every task written to must still
 * exist (else `task-gone`, and nothing is written), and a text the task already has is left
 * out (when skipping duplicates).
 * @param samples new samples (one task or several)
 * @param options skipDuplicates: leave out texts the task already has (default true)
 */
export async function addSamples(
  db: Database,
  samples: readonly NewSample[],
  options: {
    skipDuplicates?: boolean;
    now?: number;
    /**
     * The text hashes of one task, read by {@link listTaskHashes}: a text found there is a
     * duplicate without an index lookup. When the task's kept counts show that no other writer
     * added, removed or changed a text of it since (`hashSum`), a text not found there is new,
     * also without a lookup; else each is looked up inside the write's transaction, for the
     * rest of the import. Updated with what this call adds.
     */
    knownHashes?: KnownHashes;
  } = {},
): Promise<AddResult> {
  const { skipDuplicates = true, now = Date.now(), knownHashes } = options;
  if (samples.length === 0) return { added: [], duplicates: [] };
  const result = await guardQuota('quota.samples', async () => {
    const tx = db.transaction([STORES.samples, STORES.tasks, STORES.sampleStats], 'readwrite');
    const store = tx.objectStore(STORES.samples);
    const byHash = store.index('by-task-hash');
    await requireTasks(
      tx,
      samples.map((s) => s.taskId),
    );
    const seen = new Set<string>();
    const added: Sample[] = [];
    const duplicates: NewSample[] = [];
    const prepared = samples.map((s) => ({ input: s, hash: textHash(s.text) }));
    const keyOf = (taskId: string, hash: string) => `${taskId}\u0000${hash}`;
    // Whether the known hashes are still every hash of their task: its counts moved only by
    // this writer since they were read (one request: the task's few count records).
    const known = knownHashes && skipDuplicates ? knownHashes : undefined;
    if (known && known.exact) {
      const current = sumStats(await tx.objectStore(STORES.sampleStats).getAll(taskKeyRange(known.taskId)));
      if (current.live + current.removed !== known.count || current.hashSum !== known.hashSum) known.exact = false;
    }
    const knows = (taskId: string, hash: string) => known?.taskId === taskId && known.hashes.has(hash);
    const complete = (taskId: string) => known?.taskId === taskId && known.exact;
    // A task holding fewer samples than this call adds has its hashes read with one key
    // cursor (as many steps as it has samples), else each text is looked up: whichever
    // needs fewer requests (an import into a new task needs none).
    const stored = new Map<string, Set<string> | null>();
    if (skipDuplicates) {
      const perTask = new Map<string, number>();
      for (const p of prepared)
        if (!knows(p.input.taskId, p.hash) && !complete(p.input.taskId))
          perTask.set(p.input.taskId, (perTask.get(p.input.taskId) ?? 0) + 1);
      await Promise.all(
        [...perTask].map(async ([taskId, adding]) => {
          const has = await store.index('by-task').count(taskId);
          stored.set(taskId, has <= adding ? await hashesIn(byHash, taskId) : null);
        }),
      );
    }
    const existing = skipDuplicates
      ? await Promise.all(
          prepared.map((p) => {
            if (knows(p.input.taskId, p.hash)) return true;
            if (complete(p.input.taskId)) return undefined;
            const hashes = stored.get(p.input.taskId);
            if (hashes) return hashes.has(p.hash) ? true : undefined;
            return byHash.getKey([p.input.taskId, p.hash]);
          }),
        )
      : prepared.map(() => undefined);
    const first = firstSeq(now, prepared.length);
    prepared.forEach(({ input, hash }, i) => {
      const key = keyOf(input.taskId, hash);
      if (skipDuplicates && (existing[i] !== undefined || seen.has(key))) {
        duplicates.push(input);
        return;
      }
      seen.add(key);
      added.push({
        id: orderedId(now, first + i),
        taskId: input.taskId,
        text: input.text,
        label: input.label,
        language: input.language,
        split: input.split,
        source: input.source,
        jobId: input.jobId ?? null,
        flags: input.flags ?? [],
        textHash: hash,
        createdAt: now,
        updatedAt: now,
        deletedAt: input.deletedAt ?? null,
        ...(input.meta ? { meta: input.meta } : {}),
      });
    });
    const delta = new StatsDelta();
    for (const s of added) delta.change(undefined, s);
    await writeAll(tx, [...added.map((s) => () => store.add(s)), ...delta.writes(tx)]);
    if (known) for (const s of added) if (s.taskId === known.taskId) known.add(s.textHash);
    return { added, duplicates };
  });
  for (const taskId of new Set(result.added.map((s) => s.taskId))) {
    publishChange({
      store: STORES.samples,
      taskId,
      kind: 'put',
      count: result.added.filter((s) => s.taskId === taskId).length,
    });
  }
  return result;
}

/** A key cursor over `by-task-hash`, in whichever transaction it was opened. */
interface HashCursor {
  key: [string, string];
  continue(): Promise<HashCursor | null>;
}

/** The text hashes of a task, read from the `by-task-hash` index alone (one step per sample). */
async function hashesIn(
  index: { openKeyCursor(range: IDBKeyRange): Promise<unknown> },
  taskId: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  let cursor = (await index.openKeyCursor(IDBKeyRange.bound([taskId, ''], [taskId, '\uffff']))) as HashCursor | null;
  while (cursor) {
    out.add(cursor.key[1]);
    cursor = await cursor.continue();
  }
  return out;
}

/**
 * A task's text hashes as a writer read them, with the task's count and hash sum at that moment
 * (its kept counts, read in the same transaction), for {@link addSamples}' `knownHashes`.
 */
export class KnownHashes {
  /** Still every hash of the task (no other writer changed its texts since): unknown texts are new. */
  exact = true;

  constructor(
    readonly taskId: string,
    readonly hashes: Set<string>,
    /** Samples of the task, live and removed, and the sum of their hash prints. */
    public count: number,
    public hashSum: number,
  ) {}

  /** A sample this writer added. */
  add(hash: string): void {
    this.hashes.add(hash);
    this.count++;
    this.hashSum = (this.hashSum + hashPrint(hash)) >>> 0;
  }
}

/** Every text hash of a task (from the index alone) and its kept counts, read together. */
export async function listTaskHashes(db: Database, taskId: string): Promise<KnownHashes> {
  const tx = db.transaction([STORES.samples, STORES.sampleStats]);
  const [hashes, stats] = await Promise.all([
    hashesIn(tx.objectStore(STORES.samples).index('by-task-hash'), taskId),
    tx.objectStore(STORES.sampleStats).getAll(taskKeyRange(taskId)),
  ]);
  const sum = sumStats(stats);
  return new KnownHashes(taskId, hashes, sum.live + sum.removed, sum.hashSum);
}

export interface SampleFilter {
  split?: Split;
  label?: string;
  language?: string;
  source?: SampleSource;
  /** Include deleted samples (for restore); default false. */
  deleted?: boolean;
}

/**
 * A key range of the `by-cell` index: a task's samples, narrowed to a split, then a language,
 * then a label (each only with the ones before it).
 */
export function cellRange(taskId: string, split?: Split, language?: string, label?: string): IDBKeyRange {
  const parts: string[] = [taskId];
  for (const part of [split, language, label]) {
    if (part === undefined) break;
    parts.push(part);
  }
  // Arrays sort after strings: [..., []] is above every longer key that starts with `parts`.
  return parts.length === 4 ? IDBKeyRange.only(parts) : IDBKeyRange.bound(parts, [...parts, []]);
}

/** Oldest first; samples added together (one date) in the order they were given (ids). */
export const byAge = (a: Sample, b: Sample): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Samples of a task, oldest first, filtered. Uses the narrowest index the filter allows. */
export async function listSamples(db: Database, taskId: string, filter: SampleFilter = {}): Promise<Sample[]> {
  let rows: Sample[];
  if (filter.deleted) {
    rows = await db.getAllFromIndex(STORES.samples, 'by-removed', taskKeyRange(taskId));
  } else if (filter.split !== undefined) {
    const range = cellRange(
      taskId,
      filter.split,
      filter.language,
      filter.language !== undefined ? filter.label : undefined,
    );
    rows = await db.getAllFromIndex(STORES.samples, 'by-cell', range);
  } else if (filter.label !== undefined && filter.language !== undefined) {
    const { label, language } = filter;
    const tx = db.transaction(STORES.samples);
    const cells = await Promise.all(
      SPLITS.map((split) => tx.store.index('by-cell').getAll(cellRange(taskId, split, language, label))),
    );
    rows = cells.flat();
  } else {
    rows = await db.getAllFromIndex(STORES.samples, 'by-task', taskId);
  }
  return rows.filter((s) => matches(s, filter)).sort(byAge);
}

/** What the dataset table filters on: the indexed fields and, by reading each sample, the rest. */
export interface SampleQuery extends SampleFilter {
  /** Samples carrying this flag. */
  flag?: string;
  /** Samples whose text contains this, case-insensitively (in the UI's locale rules). */
  search?: string;
}

function matches(s: Sample, q: SampleQuery, needle = q.search?.trim().toLocaleLowerCase()): boolean {
  return (
    (q.deleted ? s.deletedAt !== null : s.deletedAt === null) &&
    (q.split === undefined || s.split === q.split) &&
    (q.label === undefined || s.label === q.label) &&
    (q.language === undefined || s.language === q.language) &&
    (q.source === undefined || s.source === q.source) &&
    (q.flag === undefined || s.flags.includes(q.flag)) &&
    (!needle || s.text.toLocaleLowerCase().includes(needle))
  );
}

/** Where a page ended: the index key and primary key of the last sample read. */
export interface PageToken {
  key: IDBValidKey;
  primaryKey: string;
}

/** A cursor over samples through any of their indexes. */
interface SampleCursor {
  key: IDBValidKey;
  primaryKey: string;
  value: Sample;
  continue(): Promise<SampleCursor | null>;
  continuePrimaryKey(key: IDBValidKey, primaryKey: string): Promise<SampleCursor | null>;
}

export interface SamplePage {
  /** Matching samples, in the order of the index read. */
  rows: Sample[];
  /** Pass to the next call to go on after these rows; null when the end was reached. */
  next: PageToken | null;
  /** Samples read to find them (the filters the indexes cannot answer read every sample). */
  scanned: number;
}

/**
 * One page of a task's samples through an index, for the dataset table: no more than `limit`
 * rows, reading no more than `maxScan` samples (a filter that few samples match returns fewer
 * rows and a token to go on from). Live samples oldest first, through `by-cell` when the query
 * names a whole cell, else `by-task`; removed ones (`deleted`) most recently removed first.
 * Each call is its own short read transaction, so writers are never held up for long.
 * @param after where the previous page ended, or null for the first
 */
export async function pageSamples(
  db: Database,
  taskId: string,
  query: SampleQuery,
  after: PageToken | null,
  limit: number,
  maxScan = 2000,
): Promise<SamplePage> {
  const index = db.transaction(STORES.samples).store;
  const needle = query.search?.trim().toLocaleLowerCase();
  const reverse = query.deleted === true;
  const direction = reverse ? 'prev' : 'next';
  // The three indexes' cursors differ only in their key's type.
  let cursor = (
    query.deleted
      ? await index.index('by-removed').openCursor(taskKeyRange(taskId), direction)
      : query.split !== undefined && query.language !== undefined && query.label !== undefined
        ? await index.index('by-cell').openCursor(cellRange(taskId, query.split, query.language, query.label))
        : await index.index('by-task').openCursor(taskId)
  ) as SampleCursor | null;
  if (cursor && after) {
    // Go on after the token: to it when the cursor is before it, then one step past it.
    const order = indexedDB.cmp(cursor.key, after.key) || indexedDB.cmp(cursor.primaryKey, after.primaryKey);
    if (reverse ? order > 0 : order < 0) cursor = await cursor.continuePrimaryKey(after.key, after.primaryKey);
    if (cursor && indexedDB.cmp(cursor.key, after.key) === 0 && cursor.primaryKey === after.primaryKey)
      cursor = await cursor.continue();
  }
  const rows: Sample[] = [];
  let scanned = 0;
  let last: PageToken | null = after;
  while (cursor && rows.length < limit && scanned < maxScan) {
    scanned++;
    if (matches(cursor.value, query, needle)) rows.push(cursor.value);
    last = { key: cursor.key, primaryKey: cursor.primaryKey };
    cursor = await cursor.continue();
  }
  return { rows, next: cursor ? last : null, scanned };
}

/** Count of live samples per split → language → label. */
export type SampleCounts = Record<string, Record<string, Record<string, number>>>;

/**
 * Live samples per split → language → label, from the task's counts (storage/sample-stats.ts:
 * a few records, however many samples). Also how many are removed.
 */
export async function countTask(db: Database, taskId: string): Promise<{ counts: SampleCounts; removed: number }> {
  return countsFromStats(await readStats(db, taskId));
}

/** Live samples per split → language → label, and removed ones, summed from a task's kept counts. */
export function countsFromStats(stats: readonly SampleStat[]): { counts: SampleCounts; removed: number } {
  const counts: SampleCounts = {};
  let removed = 0;
  for (const s of stats) {
    removed += s.removed;
    if (s.live === 0) continue;
    const cell = ((counts[s.split] ??= {})[s.language] ??= {});
    cell[s.label] = (cell[s.label] ?? 0) + s.live;
  }
  return { counts, removed };
}

type SamplePatch = Partial<Pick<Sample, 'text' | 'label' | 'language' | 'split' | 'flags' | 'meta'>>;

/**
 * Edits a sample's text, label, language or split. A human edit of a synthetic text marks
 * it `edited`; the hash follows the text.
 * @param change the new values, or a function of the stored sample giving them (read and
 *   written in one transaction, e.g. to add or remove one flag)
 */
export async function updateSample(
  db: Database,
  id: string,
  change: SamplePatch | ((stored: Sample) => SamplePatch),
  now = Date.now(),
): Promise<Sample> {
  return guardQuota('quota.sample', async () => {
    const tx = db.transaction([STORES.samples, STORES.sampleStats], 'readwrite');
    const samples = tx.objectStore(STORES.samples);
    const old = await samples.get(id);
    if (!old) throw new AppError('internal', message('err.sampleGone'));
    const patch = typeof change === 'function' ? change(old) : change;
    const textChanged = patch.text !== undefined && patch.text !== old.text;
    const updated: Sample = {
      ...old,
      ...patch,
      textHash: textChanged ? textHash(patch.text as string) : old.textHash,
      source: textChanged && old.source === 'synthetic' ? 'edited' : old.source,
      updatedAt: now,
    };
    await writeAll(tx, [() => samples.put(updated), ...new StatsDelta().change(old, updated).writes(tx)]);
    publishChange({ store: STORES.samples, taskId: old.taskId, kind: 'put', count: 1 });
    return updated;
  });
}

/** Marks samples deleted (restorable) or restores them. */
export async function setSamplesDeleted(
  db: Database,
  ids: readonly string[],
  deleted: boolean,
  now = Date.now(),
): Promise<void> {
  const tx = db.transaction([STORES.samples, STORES.sampleStats], 'readwrite');
  const samples = tx.objectStore(STORES.samples);
  const taskIds = new Set<string>();
  const delta = new StatsDelta();
  for (const id of ids) {
    const s = await samples.get(id);
    if (!s) continue;
    taskIds.add(s.taskId);
    // Restoring a rejected sample is the user overruling the filter: it is no longer rejected.
    const flags = deleted ? s.flags : s.flags.filter((f) => f !== REJECTED_FLAG);
    const next = { ...s, flags, deletedAt: deleted ? now : null, updatedAt: now };
    delta.change(s, next);
    await samples.put(next);
  }
  await writeAll(tx, delta.writes(tx));
  for (const taskId of taskIds) publishChange({ store: STORES.samples, taskId, kind: 'put', count: ids.length });
}

/** A change that adds (`on`) or removes a flag, for {@link updateSample}. */
export const withFlag =
  (flag: string, on: boolean) =>
  (stored: Sample): SamplePatch => ({
    flags: on ? [...stored.flags.filter((f) => f !== flag), flag] : stored.flags.filter((f) => f !== flag),
  });

/**
 * Records a check's findings on the task's samples in one transaction: each flag of `kinds` is
 * set on the samples listed under it and cleared from the others (a rerun replaces the last).
 * @returns how many samples changed
 */
export async function setCheckFlags(
  db: Database,
  taskId: string,
  flagged: ReadonlyMap<string, ReadonlySet<string>>,
  now = Date.now(),
): Promise<number> {
  return guardQuota('quota.sample', async () => {
    const tx = db.transaction([STORES.samples, STORES.sampleStats], 'readwrite');
    const store = tx.objectStore(STORES.samples);
    const kinds = new Set(flagged.keys());
    const writes: (() => Promise<unknown>)[] = [];
    const delta = new StatsDelta();
    let cursor = await store.index('by-task').openCursor(taskId);
    while (cursor) {
      const s = cursor.value;
      const wanted = [...kinds].filter((k) => flagged.get(k)?.has(s.id));
      const flags = [...s.flags.filter((f) => !kinds.has(f)), ...wanted];
      if (flags.length !== s.flags.length || flags.some((f) => !s.flags.includes(f))) {
        const updated = { ...s, flags, updatedAt: now };
        delta.change(s, updated);
        writes.push(() => store.put(updated));
      }
      cursor = await cursor.continue();
    }
    await writeAll(tx, [...writes, ...delta.writes(tx)]);
    if (writes.length) publishChange({ store: STORES.samples, taskId, kind: 'put', count: writes.length });
    return writes.length;
  });
}

/**
 * A person labels a text of the pool: it moves to the training split with that label (and the
 * time it was labelled in `meta`, so choices of what to label next keep away from it).
 * {@link returnToPool} undoes it.
 */
export function labelFromPool(db: Database, id: string, label: string, now = Date.now()): Promise<Sample> {
  return updateSample(
    db,
    id,
    (stored) => {
      if (stored.split !== 'pool' || stored.deletedAt !== null)
        throw new AppError('internal', message('err.notInPool'));
      return {
        label,
        split: 'train',
        flags: stored.flags.filter((f) => f !== SKIPPED_FLAG),
        meta: { ...stored.meta, [LABELLED_FROM_POOL]: String(now) },
      };
    },
    now,
  );
}

/** Puts a text labelled from the pool back in it, unlabelled (the undo of {@link labelFromPool}). */
export function returnToPool(db: Database, id: string, now = Date.now()): Promise<Sample> {
  return updateSample(
    db,
    id,
    (stored) => {
      const meta = { ...stored.meta };
      delete meta[LABELLED_FROM_POOL];
      return { label: UNLABELLED, split: 'pool', meta };
    },
    now,
  );
}

/** Whether a sample is a pool text a person labelled (see {@link labelFromPool}). */
export const labelledFromPool = (s: Sample): boolean => s.meta?.[LABELLED_FROM_POOL] !== undefined;

/** Clears the skipped mark from every text of a task's pool, in one transaction: they can be proposed again. */
export async function unskipPool(db: Database, taskId: string, now = Date.now()): Promise<number> {
  return guardQuota('quota.sample', async () => {
    const tx = db.transaction([STORES.samples, STORES.sampleStats], 'readwrite');
    const store = tx.objectStore(STORES.samples);
    const writes: (() => Promise<unknown>)[] = [];
    const delta = new StatsDelta();
    let cursor = await store.index('by-cell').openCursor(cellRange(taskId, 'pool'));
    while (cursor) {
      const s = cursor.value;
      if (s.flags.includes(SKIPPED_FLAG)) {
        const updated = { ...s, flags: s.flags.filter((f) => f !== SKIPPED_FLAG), updatedAt: now };
        delta.change(s, updated);
        writes.push(() => store.put(updated));
      }
      cursor = await cursor.continue();
    }
    await writeAll(tx, [...writes, ...delta.writes(tx)]);
    if (writes.length) publishChange({ store: STORES.samples, taskId, kind: 'put', count: writes.length });
    return writes.length;
  });
}
