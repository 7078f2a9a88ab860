/**
 * @file Counts of a task's samples per task × split × language × label × source, as the
 * database keeps them beside the samples (storage/sample-stats.ts): what one sample adds to
 * them, the deltas of a batch of writes, and sums over them for the views.
 */
import { LABELLED_FROM_POOL, type Sample, type SampleSource, type Split } from './sample';

/** The counts of one cell and source. */
export interface SampleStat {
  taskId: string;
  split: Split;
  language: string;
  label: string;
  source: SampleSource;
  /** Samples not removed. */
  live: number;
  /** Samples removed (restorable), rejected ones included. */
  removed: number;
  /** Live samples a generation job wrote. */
  generated: number;
  /** Live samples a person labelled from the pool. */
  fromPool: number;
  /** Live samples carrying each flag (only flags some sample carries). */
  flags: Record<string, number>;
  /** Removed samples carrying each flag. */
  removedFlags: Record<string, number>;
  /**
   * The sum of every sample's {@link hashPrint} (live and removed), modulo 2³²: moves with any
   * write that adds, removes or changes a text, so a writer that read the task's text hashes
   * can tell, from these records alone, that nobody changed them since (see `KnownHashes`).
   */
  hashSum: number;
}

export type StatKey = [string, Split, string, string, SampleSource];

export const statKey = (s: Pick<Sample, 'taskId' | 'split' | 'language' | 'label' | 'source'>): StatKey => [
  s.taskId,
  s.split,
  s.language,
  s.label,
  s.source,
];

export const emptyStat = (s: Pick<Sample, 'taskId' | 'split' | 'language' | 'label' | 'source'>): SampleStat => ({
  taskId: s.taskId,
  split: s.split,
  language: s.language,
  label: s.label,
  source: s.source,
  live: 0,
  removed: 0,
  generated: 0,
  fromPool: 0,
  flags: {},
  removedFlags: {},
  hashSum: 0,
});

export const isEmptyStat = (s: SampleStat): boolean =>
  s.live === 0 &&
  s.removed === 0 &&
  s.generated === 0 &&
  s.fromPool === 0 &&
  Object.keys(s.flags).length === 0 &&
  Object.keys(s.removedFlags).length === 0 &&
  s.hashSum === 0;

function bump(counts: Record<string, number>, key: string, by: number): void {
  const n = (counts[key] ?? 0) + by;
  if (n === 0) delete counts[key];
  else counts[key] = n;
}

/** A text hash as a 32-bit number (FNV-1a of its characters), for {@link SampleStat.hashSum}. */
export function hashPrint(textHash: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < textHash.length; i++) h = Math.imul(h ^ textHash.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Adds one sample's share to a record (`sign` -1 takes it away). */
function count(stat: SampleStat, s: Sample, sign: 1 | -1): void {
  stat.hashSum = (stat.hashSum + sign * hashPrint(s.textHash)) >>> 0;
  if (s.deletedAt === null) {
    stat.live += sign;
    if (s.jobId !== null) stat.generated += sign;
    if (s.meta?.[LABELLED_FROM_POOL] !== undefined) stat.fromPool += sign;
    for (const f of new Set(s.flags)) bump(stat.flags, f, sign);
  } else {
    stat.removed += sign;
    for (const f of new Set(s.flags)) bump(stat.removedFlags, f, sign);
  }
}

/** Adds the counts of `delta` to `into` (a record of the same cell, or a sum). */
export function mergeStat<T extends StatsSum>(into: T, delta: StatsSum): T {
  into.live += delta.live;
  into.removed += delta.removed;
  into.generated += delta.generated;
  into.fromPool += delta.fromPool;
  into.hashSum = (into.hashSum + delta.hashSum) >>> 0;
  for (const [f, n] of Object.entries(delta.flags)) bump(into.flags, f, n);
  for (const [f, n] of Object.entries(delta.removedFlags)) bump(into.removedFlags, f, n);
  return into;
}

/** What a batch of sample writes does to the counts, applied in the same transaction. */
export class SampleCounter {
  readonly #cells = new Map<string, SampleStat>();

  #cell(s: Sample): SampleStat {
    const k = JSON.stringify(statKey(s));
    let cell = this.#cells.get(k);
    if (!cell) this.#cells.set(k, (cell = emptyStat(s)));
    return cell;
  }

  /** A write that replaces `old` (undefined: added) with `next` (undefined: deleted). */
  change(old: Sample | undefined, next: Sample | undefined): this {
    if (old) count(this.#cell(old), old, -1);
    if (next) count(this.#cell(next), next, 1);
    return this;
  }

  /** The deltas, one record per cell and source that changed (for a count from nothing: the counts). */
  records(): SampleStat[] {
    return [...this.#cells.values()].filter((d) => !isEmptyStat(d));
  }
}

/** The records the samples call for, counted from the samples themselves. */
export function statsOf(samples: Iterable<Sample>): SampleStat[] {
  const delta = new SampleCounter();
  for (const s of samples) delta.change(undefined, s);
  return delta.records();
}

/** Sums of a task's records: the counts of {@link SampleStat} without its cell. */
export type StatsSum = Omit<SampleStat, 'taskId' | 'split' | 'language' | 'label' | 'source'>;

/** The sum over the records that pass `where`. */
export function sumStats(stats: readonly SampleStat[], where: (s: SampleStat) => boolean = () => true): StatsSum {
  const sum: StatsSum = { live: 0, hashSum: 0, removed: 0, generated: 0, fromPool: 0, flags: {}, removedFlags: {} };
  for (const s of stats) if (where(s)) mergeStat(sum, s);
  return sum;
}

/** One record as a string that does not depend on the order its flags were counted in. */
function canonical(s: SampleStat): string {
  const sorted = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([
    statKey(s),
    s.live,
    s.removed,
    s.generated,
    s.fromPool,
    s.hashSum,
    sorted(s.flags),
    sorted(s.removedFlags),
  ]);
}

/** Whether two sets of records count the same (in any order). */
export function sameStats(a: readonly SampleStat[], b: readonly SampleStat[]): boolean {
  const x = a.map(canonical).sort();
  const y = b.map(canonical).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
