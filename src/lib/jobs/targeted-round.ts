/**
 * @file Confusion-driven generation, the worker's half: find where a trained student is
 * confused (on the task's validation split, or out of fold on its training data when that split
 * is too small), and, once a targeted generation job has written hard cases for those cells,
 * train the same student again and compare the affected cells before and after on the same
 * basis. The test split is never read here: choosing cells on test texts and then reporting
 * on them would leak the test set into generation (decision 013).
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { affectedCells, cellF1, confusedCells, type ConfusionTarget, type Prediction } from '../domain/confusion';
import { AppError } from '../domain/errors';
import type { ClassifierRecord } from '../domain/records';
import type { Sample } from '../domain/sample';
import type { ConfusionBasis, RoundComparison } from '../domain/generation';
import type { EncoderRef } from '../domain/student';
import { openStudent, predictLabels } from '../ml/student';
import { argmax } from '../ml/training';
import type { Database } from '../storage/db';
import { getJob, samplesOfJob } from '../storage/jobs-store';
import { classifiersRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';
import { type LabelCheckEvent } from './label-check';
import { trainClassifier } from './training-job';
import { trainingSamples, validationSamples, type TrainingEvent } from './fit-student';
import { featuresOf, outOfFold } from './features';

export interface ConfusionReport {
  classifierId: string;
  basis: ConfusionBasis;
  /** Texts the predictions cover. */
  items: number;
  targets: ConfusionTarget[];
}

export type RoundEvent = LabelCheckEvent | TrainingEvent;

export interface RoundDeps {
  /** Loads the encoder a head needs. */
  encoderFor: (ref: EncoderRef) => Promise<Encoder>;
  onEvent?: (e: RoundEvent) => void;
  signal?: AbortSignal;
}

/** Predictions of a stored student on texts. */
async function predictWith(record: ClassifierRecord, samples: readonly Sample[], deps: RoundDeps) {
  const predicted = await predictLabels(
    openStudent(record.file, deps.encoderFor),
    samples.map((s) => s.text),
    deps.signal,
  );
  return samples.map((s, i): Prediction => ({
    truth: s.label,
    predicted: predicted[i] as string,
    language: s.language,
  }));
}

/**
 * Out-of-fold predictions on training samples, on the student's features (its encoder's
 * embeddings, or folded n-grams for the n-gram student) with a linear head: once with no
 * extra training data, and once more when `extra` (the targeted samples, only ever trained
 * on) is given. Features are computed once for both.
 */
async function crossValidated(
  db: Database,
  record: ClassifierRecord,
  samples: readonly Sample[],
  labels: readonly string[],
  deps: RoundDeps,
  extra: readonly Sample[] | null = null,
): Promise<{ without: Prediction[]; with: Prediction[] | null }> {
  const encoder = record.config.encoder ? await deps.encoderFor(record.config.encoder) : null;
  const xs = await featuresOf(db, [...samples, ...(extra ?? [])], encoder, deps.onEvent, deps.signal);
  const own = xs.slice(0, samples.length);
  const ys = samples.map((s) => s.label);
  const predictions = (probs: Float64Array[]) =>
    samples.map((s, i) => ({
      truth: s.label,
      predicted: labels[argmax(probs[i] as Float64Array)] as string,
      language: s.language,
    }));
  const without = predictions(await outOfFold(own, ys, labels, deps.onEvent, deps.signal));
  if (!extra) return { without, with: null };
  const added = { xs: xs.slice(samples.length), ys: extra.map((s) => s.label) };
  return { without, with: predictions(await outOfFold(own, ys, labels, deps.onEvent, deps.signal, added)) };
}

/** A stored classifier (with the training configuration a round repeats). */
async function loadClassifier(db: Database, id: string): Promise<ClassifierRecord> {
  const record = await classifiersRepo.get(db, id);
  if (!record) throw new AppError('internal', message('err.classifierMissing'));
  return record;
}

/** Fewer validation texts than this per label, and the split says too little: cross-validate instead. */
const MIN_VALIDATION_PER_LABEL = 2;

/** Where a student is confused, worst cells first. */
export async function findConfusions(
  db: Database,
  classifierId: string,
  deps: RoundDeps,
  max = 3,
): Promise<ConfusionReport> {
  const record = await loadClassifier(db, classifierId);
  const task = await getTask(db, record.taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const labels = task.labels.map((l) => l.name);
  const held = await validationSamples(db, task.id, labels, { languages: [] });
  const basis: ConfusionBasis = held.length >= MIN_VALIDATION_PER_LABEL * labels.length ? 'validation' : 'cv';
  const predictions =
    basis === 'validation'
      ? await predictWith(record, held, deps)
      : (await crossValidated(db, record, await trainingSamples(db, task.id, record.config), labels, deps)).without;
  return {
    classifierId,
    basis,
    items: predictions.length,
    targets: confusedCells(predictions, labels, { max }),
  };
}

/**
 * Trains the student of `classifierId` again (its configuration, now with the targeted job's
 * samples) and compares the cells the job targeted, and the labels they were confused with.
 * @param basis as {@link findConfusions} reported (`test`, from an earlier version, is compared by cross-validation)
 */
export async function compareRound(
  db: Database,
  classifierId: string,
  jobId: string,
  reported: ConfusionBasis,
  deps: RoundDeps,
): Promise<RoundComparison> {
  const basis = reported === 'validation' ? 'validation' : 'cv';
  const before = await loadClassifier(db, classifierId);
  const job = await getJob(db, jobId, 'generate');
  const targets = job?.checkpoint.config.targets;
  if (!job || !targets) throw new AppError('internal', message('err.genJobGone'));
  const task = await getTask(db, before.taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const labels = task.labels.map((l) => l.name);
  const added = (await samplesOfJob(db, task.id, jobId)).filter((s) => s.deletedAt === null);
  if (added.length === 0) throw new AppError('invalid-file', message('err.roundNothing'));
  const encoder = before.config.encoder ? await deps.encoderFor(before.config.encoder) : null;
  const { record: after } = await trainClassifier(db, task.id, before.config, encoder, deps.onEvent, deps.signal);
  const cells = affectedCells(targets);
  let beforePredictions: Prediction[];
  let afterPredictions: Prediction[];
  if (basis === 'validation') {
    const held = await validationSamples(db, task.id, labels, { languages: [] });
    beforePredictions = await predictWith(before, held, deps);
    afterPredictions = await predictWith(after, held, deps);
  } else {
    // The same folds over the samples the first student had; the new ones only ever train.
    const ids = new Set(added.map((s) => s.id));
    const original = (await trainingSamples(db, task.id, before.config)).filter((s) => !ids.has(s.id));
    const cv = await crossValidated(db, before, original, labels, deps, added);
    beforePredictions = cv.without;
    afterPredictions = cv.with ?? cv.without;
  }
  const b = cellF1(beforePredictions, labels, cells);
  const a = cellF1(afterPredictions, labels, cells);
  return {
    basis,
    afterId: after.id,
    cells: cells.map((c, i) => ({ ...c, before: b.f1[i] as number, after: a.f1[i] as number })),
    macroBefore: b.macro,
    macroAfter: a.macro,
    added: added.length,
  };
}
