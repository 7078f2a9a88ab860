/**
 * @file One filtered list of a task's samples for a table, read a page at a time through the
 * indexes (`pageSamples`), never the whole task: 100,000 samples show their first rows at once.
 * How many match comes from the task's kept counts (storage/sample-stats.ts) when the filter
 * is one they answer (split, language, label, source, finding; live or removed), else (a text
 * search) from a count that reads the samples in the background.
 */
import { untrack } from 'svelte';
import type { Sample } from '../domain/sample';
import type { Database } from '../storage/db';
import { sumStats, type SampleStat } from '../storage/sample-stats';
import { pageSamples, type PageToken, type SampleQuery } from '../storage/samples-repo';

/** Rows asked for at a time. */
export const PAGE_ROWS = 100;
/** Samples one read transaction looks at, at most (a rare match does not hold writers up). */
const SCAN_PER_READ = 2000;
/** Samples a background count reads per transaction. */
const COUNT_PER_READ = 5000;

/**
 * Samples matching a query, from the task's kept counts; null for a text search (only reading
 * the samples can count it).
 */
export function countFromStats(stats: readonly SampleStat[], q: SampleQuery): number | null {
  if (q.search?.trim()) return null;
  const sum = sumStats(
    stats,
    (s) =>
      (q.split === undefined || s.split === q.split) &&
      (q.language === undefined || s.language === q.language) &&
      (q.label === undefined || s.label === q.label) &&
      (q.source === undefined || s.source === q.source),
  );
  if (q.deleted) return q.flag === undefined ? sum.removed : (sum.removedFlags[q.flag] ?? 0);
  return q.flag === undefined ? sum.live : (sum.flags[q.flag] ?? 0);
}

export interface PagerSource {
  readonly db: Promise<Database>;
  /** The task followed, or null. */
  readonly taskId: string | null;
  /** The task's kept counts, by cell and source. */
  readonly stats: readonly SampleStat[];
  /** Whether `stats` are the task's (read once it is followed). */
  readonly loaded: boolean;
}

export class SamplePager {
  /** The matching samples read so far, in the table's order. */
  rows = $state.raw<Sample[]>([]);
  /** How many match in all; null while a background count runs. */
  total = $state<number | null>(null);
  /** Samples a background count has read so far, and how many it will read. */
  counted = $state<{ read: number; of: number } | null>(null);
  /** Every match is in `rows`. */
  exhausted = $state(false);
  loading = $state(false);
  /** Samples read for the rows so far (a filter that few match reads many). */
  scanned = $state(0);
  error = $state<string | null>(null);

  #query: SampleQuery = {};
  #token: PageToken | null = null;
  /** Bumped by every new query: work for an older one stops and writes nothing. */
  #generation = 0;
  #countGeneration = 0;
  /** The generation a `more` is reading for, or -1. */
  #reading = -1;

  /** @param sourceOf the task's data (a function, so a component's prop is read when used) */
  constructor(private readonly sourceOf: () => PagerSource) {}

  private get source(): PagerSource {
    return this.sourceOf();
  }

  get query(): SampleQuery {
    return this.#query;
  }

  /** Shows the first page of a new query (and counts it). */
  set(query: SampleQuery): void {
    this.#query = query;
    this.#generation++;
    this.#token = null;
    this.rows = [];
    this.exhausted = false;
    this.scanned = 0;
    this.error = null;
    this.loading = false;
    this.total = null;
    this.#recount();
    void this.more(PAGE_ROWS);
  }

  /** Reads up to `wanted` more matching rows (fewer at the end). */
  async more(wanted = PAGE_ROWS): Promise<void> {
    const generation = this.#generation;
    const taskId = this.source.taskId;
    if (!taskId || this.exhausted || this.#reading === generation) return;
    this.#reading = generation;
    this.loading = true;
    try {
      const db = await this.source.db;
      let got = 0;
      do {
        const page = await pageSamples(db, taskId, this.#query, this.#token, wanted - got, SCAN_PER_READ);
        if (generation !== this.#generation) return;
        got += page.rows.length;
        // A rare match reads many samples: what it finds shows as it is found.
        if (page.rows.length) this.rows = [...this.rows, ...page.rows];
        this.scanned += page.scanned;
        this.#token = page.next;
        this.exhausted = page.next === null;
      } while (this.#token && got < wanted);
    } catch (error) {
      if (generation === this.#generation) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.#reading = -1;
      }
    }
  }

  /**
   * After a change to the task: reads again as many rows as are shown (at least a page), so
   * edits, removals and new samples appear where the user is, and counts again.
   */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const taskId = this.source.taskId;
    if (!taskId) return;
    const wanted = Math.max(PAGE_ROWS, this.rows.length);
    this.#recount();
    try {
      const db = await this.source.db;
      const got: Sample[] = [];
      let token: PageToken | null = null;
      do {
        const page = await pageSamples(db, taskId, this.#query, token, wanted - got.length, SCAN_PER_READ);
        if (generation !== this.#generation) return;
        got.push(...page.rows);
        token = page.next;
      } while (token && got.length < wanted);
      this.#token = token;
      this.rows = got;
      this.exhausted = token === null;
      this.loading = false;
      this.#reading = -1;
      this.error = null;
    } catch (error) {
      if (generation === this.#generation) this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** The total from the kept counts, or (a text search) a count that reads the samples in the background. */
  #recount(): void {
    const generation = ++this.#countGeneration;
    const q = this.#query;
    if (!this.source.loaded) {
      // Counted once the task's counts arrive (`reload`).
      this.counted = null;
      return;
    }
    const kept = countFromStats(this.source.stats, q);
    if (kept !== null) {
      this.total = kept;
      this.counted = null;
      return;
    }
    const taskId = this.source.taskId;
    if (!taskId) return;
    const of = countFromStats(this.source.stats, { deleted: q.deleted }) ?? 0;
    // Keep the last total on screen while a recount after a change runs.
    this.counted = { read: 0, of };
    void (async () => {
      const db = await this.source.db;
      let token: PageToken | null = null;
      let n = 0;
      let read = 0;
      do {
        const page = await pageSamples(db, taskId, q, token, Number.POSITIVE_INFINITY, COUNT_PER_READ);
        if (generation !== this.#countGeneration) return;
        n += page.rows.length;
        read += page.scanned;
        token = page.next;
        this.counted = { read, of };
      } while (token);
      this.total = n;
      this.counted = null;
    })().catch((error: unknown) => {
      if (generation === this.#countGeneration) {
        this.counted = null;
        this.error = error instanceof Error ? error.message : String(error);
      }
    });
  }

  /** Stops whatever is reading. */
  dispose(): void {
    this.#generation++;
    this.#countGeneration++;
  }
}

/**
 * Keeps a table's pager on its query and the task's data: a new query (or task) reads its first
 * page; a change to the task reads the shown rows again. Call while a component initialises.
 * @param source the task's data (moves `version` on every change)
 * @param query the table's filters
 */
export function followSource(
  pager: SamplePager,
  source: () => PagerSource & { readonly version: number },
  query: () => SampleQuery,
): void {
  $effect(() => {
    const q = query();
    if (source().taskId) untrack(() => pager.set(q));
  });
  let seen = untrack(() => source().version);
  $effect(() => {
    const version = source().version;
    if (version === seen) return;
    seen = version;
    untrack(() => void pager.reload());
  });
}
