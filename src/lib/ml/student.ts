/**
 * @file One way to use any trained student: open a classifier file (or a model just trained)
 * and get `{ labels, probabilities(texts, signal) }`, calibrated as the student was
 * (`ml/calibration.ts`). The n-gram student needs nothing else; a
 * head on embeddings asks for its encoder once, on first use (or on `prepare()`), through the
 * caller's `embedderFor`, so the app's worker, the CLI and the standalone page each load
 * encoders their own way.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import type { EncoderRef, StudentKind } from '../domain/student';
import { fromClassifierFile, type StudentModel } from './classifier-file';
import { calibrate } from './calibration';
import { predictDense } from './dense-head';
import { predictNgram } from './ngram-student';
import { argmax } from './training';

/** What a head needs of an encoder: vectors for texts. */
export interface Embedder {
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** Loads the encoder a head was trained on. */
export type EmbedderFor = (ref: EncoderRef) => Promise<Embedder>;

export interface Student {
  readonly kind: StudentKind;
  readonly labels: readonly string[];
  /** The encoder a head needs; null for the n-gram student. */
  readonly encoder: EncoderRef | null;
  /** Loads what the student needs (a head's encoder) now rather than on the first texts. */
  prepare(): Promise<void>;
  /** One probability per label for each text, in label order. */
  probabilities(texts: readonly string[], signal?: AbortSignal): Promise<Float64Array[]>;
}

const noEmbedder: EmbedderFor = () => Promise.reject(new AppError('internal', message('err.needsEncoder')));

/**
 * A student from a model in memory.
 * @param encoder the encoder a head was trained on (ignored for the n-gram student)
 * @param embedderFor loads that encoder; a failed load is retried on the next call
 */
export function studentOf(model: StudentModel, encoder: EncoderRef | null, embedderFor = noEmbedder): Student {
  if (model.kind === 'ngram')
    return {
      kind: 'ngram',
      labels: model.labels,
      encoder: null,
      prepare: () => Promise.resolve(),
      probabilities: (texts) => Promise.resolve(texts.map((t) => calibrate(predictNgram(model, t), model.calibration))),
    };
  let embedder: Promise<Embedder> | null = null;
  const load = () => {
    if (!encoder) return Promise.reject(new AppError('invalid-file', message('err.noEncoder')));
    if (!embedder) {
      embedder = embedderFor(encoder);
      embedder.catch(() => (embedder = null));
    }
    return embedder;
  };
  return {
    kind: model.kind,
    labels: model.labels,
    encoder,
    prepare: async () => void (await load()),
    async probabilities(texts, signal) {
      const e = await load();
      // An empty text has no tokens to pool; a space gives the encoder's "nothing" vector.
      const vectors = await e.embed(
        texts.map((t) => t || ' '),
        signal,
      );
      return vectors.map((x) => calibrate(predictDense(model, x), model.calibration));
    },
  };
}

/**
 * A student from a classifier file, checked in full first (`fromClassifierFile`).
 * @param embedderFor loads the encoder a head needs
 */
export function openStudent(file: unknown, embedderFor?: EmbedderFor): Student {
  const { model, meta } = fromClassifierFile(file);
  return studentOf(model, meta.encoder, embedderFor);
}

/** The most probable label of each text. */
export async function predictLabels(
  student: Student,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  return (await student.probabilities(texts, signal)).map((p) => student.labels[argmax(p)] as string);
}

/** A student's answer for one text: its most probable label, and whether it is sure enough to give it. */
export interface Answer {
  label: string;
  confidence: number;
  /** False below the threshold: the student says "not sure", and `label` is only its best guess. */
  sure: boolean;
}

/**
 * The answer for one text's probabilities.
 * @param minConfidence below this calibrated confidence the student is not sure (0: always sure)
 */
export function answerOf(labels: readonly string[], p: ArrayLike<number>, minConfidence = 0): Answer {
  const best = argmax(p);
  const confidence = p[best] as number;
  return { label: labels[best] as string, confidence, sure: confidence >= minConfidence };
}
