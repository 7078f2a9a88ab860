/**
 * @file Evaluation runs: every evaluator of a task (trained students, the LLM zero-shot, the LLM
 * with synthetic in-context examples) on one snapshot of the task's human test set, with the
 * predictions of each (so every number can be recomputed from an export), their scores, and the
 * facts the compare view's headline states (its sentence: `words/evaluation.ts`).
 */
import type { SampleSource } from './sample';
import type { ExampleSelection, InvalidAnswer } from './llm-classify';
import type { EvaluationScores, Interval } from './metrics';
import type { GeneratorSpec } from './model-spec';
import type { StudentKind, TrainedOn, TrainingConfig } from './student';
import type { Task } from './task';
import { hashString } from './text-hash';

/**
 * What to evaluate. An LLM with `examplesPerLabel` 0 is the zero-shot classifier; `answers` is a
 * file of answers from a system outside the app ({@link AnswerSet}).
 */
export type EvaluatorSpec =
  | { kind: 'student'; classifierId: string }
  | { kind: 'llm'; generator: GeneratorSpec; examplesPerLabel: number; selection: ExampleSelection }
  | { kind: 'answers'; answerSetId: string };

/** One test text, copied into the run so the run stays readable if the dataset changes. */
export interface TestItem {
  sampleId: string;
  text: string;
  label: string;
  language: string;
}

export type { TrainedOn } from './student';

export interface EvaluatorResult {
  /** Unique within the run. */
  key: string;
  /**
   * The name in the UI language of the day the run was made: "n-gram student", "LLM zero-shot
   * (Qwen2.5-0.5B-Instruct-q4f16_1-MLC)". Shown only for runs made before `student` was kept;
   * {@link evaluatorName} says it in today's language.
   */
  name: string;
  spec: EvaluatorSpec;
  /** A student evaluator's kind and encoder, for its name in any language. */
  student?: { kind: StudentKind; encoderId: string | null };
  trainedOn: TrainedOn | null;
  /** Bytes of the model files (a student's head; an LLM's download where known), or null. */
  sizeBytes: number | null;
  /** One per test item, in item order; null: an invalid answer (counted wrong). Filled up to `done`. */
  predictions: (string | null)[];
  /**
   * A student's probability of the label it predicted, per item (as `predictions`), for its
   * calibration; absent for LLMs, imported answers and runs made before it was kept.
   */
  confidences?: number[];
  done: number;
  /** Milliseconds spent predicting the first `done` items (model loading excluded). */
  latencyMs: number;
  /** The first invalid answers, as the model wrote them (for the user to see why). */
  invalidAnswers: { index: number; answer: string; reason: InvalidAnswer | string }[];
  status: 'pending' | 'done' | 'failed';
  error: string | null;
  scores: EvaluationScores | null;
}

/** Identity of a stored evaluation run. */
interface RunBase {
  id: string;
  taskId: string;
  createdAt: number;
}

export interface CompareRun extends RunBase {
  kind: 'compare';
  /** Seed of the in-context example choice (the bootstrap is seeded by the test set: {@link bootstrapSeedOf}). */
  seed: number;
  labels: string[];
  items: TestItem[];
  evaluators: EvaluatorResult[];
  /** Version of the classification prompt (domain/llm-classify.ts). */
  templateVersion: number;
  finishedAt: number | null;
}

/** One row of an answer file: the test text it answers (by id and/or text) and the answer as written. */
export interface AnswerRow {
  id: string | null;
  text: string | null;
  answer: string;
}

/**
 * Answers a system outside the app gave for the task's test texts (an API LLM, a fine-tuned
 * model), imported from a file: an evaluator like any other (domain/answers.ts). Kept with the
 * evaluation runs, so bundles, undo and task deletion treat it as one.
 */
export interface AnswerSet extends RunBase {
  kind: 'answers';
  /** What the user calls the system ("GPT-4 zero-shot"). */
  name: string;
  /** The file the answers came from. */
  fileName: string;
  /** Where the answers come from, when the app ships them (the demo's). */
  attribution?: string;
  rows: AnswerRow[];
}

export interface LearningCurvePoint {
  fraction: number;
  samples: number;
  accuracy: number;
  macroF1: number;
  macroF1Interval: Interval;
  perLanguage: Record<string, number>;
}

/** Which training samples a compared curve learnt from (issue 19: synthetic only, human only, both). */
export const CURVE_SOURCES = ['synthetic', 'human', 'both'] as const;
export type CurveSource = (typeof CURVE_SOURCES)[number];

/** The samples each compared student or curve trains on (edited synthetic samples count as synthetic). */
export const CURVE_SAMPLE_SOURCES: Record<CurveSource, SampleSource[]> = {
  synthetic: ['synthetic', 'edited'],
  human: ['human'],
  both: ['synthetic', 'edited', 'human'],
};

