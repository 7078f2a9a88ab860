/**
 * @file A labelled text: synthetic (written by an LLM), human (imported or typed) or edited.
 */

export const SPLITS = ['train', 'validation', 'test', 'seed', 'pool'] as const;
/**
 * `seed`: human-written demonstrations that generation prompts use. `pool`: real texts nobody
 * has labelled yet (label {@link UNLABELLED}); nothing trains on them, checks or evaluates them
 * until a person labels one, which moves it to `train` (issue 19, decision 018).
 */
export type Split = (typeof SPLITS)[number];

export const SOURCES = ['synthetic', 'human', 'edited'] as const;
export type SampleSource = (typeof SOURCES)[number];

export interface Sample {
  id: string;
  taskId: string;
  text: string;
  /** A label name of the task; {@link UNLABELLED} in the `pool` split, and only there. */
  label: string;
  /** A language code of the task. */
  language: string;
  split: Split;
  source: SampleSource;
  /** The generation job that wrote it (synthetic samples), else null. */
  jobId: string | null;
  /** Quality flags set by filters and diagnostics (e.g. `near-duplicate`). */
  flags: string[];
  /** Hash of the normalized text (see text-hash.ts), for duplicate detection. */
  textHash: string;
  createdAt: number;
  updatedAt: number;
  /** Set when deleted from the dataset view, or when a quality filter rejected it; restorable. */
  deletedAt: number | null;
  /**
   * How a synthetic sample was made (generator, strategy, template version, temperature, hint,
   * rejection reason); absent for other samples.
   */
  meta?: Record<string, string>;
}

/** Fields a caller provides; the repository adds id, hash and timestamps. */
export type NewSample = Pick<Sample, 'taskId' | 'text' | 'label' | 'language' | 'split' | 'source'> &
  Partial<Pick<Sample, 'jobId' | 'flags' | 'meta' | 'deletedAt'>>;

/** Flag on samples a quality filter rejected (they are stored deleted, and can be restored). */
export const REJECTED_FLAG = 'rejected';

/** Flag the label check sets on a sample whose label the other samples disagree with. */
export const LABEL_SUSPECT_FLAG = 'label-suspect';
/** Flag the label check sets on a sample with a near-identical twin under another label. */
export const CROSS_LABEL_DUPLICATE_FLAG = 'cross-label-duplicate';

/** Flags the label check sets (and clears on its next run). */
export const CHECK_FLAGS = [LABEL_SUSPECT_FLAG, CROSS_LABEL_DUPLICATE_FLAG] as const;
export type CheckFlag = (typeof CHECK_FLAGS)[number];
export const isCheckFlag = (flag: string): flag is CheckFlag => (CHECK_FLAGS as readonly string[]).includes(flag);

/** Longest text we accept: longer ones are almost always a parsing accident (a whole file in one cell). */
export const MAX_TEXT_LENGTH = 10_000;

/** The label of a text in the `pool` split: none yet. */
export const UNLABELLED = '';

/** Flag on a pool text the person skipped while labelling: not proposed again until they ask. */
export const SKIPPED_FLAG = 'skipped';

/** `meta.labelledFrom` of a text a person labelled from the pool: when, as a timestamp. */
export const LABELLED_FROM_POOL = 'labelledFromPool';
