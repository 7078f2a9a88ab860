/**
 * @file The training job: trains a student on a task's samples (`fit-student.ts`), calibrates
 * it on the task's validation split when there is one, and stores it as a classifier record,
 * named and summarized.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import { orderedId } from '../domain/ids';
import type { ClassifierRecord } from '../domain/records';
import type { TrainingConfig } from '../domain/student';
import { toClassifierFile } from '../ml/classifier-file';
import type { Database } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import {
  calibrateOnValidation,
  fitWeighted,
  trainingSamples,
  validationSamples,
  type TrainingEvent,
} from './fit-student';
import { getTask } from '../storage/tasks-repo';

export interface TrainingResult {
  record: ClassifierRecord;
  embedded: { cached: number; computed: number };
  /** How many threads solved the n-gram student's labels (1: the training worker alone). */
  solvers: number;
}

/**
 * Trains and stores a classifier.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function trainClassifier(
  db: Database,
  taskId: string,
  config: TrainingConfig,
  encoder: Encoder | null,
  onEvent?: (e: TrainingEvent) => void,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<TrainingResult> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const samples = await trainingSamples(db, taskId, config);
  const labels = task.labels.map((l) => l.name);
  const present = new Set(samples.map((s) => s.label));
  if (samples.length === 0) throw new AppError('invalid-file', message('err.noTraining'));
  if (present.size < 2) throw new AppError('invalid-file', message('err.twoLabels'));
  const validation = await validationSamples(db, taskId, labels, config);
  const { model, curve, embedded, humanWeight, solvers } = await fitWeighted(
    db,
    samples,
    labels,
    config,
    encoder,
    validation,
    onEvent,
    signal,
  );
  await calibrateOnValidation(db, model, validation, encoder, signal);
  const languages = [...new Set(samples.map((s) => s.language))];
  const bySource: Record<string, number> = {};
  for (const s of samples) bySource[s.source] = (bySource[s.source] ?? 0) + 1;
  const last = [...curve].reverse().find((r) => r.valAccuracy !== null);
  const file = toClassifierFile(model, {
    encoder: config.encoder,
    training: {
      samples: samples.length,
      seed: config.seed,
      languages,
      createdAt: new Date(now).toISOString(),
      ...(humanWeight ? { humanWeight } : {}),
    },
    ...(last?.valAccuracy != null
      ? {
          metrics:
            last.heldOut === 'leave-one-out'
              ? { leaveOneOutAccuracy: last.valAccuracy }
              : { validationAccuracy: last.valAccuracy },
        }
      : {}),
  });
  const studentName = { ngram: 'n-gram', logreg: 'logistic regression', mlp: 'MLP' }[config.student];
  const record: ClassifierRecord = {
    id: orderedId(now, 0),
    taskId,
    name: `${studentName}${config.encoder ? ` on ${config.encoder.modelId}` : ''} · ${samples.length} samples (${Object.entries(
      bySource,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
    createdAt: now,
    student: config.student,
    config,
    file,
    curve,
    summary: { samples: samples.length, bySource, languages },
  };
  await classifiersRepo.put(db, record);
  return { record, embedded, solvers };
}
