/**
 * @file The paper's "how much synthetic data is enough" question: the same student trained on
 * 10/25/50/100% of the training samples (stratified by label × language, seeded) and scored on
 * the human test set, or, compared, one curve each for synthetic samples, people's labels and
 * both. The curve is stored as an evaluation run of kind `learning-curve`.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import { orderedId } from '../domain/ids';
import { scoreEvaluation } from '../domain/metrics';
import { createRng, type Rng } from '../domain/random';
import {
  CURVE_SAMPLE_SOURCES,
  CURVE_SOURCES,
  type CurveSource,
  type LearningCurvePoint,
  type LearningCurveRun,
} from '../domain/evaluation';
import type { TrainingConfig } from '../domain/student';
import type { Sample } from '../domain/sample';
import { predictLabels, studentOf } from '../ml/student';
import type { Database } from '../storage/db';
import { listSamples } from '../storage/samples-repo';
import { evalRunsRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';
import { fitWeighted, trainingSamples, validationSamples } from './fit-student';
import { cachedEmbedder } from './features';

export const LEARNING_CURVE_FRACTIONS = [0.1, 0.25, 0.5, 1] as const;

/**
 * Keeps a share of each label × language cell (at least one sample of a non-empty cell).
 * @param rng seeded generator
 */
export function stratifiedSubset<T extends Pick<Sample, 'label' | 'language'>>(
  samples: readonly T[],
  fraction: number,
  rng: Rng,
): T[] {
  if (fraction >= 1) return [...samples];
  const cells = new Map<string, T[]>();
  for (const s of samples) {
    const key = `${s.label}\u0000${s.language}`;
    cells.set(key, [...(cells.get(key) ?? []), s]);
  }
  const out: T[] = [];
  for (const cell of cells.values()) {
    const order = [...cell];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as T, order[i] as T];
    }
    out.push(...order.slice(0, Math.max(1, Math.round(cell.length * fraction))));
  }
  return out;
}

export interface LearningCurveProgress {
  done: number;
  total: number;
  point: LearningCurvePoint | null;
}

/**
 * Trains one student per fraction and scores each on the test set. With `compareSources`, one
 * curve each for synthetic samples only, people's labels only and both together (people's
 * labels weighted as training does: the weight chosen on the validation split); a curve whose
 * samples have fewer than two labels is left out.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function runLearningCurve(
  db: Database,
  taskId: string,
  config: TrainingConfig,
  encoder: Encoder | null,
  options: {
    fractions?: readonly number[];
    compareSources?: boolean;
    onProgress?: (p: LearningCurveProgress) => void;
    signal?: AbortSignal;
    now?: number;
  } = {},
): Promise<LearningCurveRun> {
  const {
    fractions = LEARNING_CURVE_FRACTIONS,
    compareSources = false,
    onProgress,
    signal,
    now = Date.now(),
  } = options;
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const labels = task.labels.map((l) => l.name);
  const sets: { sources: CurveSource | null; samples: Sample[] }[] = [];
  if (compareSources) {
    for (const sources of CURVE_SOURCES) {
      const samples = await trainingSamples(db, taskId, { ...config, sources: CURVE_SAMPLE_SOURCES[sources] });
      if (new Set(samples.map((s) => s.label)).size >= 2) sets.push({ sources, samples });
    }
    if (sets.length === 0) throw new AppError('invalid-file', message('err.curveTwoLabels'));
  } else {
    const samples = await trainingSamples(db, taskId, config);
    if (new Set(samples.map((s) => s.label)).size < 2)
      throw new AppError('invalid-file', message('err.curveTwoLabels'));
    sets.push({ sources: null, samples });
  }
  const test = await listSamples(db, taskId, { split: 'test' });
  if (test.length === 0) throw new AppError('invalid-file', message('err.noTest'));
  const validation = await validationSamples(db, taskId, labels, config);
  // The test texts go through the embedding cache: embedded once, read back for each fraction.
  const embedder = encoder ? cachedEmbedder(db, encoder) : undefined;
  const total = fractions.length * sets.length;
  onProgress?.({ done: 0, total, point: null });
  const curves: { sources: CurveSource | null; points: LearningCurvePoint[] }[] = [];
  for (const set of sets) {
    const points: LearningCurvePoint[] = [];
    for (const [i, fraction] of fractions.entries()) {
      if (signal?.aborted) throw new AppError('aborted', message('err.curveCancelled'));
      const subset = stratifiedSubset(set.samples, fraction, createRng(config.seed * 7919 + i));
      const { model } = await fitWeighted(db, subset, labels, config, encoder, validation, undefined, signal);
      const student = studentOf(model, config.encoder, embedder && (() => Promise.resolve(embedder)));
      const predicted = await predictLabels(
        student,
        test.map((s) => s.text),
        signal,
      );
      const scores = scoreEvaluation(
        labels,
        test.map((s) => s.label),
        predicted,
        test.map((s) => s.language),
        { seed: config.seed },
      );
      const point: LearningCurvePoint = {
        fraction,
        samples: subset.length,
        accuracy: scores.accuracy,
        macroF1: scores.macroF1,
        macroF1Interval: scores.macroF1Interval,
        perLanguage: Object.fromEntries(Object.entries(scores.perLanguage).map(([l, v]) => [l, v.macroF1])),
      };
      points.push(point);
      onProgress?.({ done: curves.length * fractions.length + i + 1, total, point });
    }
    curves.push({ sources: set.sources, points });
  }
  const main = curves.find((c) => c.sources === 'both') ?? curves.at(-1);
  const run: LearningCurveRun = {
    id: orderedId(now, 2),
    taskId,
    createdAt: now,
    kind: 'learning-curve',
    config,
    testItems: test.length,
    points: main?.points ?? [],
    ...(compareSources
      ? {
          series: curves.flatMap((c) => (c.sources ? [{ sources: c.sources, points: c.points }] : [])),
        }
      : {}),
  };
  await evalRunsRepo.put(db, run);
  return run;
}
