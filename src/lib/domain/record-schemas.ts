/**
 * @file One schema (valibot) per stored record that can come from outside: classifiers (and
 * their classifier file), evaluation runs (compare runs and learning curves). Bundle import,
 * classifier-file reading (browser and CLI) and nothing else turn unknown JSON into these
 * records; every number must be finite, every count a non-negative integer. Each schema is
 * typed against its record, so the two cannot drift apart.
 */
import * as v from 'valibot';
import {
  CURVE_SOURCES,
  type AnswerSet,
  type CompareRun,
  type EvaluatorResult,
  type LearningCurveRun,
} from './evaluation';
import type { EvaluationScores } from './metrics';
import type { GeneratorSpec } from './model-spec';
import type { ClassifierRecord, EvalRunRecord } from './records';
import { SOURCES } from './sample';
import { code } from './schemas';
import { isReservedName } from './names';
import {
  CALIBRATION_SOURCES,
  HUMAN_WEIGHT_SOURCES,
  CLASSIFIER_FORMAT,
  STUDENT_KINDS,
  type ClassifierFile,
  type EncoderRef,
  type EpochReport,
  type TrainedOn,
  type TrainingConfig,
} from './student';

/** Largest label count, hash-bucket count and embedding width a classifier may declare. */
export const CLASSIFIER_LIMITS = { labels: 1000, buckets: 1 << 24, inputDim: 1 << 16, hidden: 1 << 14 } as const;

/** Checks at compile time that a schema's output is the record type, keeping the schema's own type. */
const typed =
  <T>() =>
  <S extends v.GenericSchema<unknown, T>>(schema: S): S =>
    schema;

const finite = v.pipe(v.number(), v.finite(code('finite')));
const count = v.pipe(v.number(), v.integer(code('count')), v.minValue(0, code('count')));
const bounded = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(code('wholeNumber')), v.minValue(min, code('atLeast')), v.maxValue(max, code('atMost')));
const probability = v.pipe(v.number(), v.minValue(0, code('atLeast')), v.maxValue(1, code('atMost')));
const id = v.pipe(v.string(), v.minLength(1, code('empty')), v.maxLength(100, code('tooLong')));
const labelList = v.pipe(
  v.array(
    v.pipe(
      v.string(),
      v.minLength(1, code('empty')),
      v.check((label) => !isReservedName(label), code('reservedName')),
    ),
  ),
  v.minLength(2, code('twoLabels')),
  v.maxLength(CLASSIFIER_LIMITS.labels, code('tooMany')),
  v.check((labels) => new Set(labels).size === labels.length, code('uniqueLabels')),
);
const base64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, code('base64')));

export const EncoderRefSchema: v.GenericSchema<unknown, EncoderRef> = v.object({
  modelId: v.pipe(v.string(), v.minLength(1, code('empty'))),
  dtype: v.string(),
  prefix: v.string(),
});

const fileBase = {
  format: v.literal(CLASSIFIER_FORMAT),
  version: bounded(1, 1000),
  labels: labelList,
  encoder: v.nullable(EncoderRefSchema),
  training: v.object({
    samples: count,
    seed: finite,
    languages: v.array(v.string()),
    createdAt: v.string(),
    humanWeight: v.optional(
      v.object({
        weight: v.pipe(finite, v.minValue(1e-6, code('atLeast'))),
        chosenOn: v.picklist(HUMAN_WEIGHT_SOURCES),
      }),
    ),
  }),
  metrics: v.optional(v.record(v.string(), finite)),
  calibration: v.optional(
    v.object({
      temperature: v.pipe(finite, v.minValue(1e-6, code('atLeast'))),
      confidence: v.nullable(v.object({ a: v.pipe(finite, v.minValue(0, code('atLeast'))), b: finite })),
      fittedOn: v.picklist(CALIBRATION_SOURCES),
      texts: count,
    }),
  ),
};

/**
 * A classifier file's structure. Its weights are base64 here; `ml/classifier-file.ts` decodes
 * them and checks their lengths against the declared sizes and that every value is finite.
 */
export const ClassifierFileSchema = typed<ClassifierFile>()(
  v.variant('student', [
    v.object({
      ...fileBase,
      student: v.literal('ngram'),
      ngram: v.pipe(
        v.object({
          buckets: bounded(1, CLASSIFIER_LIMITS.buckets),
          minChar: bounded(1, 32),
          maxChar: bounded(1, 32),
          wordBigrams: v.boolean(),
          weighting: v.optional(v.literal('tfidf')),
        }),
        v.check((c) => c.minChar <= c.maxChar, code('charRange')),
      ),
      weights: v.object({ rows: base64, values: base64, bias: base64, idf: v.optional(base64) }),
      temperature: v.optional(v.pipe(finite, v.minValue(1e-6, code('atLeast')))),
    }),
    v.object({
      ...fileBase,
      student: v.picklist(['logreg', 'mlp']),
      inputDim: bounded(1, CLASSIFIER_LIMITS.inputDim),
      hidden: bounded(0, CLASSIFIER_LIMITS.hidden),
      weights: v.object({ w1: base64, b1: base64, w2: base64, b2: base64 }),
    }),
  ]),
);

const TrainingConfigSchema: v.GenericSchema<unknown, TrainingConfig> = v.object({
  student: v.picklist(STUDENT_KINDS),
  sources: v.array(v.picklist(SOURCES)),
  languages: v.array(v.string()),
  encoder: v.nullable(EncoderRefSchema),
  seed: finite,
});

const EpochReportSchema: v.GenericSchema<unknown, EpochReport> = v.object({
  epoch: count,
  trainLoss: finite,
  valLoss: v.nullable(finite),
  valAccuracy: v.nullable(probability),
  heldOut: v.optional(v.literal('leave-one-out')),
});

