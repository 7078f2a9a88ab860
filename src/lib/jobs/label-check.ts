/**
 * @file The label check: runs the label-quality diagnostics on a task's live training samples
 * (train, seed and validation splits; test data is never touched), on an encoder's embeddings
 * (through the cache: texts embedded for training are not embedded again) or, with no download,
 * on folded n-gram features. Findings name sample ids and are recorded on the samples as flags.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import { CROSS_LABEL_DUPLICATE_FLAG, LABEL_SUSPECT_FLAG, type Sample } from '../domain/sample';
import {
  crossLabelDuplicates,
  labelOverlap,
  scoreMislabels,
  suspectedMislabels,
  thinLanguages,
} from '../ml/label-diagnostics';
import { nextTask } from '../ml/training';
import type { Database } from '../storage/db';
import { listSamples, setCheckFlags } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';
import { FOLDS, featuresOf, ngramOutOfFold, outOfFold, type FeatureEvent } from './features';

export type LabelCheckEvent = FeatureEvent;

export interface LabelCheckReport {
  taskId: string;
  /** `ngram` or the encoder's model id. */
  features: string;
  samples: number;
  /** Likely mislabelled, most likely first. */
  mislabelled: { id: string; given: string; suggested: string; pGiven: number; pSuggested: number }[];
  /** Near-identical texts under different labels, most similar first. */
  duplicates: { a: string; b: string; similarity: number }[];
  /** Label pairs by centroid similarity, most overlapping first. */
  overlap: { a: string; b: string; similarity: number }[];
  thinLanguages: { language: string; count: number; meanLength: number; fewer: boolean; shorter: boolean }[];
  /** Samples whose flags changed. */
  flagged: number;
}

/** Similarity at which two texts under different labels count as the same text. */
const DUPLICATE_SIMILARITY = { ngram: 0.9, encoder: 0.97 };
/** Most mislabel findings reported (the most likely): a long tail is noise to a reader. */
const MAX_MISLABELLED = 200;

/** The samples a label check looks at: live, labelled with one of the task's labels, not test. */
export async function checkedSamples(db: Database, taskId: string, labels: readonly string[]): Promise<Sample[]> {
  const known = new Set(labels);
  return (await listSamples(db, taskId)).filter((s) => s.split !== 'test' && known.has(s.label));
}

/**
 * Runs the label check and records its findings on the samples.
 * @param encoder the loaded encoder, or null for n-gram features
 */
export async function runLabelCheck(
  db: Database,
  taskId: string,
  encoder: Encoder | null,
  onEvent?: (e: LabelCheckEvent) => void,
  signal?: AbortSignal,
): Promise<LabelCheckReport> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const labels = task.labels.map((l) => l.name);
  const samples = await checkedSamples(db, taskId, labels);
  const present = new Set(samples.map((s) => s.label));
  if (present.size < 2) throw new AppError('invalid-file', message('err.checkTwoLabels'));
  if (samples.length < FOLDS * 2) throw new AppError('invalid-file', message('err.checkFew', { min: FOLDS * 2 }));
  const stopped = () => {
    if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
  };
  const xs = await featuresOf(db, samples, encoder, onEvent, signal);
  const ys = samples.map((s) => s.label);
  // Without an embedding model, the n-gram student trained on the texts is the held-out model
  // (far stronger than a head on folded n-gram vectors); the folded vectors still serve the
  // duplicate and overlap findings.
  const probs = encoder
    ? await outOfFold(xs, ys, labels, onEvent, signal)
    : await ngramOutOfFold(
        samples.map((s) => s.text),
        ys,
        labels,
        onEvent,
        signal,
      );
  const mislabelled = suspectedMislabels(scoreMislabels(probs, ys, labels))
    .slice(0, MAX_MISLABELLED)
    .map((c) => ({
      id: (samples[c.index] as Sample).id,
      given: c.given,
      suggested: c.suggested,
      pGiven: c.pGiven,
      pSuggested: c.pSuggested,
    }));
  await nextTask();
  stopped();
  const duplicates = crossLabelDuplicates(xs, ys, DUPLICATE_SIMILARITY[encoder ? 'encoder' : 'ngram']).map((d) => ({
    a: (samples[d.a] as Sample).id,
    b: (samples[d.b] as Sample).id,
    similarity: d.similarity,
  }));
  stopped();
  const flagged = await setCheckFlags(
    db,
    taskId,
    new Map([
      [LABEL_SUSPECT_FLAG, new Set(mislabelled.map((m) => m.id))],
      [CROSS_LABEL_DUPLICATE_FLAG, new Set(duplicates.flatMap((d) => [d.a, d.b]))],
    ]),
  );
  return {
    taskId,
    features: encoder ? encoder.id : 'ngram',
    samples: samples.length,
    mislabelled,
    duplicates,
    overlap: labelOverlap(xs, ys, labels),
    thinLanguages: thinLanguages(
      samples,
      task.languages.map((l) => l.code),
    ),
    flagged,
  };
}