/** The same student trained on growing shares of its data, each scored on the test set. */
export interface LearningCurveRun extends RunBase {
  kind: 'learning-curve';
  config: TrainingConfig;
  testItems: number;
  points: LearningCurvePoint[];
  /**
   * When the run compared training data: one curve each for synthetic samples only, people's
   * labels only and both (weighted), over the same shares; `points` is then the `both` curve.
   */
  series?: { sources: CurveSource; points: LearningCurvePoint[] }[];
}

/** Invalid answers kept per evaluator. */
export const INVALID_ANSWERS_KEPT = 50;

/**
 * The bootstrap's seed for a test set, from its content (texts, labels, languages): the same
 * predictions on the same test texts get the same interval in every run, and every evaluator
 * of a run is resampled alike (a paired comparison).
 */
export function bootstrapSeedOf(items: readonly Pick<TestItem, 'text' | 'label' | 'language'>[]): number {
  const content = items.map((it) => `${it.language}\t${it.label}\t${it.text}`).join('\n');
  return Number.parseInt(hashString(content).slice(-8), 16);
}

/** A cell (language × label) with fewer test items than this gives scores too noisy to trust. */
export const SMALL_CELL = 10;

export interface TestSetSummary {
  total: number;
  /** counts[language][label] */
  counts: Record<string, Record<string, number>>;
  /** Cells under {@link SMALL_CELL} items, empty ones included. */
  small: { language: string; label: string; count: number }[];
}

/** Counts per language × label of a test set, and the cells too small to trust. */
export function summarizeTestSet(
  task: Pick<Task, 'languages' | 'labels'>,
  items: readonly Pick<TestItem, 'label' | 'language'>[],
): TestSetSummary {
  const counts: Record<string, Record<string, number>> = {};
  for (const lang of task.languages)
    counts[lang.code] = Object.fromEntries(task.labels.map((l) => [l.name, 0])) as Record<string, number>;
  for (const it of items) {
    const row = (counts[it.language] ??= {});
    row[it.label] = (row[it.label] ?? 0) + 1;
  }
  const small: TestSetSummary['small'] = [];
  for (const [language, row] of Object.entries(counts))
    for (const [label, count] of Object.entries(row)) if (count < SMALL_CELL) small.push({ language, label, count });
  return { total: items.length, counts, small };
}

const overlaps = (a: Interval, b: Interval) => a.low <= b.high && b.low <= a.high;

/** What a comparison's headline says: the best student against the LLM, overall and where the gap is widest. */
export interface HeadlineFacts {
  student: EvaluatorResult;
  llm: EvaluatorResult;
  /** Student's macro-F1 minus the LLM's (0–1). */
  diff: number;
  /** The language where the gap is widest (when more than one is compared), its gap signed as `diff`. */
  widest: { language: string; gap: number } | null;
  /** Whether the two macro-F1 intervals overlap (the difference may be chance). */
  overlap: boolean;
}

/**
 * The facts of a comparison's headline, from the numbers: the best student against the best
 * LLM zero-shot or imported answers (or the best LLM evaluator when there is neither), overall
 * and in the language where the gap is widest. Null until both sides have scores.
 */
export function headlineFacts(run: CompareRun): HeadlineFacts | null {
  const scored = run.evaluators.filter((e) => e.status === 'done' && e.scores);
  const students = scored.filter((e) => e.spec.kind === 'student');
  // The LLM side: the app's LLM evaluators, or answers imported from a system outside it.
  const llms = scored.filter((e) => e.spec.kind === 'llm' || e.spec.kind === 'answers');
  if (!students.length || !llms.length) return null;
  const best = (list: EvaluatorResult[]) =>
    list.reduce((a, b) => ((b.scores as EvaluationScores).macroF1 > (a.scores as EvaluationScores).macroF1 ? b : a));
  const student = best(students);
  const zeroShot = llms.filter(
    (e) => (e.spec.kind === 'llm' && e.spec.examplesPerLabel === 0) || e.spec.kind === 'answers',
  );
  const llm = best(zeroShot.length ? zeroShot : llms);
  const s = student.scores as EvaluationScores;
  const l = llm.scores as EvaluationScores;
  const gaps = Object.keys(s.perLanguage)
    .filter((language) => l.perLanguage[language])
    .map((language) => ({
      language,
      gap: (s.perLanguage[language]?.macroF1 ?? 0) - (l.perLanguage[language]?.macroF1 ?? 0),
    }));
  return {
    student,
    llm,
    diff: s.macroF1 - l.macroF1,
    widest: gaps.length > 1 ? gaps.reduce((a, b) => (Math.abs(b.gap) > Math.abs(a.gap) ? b : a)) : null,
    overlap: overlaps(s.macroF1Interval, l.macroF1Interval),
  };
}
