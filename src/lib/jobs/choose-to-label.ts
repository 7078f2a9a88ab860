/**
 * @file What a person should label next from the task's pool of unlabelled texts (issue 19,
 * human in the loop): the n-gram student is trained on the task's training samples (people's
 * labels weighted as {@link fitWeighted} would without a validation split), scores every pool
 * text, and {@link chooseToLabel} picks the most uncertain ones, kept apart from each other and
 * from texts already labelled from the pool. With fewer than two labels to learn from, the
 * pool is offered in a seeded random order instead.
 */
import { createRng } from '../domain/random';
import { SKIPPED_FLAG, type Sample } from '../domain/sample';
import { chooseToLabel, DEFAULT_SELECTION, exploredCount, HUMAN_WEIGHT, margin } from '../ml/active-learning';
import { calibrate } from '../ml/calibration';
import { foldedNgrams } from '../ml/ngram';
import { trainNgramAnywhere } from '../ml/ngram-label-solver';
import { predictNgram } from '../ml/ngram-student';
import { shuffledIndices } from '../ml/training';
import type { Database } from '../storage/db';
import { labelledFromPool, listSamples } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';
import { AppError } from '../domain/errors';
import { message } from '../i18n/messages';
import { sampleWeightsFor } from './fit-student';

/** Texts a person labels before the student is trained again and chooses anew. */
export const LABELLING_ROUND = 25;

export type ChooseEvent = { stage: 'training' } | { stage: 'scoring'; done: number; total: number };

export interface LabellingProposal {
  /** Pool texts to label, the most useful first. */
  ids: string[];
  /** How they were chosen: by the student's uncertainty, or at random (nothing to learn from yet). */
  basis: 'student' | 'random';
  /**
   * Why each proposed text was chosen (student basis only): the student's two likeliest labels
   * and the margin between them, or drawn at random (a share of each round, decision 018).
   */
  reasons: ({ kind: 'unsure'; between: [string, string]; margin: number } | { kind: 'random' })[];
  /** Pool texts not skipped, before this choice. */
  poolLeft: number;
  /** Pool texts the person skipped (not proposed until they are brought back). */
  skipped: number;
}

/**
 * Chooses the next texts to label.
 * @param count how many (at most what the pool holds)
 */
export async function proposeToLabel(
  db: Database,
  taskId: string,
  count = LABELLING_ROUND,
  onEvent?: (e: ChooseEvent) => void,
  signal?: AbortSignal,
  seed = 1,
): Promise<LabellingProposal> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const labels = task.labels.map((l) => l.name);
  const known = new Set(labels);
  const all = await listSamples(db, taskId);
  const pool = all.filter((s) => s.split === 'pool' && !s.flags.includes(SKIPPED_FLAG));
  const skipped = all.filter((s) => s.split === 'pool').length - pool.length;
  const training = all.filter((s) => (s.split === 'train' || s.split === 'seed') && known.has(s.label));
  const base = { poolLeft: pool.length, skipped };
  if (pool.length === 0) return { ids: [], basis: 'random', reasons: [], ...base };
  if (new Set(training.map((s) => s.label)).size < 2) {
    const order = shuffledIndices(pool.length, createRng(seed));
    return {
      ids: Array.from(order.subarray(0, Math.min(count, pool.length)), (i) => (pool[i] as Sample).id),
      basis: 'random',
      reasons: [],
      ...base,
    };
  }
  onEvent?.({ stage: 'training' });
  const weights = sampleWeightsFor(training, HUMAN_WEIGHT);
  // A large task's labels are solved on the training worker's solver workers (decision 025).
  const { model } = await trainNgramAnywhere(
    training.map((s) => s.text),
    training.map((s) => s.label),
    labels,
    { seed, ...(signal ? { signal } : {}), ...(weights ? { sampleWeights: weights } : {}) },
  );
  const probabilities: Float64Array[] = [];
  for (const [i, s] of pool.entries()) {
    if (i % 500 === 0) {
      if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
      onEvent?.({ stage: 'scoring', done: i, total: pool.length });
      // A turn for the worker's message loop (a cancel) between chunks.
      await new Promise((r) => setTimeout(r, 0));
    }
    probabilities.push(calibrate(predictNgram(model, s.text), model.calibration));
  }
  onEvent?.({ stage: 'scoring', done: pool.length, total: pool.length });
  const labelledBefore = all.filter(labelledFromPool);
  // Only the candidates need vectors: the `candidates ×` most uncertain texts, and the texts
  // drawn at random (from the whole pool, with a seed that moves on as texts are labelled).
  const rng = createRng(seed * 7919 + labelledBefore.length);
  const explored = exploredCount(Math.min(count, pool.length), DEFAULT_SELECTION);
  const randomIds = new Set(Array.from(shuffledIndices(pool.length, rng).subarray(0, explored)));
  const shortlist = probabilities
    .map((p, i) => ({ i, m: margin(p) }))
    .filter((x) => !randomIds.has(x.i))
    .sort((a, b) => a.m - b.m || a.i - b.i)
    .slice(0, Math.max(count, count * DEFAULT_SELECTION.candidates))
    .map((x) => x.i);
  // The student's choice (kept apart from the random texts too), then the random texts.
  const chosen = [
    ...chooseToLabel(
      shortlist.map((i) => probabilities[i] as Float64Array),
      shortlist.map((i) => foldedNgrams((pool[i] as Sample).text)),
      [...labelledBefore, ...[...randomIds].map((i) => pool[i] as Sample)].map((s) => foldedNgrams(s.text)),
      Math.min(count, pool.length) - explored,
      { ...DEFAULT_SELECTION, explore: 0 },
    ).map((j) => shortlist[j] as number),
    ...randomIds,
  ];
  return {
    ids: chosen.map((i) => (pool[i] as Sample).id),
    basis: 'student',
    reasons: chosen.map((i) => {
      if (randomIds.has(i)) return { kind: 'random' as const };
      const p = probabilities[i] as Float64Array;
      const order = [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number));
      return {
        kind: 'unsure' as const,
        between: [labels[order[0] as number] as string, labels[order[1] as number] as string] as [string, string],
        margin: margin(p),
      };
    }),
    ...base,
  };
}
