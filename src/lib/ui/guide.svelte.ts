/**
 * @file The guided tour's state: the current task's facts (domain/guide.ts), kept current by
 * the change feed, and the similarity example on the newest student's embeddings when they
 * are cached, else on n-gram features (no download either way): the clearest of up to 50 trios
 * from a few training texts of every cell, with the averages over all of them. Counts come from
 * the task's kept counts: the tour reads a few dozen texts, however big the task.
 */
import type { CompareRun } from '../domain/evaluation';
import { guideFacts, similarities, similarityTrios, type GuideFacts } from '../domain/guide';
import type { Sample } from '../domain/sample';
import { foldedNgrams } from '../ml/ngram';
import type { Database } from '../storage/db';
import { getEmbeddings } from '../storage/embeddings-repo';
import { STORES } from '../storage/db';
import { readStats, sumStats, type SampleStat } from '../storage/sample-stats';
import { cellRange, pageSamples, type PageToken } from '../storage/samples-repo';
import { dataWorker } from '../workers/data-client';

import { classifierName } from '../words/evaluation';
import { NewestWins } from './newest-wins';
import { TaskFollower } from './task-follower';
export interface SimilarityExample {
  /** `ngram`, or the embedding model's id. */
  features: string;
  a: Sample;
  b: Sample;
  c: Sample;
  same: number;
  different: number;
  /** How many trios the averages are over, and the averages. */
  pairs: number;
  sameMean: number;
  differentMean: number;
}

/** Trios the tour's averages are computed over (n-gram features of this many texts take milliseconds). */
const SIMILARITY_TRIOS = 50;

/** Texts read per cell for the similarity trios: enough for 50 trios, however big the task. */
const PER_CELL = 12;

/** The oldest live text a generation job wrote (reads pages until one is found). */
async function firstGenerated(db: Database, taskId: string): Promise<Sample | null> {
  let token: PageToken | null = null;
  do {
    const page = await pageSamples(db, taskId, { source: 'synthetic' }, token, 50);
    const found = page.rows.find((s) => s.jobId !== null);
    if (found) return found;
    token = page.next;
  } while (token);
  return null;
}

/** A few live texts of every training cell (not test, not the pool), through the cell index. */
async function trioCandidates(db: Database, stats: readonly SampleStat[]): Promise<Sample[]> {
  // One entry per cell (the counts are kept per source too).
  const cells: Record<string, SampleStat> = {};
  for (const s of stats)
    if (s.live > 0 && s.split !== 'test' && s.split !== 'pool')
      cells[JSON.stringify([s.split, s.language, s.label])] = s;
  const tx = db.transaction(STORES.samples);
  const read = await Promise.all(
    Object.values(cells).map((s) =>
      // Removed samples share the index: read a few more, keep the live ones.
      tx.store.index('by-cell').getAll(cellRange(s.taskId, s.split, s.language, s.label), PER_CELL * 2),
    ),
  );
  // In turn across cells, so the first trios come from different labels and languages.
  const live = read.map((rows) => rows.filter((r) => r.deletedAt === null).slice(0, PER_CELL));
  const out: Sample[] = [];
  for (let i = 0; i < PER_CELL; i++) for (const rows of live) if (rows[i]) out.push(rows[i] as Sample);
  return out;
}

const scoredStudent = (run: CompareRun, classifierId?: string) =>
  run.evaluators.some(
    (e) =>
      e.spec.kind === 'student' && e.scores && (classifierId === undefined || e.spec.classifierId === classifierId),
  );

/**
 * The comparison runs the tour's facts need, newest first: read one at a time from the newest
 * (run ids follow their creation time), stopping once the newest run that scored a student is
 * read and the newest classifier's newest score is found, or no older run can hold it (one made
 * before the classifier). Runs hold every prediction: a task's are not all read for the tour.
 */
export async function guideRuns(
  db: Database,
  taskId: string,
  newest: { id: string; createdAt: number } | null,
): Promise<CompareRun[]> {
  const out: CompareRun[] = [];
  let comparison = false;
  let ofNewest = newest === null;
  let cursor = await db.transaction(STORES.evalRuns).store.index('by-task').openCursor(taskId, 'prev');
  while (cursor) {
    const run = cursor.value;
    if (newest && run.createdAt < newest.createdAt) ofNewest = true;
    if (run.kind === 'compare') {
      out.push(run);
      comparison ||= scoredStudent(run);
      if (newest) ofNewest ||= scoredStudent(run, newest.id);
    }
    if (comparison && ofNewest) break;
    cursor = await cursor.continue();
  }
  return out;
}

export class GuideState {
  facts = $state.raw<GuideFacts | null>(null);
  similarity = $state.raw<SimilarityExample | null>(null);
  readonly #task = new TaskFollower(() => void this.refresh());
  /** Changes come in bursts and reads overlap: the facts shown are from the newest read. */
  readonly #order = new NewestWins();

  constructor(private readonly db: Promise<Database>) {}

  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    this.facts = null;
    this.similarity = null;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const ticket = this.#order.ask();
    const db = await this.db;
    const [stats, classifiers] = await Promise.all([
      readStats(db, taskId),
      dataWorker().call('classifierListings', { taskId }),
    ]);
    const compareRuns = await guideRuns(db, taskId, classifiers[0] ?? null);
    const named = classifiers.map((c) => ({ ...c, name: classifierName(c) }));
    // The task is counted from its kept counts; only a few of its texts are read.
    const example = sumStats(stats).generated > 0 ? await firstGenerated(db, taskId) : null;
    const facts = guideFacts(stats, example, named, compareRuns);
    const trios = similarityTrios(await trioCandidates(db, stats), SIMILARITY_TRIOS);
    let similarity: SimilarityExample | null = null;
    if (trios.length) {
      const encoderId = classifiers[0]?.config.encoder?.modelId;
      const hashes = trios.flatMap((t) => [t.a.textHash, t.b.textHash, t.c.textHash]);
      const cached = encoderId ? await getEmbeddings(db, encoderId, hashes) : null;
      const embedded = cached !== null && hashes.every((h) => cached.get(h));
      const vector = (s: Sample) => (embedded ? (cached.get(s.textHash) as Float32Array) : foldedNgrams(s.text));
      const scored = trios.map((t) => ({ ...t, ...similarities([vector(t.a), vector(t.b), vector(t.c)]) }));
      // The example shown is the clearest one; the averages over every trio say what is usual.
      const shown = scored.reduce((x, y) => (y.same - y.different > x.same - x.different ? y : x));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      similarity = {
        features: embedded && encoderId ? encoderId : 'ngram',
        ...shown,
        pairs: scored.length,
        sameMean: mean(scored.map((x) => x.same)),
        differentMean: mean(scored.map((x) => x.different)),
      };
    }
    if (taskId !== this.#task.taskId || !this.#order.show(ticket)) return;
    this.facts = facts;
    this.similarity = similarity;
  }

  dispose(): void {
    this.follow(null);
  }
}
