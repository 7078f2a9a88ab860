/**
 * @file Records that later features fill in (trained classifiers, evaluation runs, jobs,
 * cached embeddings). Their identity fields are fixed here so storage, bundles and the
 * storage panel can handle them now.
 */
import type { SerializedError } from './errors';

export interface ClassifierRecord {
  id: string;
  taskId: string;
  name: string;
  createdAt: number;
  /** Everything else (labels, encoder, weights, metrics) as the training feature defines it. */
  [key: string]: unknown;
}

export interface EvalRunRecord {
  id: string;
  taskId: string;
  createdAt: number;
  [key: string]: unknown;
}

export const JOB_KINDS = ['generate', 'embed', 'train', 'evaluate', 'import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATUSES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRecord {
  id: string;
  taskId: string;
  kind: JobKind;
  status: JobStatus;
  progress: { done: number; total: number };
  /** Whatever the job needs to resume. */
  checkpoint: unknown;
  error: SerializedError | null;
  createdAt: number;
  updatedAt: number;
}

/** One cached embedding: key (encoderId, textHash), shared by every task with that text. */
export interface EmbeddingRecord {
  encoderId: string;
  textHash: string;
  vector: Float32Array;
}
