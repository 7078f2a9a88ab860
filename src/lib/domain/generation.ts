/**
 * @file A generation job as stored: its configuration, its checkpoint (what a resume needs),
 * and, for a targeted job, the confusion-driven round it belongs to.
 */
import { DEFAULT_FILTERS, type FilterConfig } from './filters';
import type { GeneratorSpec } from './model-spec';
import { DEFAULT_STRATEGY, type Strategy } from './prompts';

/** A cell a targeted job fills, and the label the student confuses it with. */
export interface GenerationTarget {
  label: string;
  language: string;
  confusedWith: string;
}

/**
 * Where a round's predictions come from: the task's validation split, or cross-validation on the
 * training data. Never the test split: test texts only ever evaluate (decision 013). `test` is
 * what rounds of earlier versions stored; such a round is compared by cross-validation.
 */
export type ConfusionBasis = 'validation' | 'cv' | 'test';

export interface RoundComparison {
  basis: ConfusionBasis;
  /** The student trained again, with the targeted samples. */
  afterId: string;
  /** Each affected cell's F1 before and after. */
  cells: { label: string; language: string; before: number; after: number }[];
  macroBefore: number;
  macroAfter: number;
  /** Targeted samples the new student learned from. */
  added: number;
}

/**
 * A round as its targeted job keeps it (in the job's config), so a reload finds it again: the
 * student it targets, the basis of its numbers, the comparison once made, and the user's
 * decision once taken.
 */
export interface RoundRecord {
  classifierId: string;
  basis: ConfusionBasis;
  comparison?: RoundComparison;
  settled?: 'kept' | 'discarded';
}

export interface GenerationConfig {
  /** Accepted samples wanted per label × language. */
  perCell: number;
  /** Texts asked for per call. */
  perCall: number;
  strategy: Strategy;
  temperature: number;
  topP: number;
  repetitionPenalty: number;
  maxTokens: number;
  filters: FilterConfig;
  /** Seed of every random choice (demonstrations, hints, sampling). */
  seed: number;
  generator: GeneratorSpec;
  /**
   * A targeted job (confusion-driven): only these cells are filled, `perCell` each, with hard
   * cases that mention what is typical of the label the student confuses them with.
   */
  targets?: GenerationTarget[];
  /** The confusion-driven round a targeted job belongs to (jobs/targeted-round.ts). */
  round?: RoundRecord;
}

/** Sampling settings of the seed recipe: temperature 0.4, top-p 0.9, repetition penalty 1.2. */
export const DEFAULT_GENERATION: Omit<GenerationConfig, 'generator'> = {
  perCell: 20,
  perCall: 5,
  strategy: DEFAULT_STRATEGY,
  temperature: 0.4,
  topP: 0.9,
  repetitionPenalty: 1.2,
  maxTokens: 512,
  filters: DEFAULT_FILTERS,
  seed: 1,
};

export interface GenerationCheckpoint {
  config: GenerationConfig;
  /** Calls made so far: the random choices of call n use seed + n, so a resume repeats none. */
  calls: number;
  /** Calls made per cell (a recorded generator skips the answers they used). */
  callsByCell: Record<string, number>;
  /** Calls in a row per cell that yielded nothing. */
  fruitless: Record<string, number>;
  completionTokens: number;
  /** Milliseconds spent generating (for rates and ETA across resumes). */
  activeMs: number;
}

/** An evaluation job's checkpoint: the compare run it fills (the run holds the progress). */
export interface EvaluationCheckpoint {
  runId: string;
}
