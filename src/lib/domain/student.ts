/**
 * @file The student as a stored noun: its kinds, the training configuration that made it, the
 * encoder a head needs, and the classifier file's JSON shape (`ml/classifier-file.ts` writes
 * and reads it; `domain/record-schemas.ts` checks it at every trust boundary).
 */
import type { SampleSource } from './sample';

export const STUDENT_KINDS = ['ngram', 'logreg', 'mlp'] as const;
/** `ngram`: character/word n-grams, no download; `logreg`/`mlp`: a head on an encoder's embeddings. */
export type StudentKind = (typeof STUDENT_KINDS)[number];

/** The encoder a head was trained on: its id, dtype and the prefix its inputs get. */
export interface EncoderRef {
  modelId: string;
  dtype: string;
  prefix: string;
}

export interface TrainingConfig {
  student: StudentKind;
  /** Which samples: synthetic, human, edited (any combination). */
  sources: SampleSource[];
  /** Language codes to train on; empty means all of the task's. */
  languages: string[];
  /** The encoder for logreg/mlp (its id, dtype and input prefix). */
  encoder: EncoderRef | null;
  seed: number;
}

/** One epoch's numbers, for the live loss and accuracy curves. */
export interface EpochReport {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /**
   * How `valLoss` and `valAccuracy` were measured: absent, on training samples held back from
   * learning; `leave-one-out`, estimated for every training sample as if it had been left out
   * (the n-gram student learns from all of them).
   */
  heldOut?: 'leave-one-out';
}

/** Hashed n-gram features: buckets, character n-gram range, word bigrams. */
export interface NgramConfig {
  /** Hash buckets (weights rows). */
  buckets: number;
  /** Character n-gram lengths, inclusive, taken within words with boundary marks. */
  minChar: number;
  maxChar: number;
  /** Word bigrams beside word unigrams. */
  wordBigrams: boolean;
  /**
   * `tfidf`: character n-grams within ` word ` and words in two halves of the buckets, TF-IDF,
   * each half L2-normalized (the student since classifier file version 2). Absent: version 1's
   * log-scaled counts of n-grams within `<word>`, one norm.
   */
  weighting?: 'tfidf';
}

/** A validation split this large calibrates a student instead of what its training held out. */
export const MIN_VALIDATION_TEXTS = 30;

/** Where a student's calibration was fitted. */
export const CALIBRATION_SOURCES = ['validation', 'held-out', 'leave-one-out'] as const;

/**
 * How a student's probabilities are calibrated (decision 016): the log-probabilities times a
 * temperature, then the top label's probability p mapped to σ(a·logit(p) + b), the other labels
 * keeping their ratios (and the top label staying on top).
 */
export interface Calibration {
  temperature: number;
  /** The top label's map; null when there were too few texts to fit one. */
  confidence: { a: number; b: number } | null;
  /**
   * `validation`: the task's validation split; `held-out`: training samples a head held back from
   * learning; `leave-one-out`: the n-gram student's estimate for every training sample.
   */
  fittedOn: (typeof CALIBRATION_SOURCES)[number];
  /** How many texts it was fitted on. */
  texts: number;
}

/** Where the weight of a person's label against a synthetic sample came from. */
export const HUMAN_WEIGHT_SOURCES = ['validation', 'default'] as const;

/**
 * How much each human-labelled sample counted against a synthetic one (issue 19, decision 018):
 * chosen on the task's validation split when it has enough texts, else the default.
 */
export interface HumanWeighting {
  weight: number;
  chosenOn: (typeof HUMAN_WEIGHT_SOURCES)[number];
}

/** What a classifier file says about how its student was trained. */
export interface ClassifierMeta {
  encoder: EncoderRef | null;
  training: {
    samples: number;
    seed: number;
    languages: string[];
    createdAt: string;
    /** Present when it trained on human and synthetic samples together. */
    humanWeight?: HumanWeighting;
  };
  metrics?: Record<string, number>;
}

export const CLASSIFIER_FORMAT = 'polyclass-classifier';
/** 2: the n-gram student became TF-IDF with an SVM (`ngram.weighting`, `weights.idf`, `temperature`). */
export const CLASSIFIER_VERSION = 2;

interface ClassifierFileBase extends ClassifierMeta {
  format: typeof CLASSIFIER_FORMAT;
  version: number;
  labels: string[];
  /** Absent in files made before calibration (their probabilities are used as they come). */
  calibration?: Calibration;
}

/**
 * The n-gram student: the hash buckets it has weights for (ascending), their weights per label
 * and, for TF-IDF features (`ngram.weighting`), each bucket's inverse document frequency and the
 * softmax temperature (base64 little-endian throughout).
 */
export interface NgramClassifierFile extends ClassifierFileBase {
  student: 'ngram';
  ngram: NgramConfig;
  weights: { rows: string; values: string; bias: string; idf?: string };
  temperature?: number;
}

/** A head on embeddings: logistic regression (`hidden` 0) or a one-hidden-layer MLP. */
export interface DenseClassifierFile extends ClassifierFileBase {
  student: 'logreg' | 'mlp';
  inputDim: number;
  hidden: number;
  weights: { w1: string; b1: string; w2: string; b2: string };
}

/** The classifier file as JSON: what the app exports, the CLI writes and a record keeps. */
export type ClassifierFile = NgramClassifierFile | DenseClassifierFile;

/** The data a student was trained on. */
export interface TrainedOn {
  samples: number;
  bySource: Record<string, number>;
  languages: string[];
}
