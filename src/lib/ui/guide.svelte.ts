/**
 * @file The guided tour's state: the current task's facts (domain/guide.ts), kept current by
 * the change feed, and the similarity example on the newest student's embeddings when they
 * are cached, else on n-gram features (no download either way).
 */
import type { CompareRun } from '../domain/evaluation';
import { guideFacts, similarities, similarityTrio, type GuideFacts } from '../domain/guide';
import type { Sample } from '../domain/sample';
import { foldedNgrams } from '../ml/ngram';
import type { Database } from '../storage/db';
import { getEmbeddings } from '../storage/embeddings-repo';
import { listSamples } from '../storage/samples-repo';
import { classifiersRepo, evalRunsRepo } from '../storage/task-records-repo';

import { TaskFollower } from './task-follower';
export interface SimilarityExample {
  /** `ngram`, or the embedding model's id. */
  features: string;
  a: Sample;
  b: Sample;
  c: Sample;
  same: number;
  different: number;
}

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
    const facts = guideFacts([...live, ...removed], classifiers, compareRuns);
    const trio = similarityTrio(live.filter((s) => s.split !== 'test'));
    let similarity: SimilarityExample | null = null;
    if (trio) {
      const encoderId = classifiers[0]?.config.encoder?.modelId;
      const cached = encoderId
        ? await getEmbeddings(db, encoderId, [trio.a.textHash, trio.b.textHash, trio.c.textHash])
        : null;
      const embedded = [trio.a, trio.b, trio.c].map((s) => cached?.get(s.textHash));
      const vectors = embedded.every((v) => v)
        ? (embedded as [Float32Array, Float32Array, Float32Array])
        : ([foldedNgrams(trio.a.text), foldedNgrams(trio.b.text), foldedNgrams(trio.c.text)] as const);
      similarity = {
        features: embedded.every((v) => v) && encoderId ? encoderId : 'ngram',
        ...(trio as { a: Sample; b: Sample; c: Sample }),
        ...similarities([vectors[0], vectors[1], vectors[2]]),
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
