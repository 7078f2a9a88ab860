/**
 * @file Messages between the page and the training worker (training, classifying, evaluating).
 */
import type { LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import type { JobRecord } from '../domain/records';
import type { EvaluationProgress } from '../jobs/evaluation-job';
import type { LearningCurveProgress } from '../jobs/learning-curve';
import type { LabelCheckEvent, LabelCheckReport } from '../jobs/label-check';
import type { ConfusionReport, RoundEvent } from '../jobs/targeted-round';
import type { TrainingResult } from '../jobs/training-job';
import type { ConfusionBasis, RoundComparison } from '../domain/generation';
import type { EncoderRef, TrainingConfig } from '../domain/student';
import type { LearningCurveRun } from '../domain/evaluation';
import type { TrainingEvent } from '../jobs/fit-student';
import type { ChooseEvent, LabellingProposal } from '../jobs/choose-to-label';

/** The end of a training worker's name when it runs onnxruntime-web's WebGPU build. */
export const TRAINING_WORKER_GPU_SUFFIX = '-gpu';

export type TrainingWorkerEvent = TrainingEvent | { stage: 'loading'; load: LoadProgress };

export type TrainingRequests = {
  train: {
    req: { taskId: string; config: TrainingConfig; source: ModelSource; device: 'wasm' | 'webgpu' };
    res: TrainingResult;
    progress: TrainingWorkerEvent;
  };
  /** Classifies texts with a stored classifier: probabilities in its label order. */
  predict: {
    req: { classifierId: string; texts: string[]; source: ModelSource; device: 'wasm' | 'webgpu' };
    res: { labels: string[]; probabilities: number[][]; ms: number };
    progress: TrainingWorkerEvent;
  };
  /** Classifies every row of a CSV/TSV/JSONL/JSON file; returns a CSV with the predictions added. */
  classifyFile: {
    req: {
      classifierId: string;
      file: Blob;
      name: string;
      textColumn: string | null;
      /** Below this confidence a row's prediction is left empty ("not sure"); 0 answers every row. */
      minConfidence: number;
      source: ModelSource;
      device: 'wasm' | 'webgpu';
    };
    res: { csv: Uint8Array; rows: number; notSure: number; textColumn: string; ms: number };
    progress: { done: number; read: number; total: number };
  };
  /** Runs (or resumes) an evaluation job; cancelling pauses it. */
  evaluate: {
    req: { jobId: string; source: ModelSource; device: 'wasm' | 'webgpu' };
    res: JobRecord;
    progress: EvaluationProgress;
  };
  /** Trains the configured student on growing shares of its data and scores each on the test set. */
  learningCurve: {
    req: {
      taskId: string;
      config: TrainingConfig;
      /** One curve each for synthetic samples only, people's labels only and both. */
      compareSources: boolean;
      source: ModelSource;
      device: 'wasm' | 'webgpu';
    };
    res: LearningCurveRun;
    progress: LearningCurveProgress | TrainingWorkerEvent;
  };
  /** Label-quality check of a task's samples (encoder embeddings, or n-gram features when null). */
  checkLabels: {
    req: { taskId: string; encoder: EncoderRef | null; source: ModelSource; device: 'wasm' | 'webgpu' };
    res: LabelCheckReport;
    progress: LabelCheckEvent | TrainingWorkerEvent;
  };
  /** Where a trained student is confused (on the test set, or cross-validated without one). */
  findConfusions: {
    req: { classifierId: string; source: ModelSource; device: 'wasm' | 'webgpu' };
    res: ConfusionReport;
    progress: RoundEvent | TrainingWorkerEvent;
  };
  /** The pool texts a person should label next (the n-gram student's most uncertain, diverse). */
  proposeToLabel: {
    req: { taskId: string; count: number };
    res: LabellingProposal;
    progress: ChooseEvent;
  };
  /** Trains the student again with a targeted job's samples and compares the affected cells. */
  compareRound: {
    req: {
      classifierId: string;
      jobId: string;
      basis: ConfusionBasis;
      source: ModelSource;
      device: 'wasm' | 'webgpu';
    };
    res: RoundComparison;
    progress: RoundEvent | TrainingWorkerEvent;
  };
};