const TrainedOnSchema: v.GenericSchema<unknown, TrainedOn> = v.object({
  samples: count,
  bySource: v.record(v.string(), count),
  languages: v.array(v.string()),
});

export const ClassifierRecordSchema: v.GenericSchema<unknown, ClassifierRecord> = v.pipe(
  v.object({
    id,
    taskId: id,
    name: v.pipe(v.string(), v.maxLength(500, code('tooLong'))),
    createdAt: count,
    student: v.picklist(STUDENT_KINDS),
    config: TrainingConfigSchema,
    file: ClassifierFileSchema,
    curve: v.array(EpochReportSchema),
    summary: TrainedOnSchema,
  }),
  v.check((r) => r.student === r.file.student && r.student === r.config.student, code('studentKind')),
);

const IntervalSchema = v.object({ low: finite, high: finite });

const GeneratorSpecSchema: v.GenericSchema<unknown, GeneratorSpec> = v.variant('kind', [
  v.object({ kind: v.literal('webllm'), modelId: v.string() }),
  v.object({
    kind: v.literal('transformers'),
    modelId: v.string(),
    device: v.picklist(['wasm', 'webgpu']),
    dtype: v.picklist(['fp32', 'fp16', 'q8', 'q4']),
  }),
  // An opened recording file travels with the job; its shape is checked when it is replayed.
  v.object({ kind: v.literal('recorded'), url: v.string(), recording: v.optional(v.any()) }),
]);

const ScoresSchema: v.GenericSchema<unknown, EvaluationScores> = v.object({
  accuracy: probability,
  macroF1: probability,
  perClass: v.record(
    v.string(),
    v.object({ precision: probability, recall: probability, f1: probability, support: count }),
  ),
  confusion: v.object({ labels: v.array(v.string()), matrix: v.array(v.array(count)) }),
  count,
  accuracyInterval: IntervalSchema,
  macroF1Interval: IntervalSchema,
  perLanguage: v.record(
    v.string(),
    v.object({ count, accuracy: probability, macroF1: probability, macroF1Interval: IntervalSchema }),
  ),
  invalid: count,
  invalidByLabel: v.record(v.string(), count),
});

const EvaluatorSchema: v.GenericSchema<unknown, EvaluatorResult> = v.object({
  key: v.string(),
  name: v.string(),
  spec: v.variant('kind', [
    v.object({ kind: v.literal('student'), classifierId: id }),
    v.object({ kind: v.literal('answers'), answerSetId: id }),
    v.object({
      kind: v.literal('llm'),
      generator: GeneratorSpecSchema,
      examplesPerLabel: count,
      selection: v.picklist(['random', 'similar']),
    }),
  ]),
  trainedOn: v.nullable(TrainedOnSchema),
  student: v.optional(v.object({ kind: v.picklist(STUDENT_KINDS), encoderId: v.nullable(v.string()) })),
  sizeBytes: v.nullable(count),
  predictions: v.array(v.nullable(v.string())),
  confidences: v.optional(v.array(probability)),
  done: count,
  latencyMs: v.pipe(finite, v.minValue(0, code('atLeast'))),
  invalidAnswers: v.array(
    v.object({
      index: count,
      answer: v.string(),
      // A code with its values; a sentence in runs made before codes.
      reason: v.union([
        v.string(),
        v.variant('code', [
          v.object({ code: v.picklist(['no-answer', 'no-label', 'not-in-file']) }),
          v.object({ code: v.literal('not-a-label'), named: v.string() }),
          v.object({ code: v.literal('several-labels'), labels: v.array(v.string()) }),
        ]),
      ]),
    }),
  ),
  status: v.picklist(['pending', 'done', 'failed']),
  error: v.nullable(v.string()),
  scores: v.nullable(ScoresSchema),
});

const runBase = { id, taskId: id, createdAt: count };

const CompareRunEntries = v.object({
  ...runBase,
  kind: v.literal('compare'),
  seed: finite,
  labels: labelList,
  items: v.array(v.object({ sampleId: v.string(), text: v.string(), label: v.string(), language: v.string() })),
  evaluators: v.array(EvaluatorSchema),
  templateVersion: count,
  finishedAt: v.nullable(count),
});

const LearningCurvePointSchema = v.object({
  fraction: probability,
  samples: count,
  accuracy: probability,
  macroF1: probability,
  macroF1Interval: IntervalSchema,
  perLanguage: v.record(v.string(), probability),
});

const LearningCurveRunEntries = v.object({
  ...runBase,
  kind: v.literal('learning-curve'),
  config: TrainingConfigSchema,
  testItems: count,
  points: v.array(LearningCurvePointSchema),
  series: v.optional(
    v.array(v.object({ sources: v.picklist(CURVE_SOURCES), points: v.array(LearningCurvePointSchema) })),
  ),
});

const AnswerSetEntries = v.object({
  ...runBase,
  kind: v.literal('answers'),
  name: v.string(),
  fileName: v.string(),
  attribution: v.optional(v.string()),
  rows: v.array(v.object({ id: v.nullable(v.string()), text: v.nullable(v.string()), answer: v.string() })),
});

/** A compare run (every prediction list as long as the run's items), a learning curve or an answer set. */
export const EvalRunRecordSchema = typed<EvalRunRecord>()(
  v.pipe(
    v.variant('kind', [
      typed<CompareRun>()(CompareRunEntries),
      typed<LearningCurveRun>()(LearningCurveRunEntries),
      typed<AnswerSet>()(AnswerSetEntries),
    ]),
    v.check(
      (r) =>
        r.kind !== 'compare' ||
        r.evaluators.every((e) => e.predictions.length === r.items.length && e.done <= r.items.length),
      code('predictions'),
    ),
  ),
);
