/**
 * @file The guided tour's state: the current task's facts (domain/guide.ts), kept current by
 * the change feed, and the similarity example on the newest student's embeddings when they
 * are cached, else on n-gram features (no download either way): the clearest of up to 50 trios
 * from the task's training texts, with the averages over all of them.
 */
import type { CompareRun } from '../domain/evaluation';
import { guideFacts, similarities, similarityTrios, type GuideFacts } from '../domain/guide';
import type { Sample } from '../domain/sample';
import { foldedNgrams } from '../ml/ngram';
import type { Database } from '../storage/db';
import { getEmbeddings } from '../storage/embeddings-repo';
import { listSamples } from '../storage/samples-repo';
import { classifiersRepo, evalRunsRepo } from '../storage/task-records-repo';

import { classifierName } from '../words/evaluation';
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

export class GuideState {
  facts = $state.raw<GuideFacts | null>(null);
  similarity = $state.raw<SimilarityExample | null>(null);
  readonly #task = new TaskFollower(() => void this.refresh());

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
    const db = await this.db;
    const [live, removed, classifiers, runs] = await Promise.all([
      listSamples(db, taskId),
      listSamples(db, taskId, { deleted: true }),
      classifiersRepo.listByTask(db, taskId),
      evalRunsRepo.listByTask(db, taskId),
    ]);
    classifiers.sort((a, b) => b.createdAt - a.createdAt);
    const compareRuns = runs
      .filter((r): r is CompareRun => r.kind === 'compare')
      .sort((a, b) => b.createdAt - a.createdAt);
    const named = classifiers.map((c) => ({ ...c, name: classifierName(c) }));
    const facts = guideFacts([...live, ...removed], named, compareRuns);
    const trios = similarityTrios(
      live.filter((s) => s.split !== 'test' && s.split !== 'pool'),
      SIMILARITY_TRIOS,
    );
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
    if (taskId !== this.#task.taskId) return;
    this.facts = facts;
    this.similarity = similarity;
  }

  dispose(): void {
    this.follow(null);
  }
}
