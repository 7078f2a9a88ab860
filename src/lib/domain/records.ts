/**
 * @file The records polyclass stores beside tasks and samples: trained classifiers, evaluation
 * runs, jobs and cached embeddings. Every field is typed here; what comes from outside (a
 * bundle, a classifier file) is checked against `record-schemas.ts` before it becomes one.
 */
import type { SerializedError } from './errors';
import type { AnswerSet, CompareRun, LearningCurveRun } from './evaluation';
import type { EvaluationCheckpoint, GenerationCheckpoint } from './generation';
import type {
  ClassifierFile,
  DenseClassifierFile,
  EpochReport,
  NgramClassifierFile,
  StudentKind,
  TrainedOn,
  TrainingConfig,
} from './student';

/** A trained student, as the training job stores it. */
export interface ClassifierRecord {
  id: string;
  taskId: string;
  /** Written once, in English, when trained ("n-gram · 120 samples (100 synthetic, 20 human)"), for files; screens show `words/evaluation.ts` `classifierName`, made in the UI language. */
  name: string;
  createdAt: number;
  student: StudentKind;
  /** The configuration it was trained with (a targeted round trains it again from this). */
  config: TrainingConfig;
  /** The classifier file (what the app exports). */
  file: ClassifierFile;
  /** The training curve, one report per epoch. */
  curve: EpochReport[];
  summary: TrainedOn;
}

/**
 * A classifier as the page lists it: the record with its file's weights left out (megabytes for
 * an n-gram student). Lists are read in the data worker and sent without them; whatever needs
 * the weights (downloads, the standalone page, undo of a deletion) reads the record by id.
 */
export type ClassifierListing = Omit<ClassifierRecord, 'file'> & {
  file: Omit<NgramClassifierFile, 'weights'> | Omit<DenseClassifierFile, 'weights'>;
};

/** The listing of a classifier record (its file without weights). */
export function classifierListing(record: ClassifierRecord): ClassifierListing {
  const { weights: _weights, ...file } = record.file;
  return { ...record, file };
}

/** An evaluation record: every evaluator on one test set, a learning curve, or imported answers. */
export type EvalRunRecord = CompareRun | LearningCurveRun | AnswerSet;

/** Job kinds that exist: generation and evaluation run as resumable jobs. */
export const JOB_KINDS = ['generate', 'evaluate'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

interface JobBase {
  id: string;
  taskId: string;
  status: JobStatus;
  progress: { done: number; total: number };
  error: SerializedError | null;
  createdAt: number;
  updatedAt: number;
}

export interface GenerationJobRecord extends JobBase {
  kind: 'generate';
  checkpoint: GenerationCheckpoint;
}

export interface EvaluationJobRecord extends JobBase {
  kind: 'evaluate';
  checkpoint: EvaluationCheckpoint;
}

/** A resumable job; its checkpoint's shape follows its kind. */
export type JobRecord = GenerationJobRecord | EvaluationJobRecord;

/** Narrows a job to one kind (its checkpoint typed accordingly). */
export function isJobOfKind<K extends JobKind>(job: JobRecord, kind: K): job is Extract<JobRecord, { kind: K }> {
  return job.kind === kind;
}

/** One cached embedding: key (encoderId, textHash), shared by every task with that text. */
export interface EmbeddingRecord {
  encoderId: string;
  textHash: string;
  vector: Float32Array;
}
