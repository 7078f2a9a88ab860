/**
 * @file The classifier file: a trained student as JSON (label names, weights, the encoder it
 * needs, how it was trained). The app exports it, the CLI writes and reads it, and later
 * versions keep reading version 1. Weights are little-endian float32 in base64; the n-gram
 * student stores only the hash rows it ever touched.
 */
import { message } from '../i18n/messages';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import { describeIssues } from '../domain/schemas';
import type { DenseHeadModel } from './dense-head';
import type { NgramStudentModel } from './ngram-student';

export const CLASSIFIER_FORMAT = 'polyclass-classifier';
export const CLASSIFIER_VERSION = 1;

export type StudentModel = NgramStudentModel | DenseHeadModel;

export interface EncoderRef {
  modelId: string;
  dtype: string;
  prefix: string;
}

export interface ClassifierMeta {
  encoder: EncoderRef | null;
  training: { samples: number; seed: number; languages: string[]; createdAt: string };
  metrics?: Record<string, number>;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const f32 = (a: Float32Array) => toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const u32 = (a: Uint32Array) => toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const readF32 = (s: string) => {
  const b = fromBase64(s);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
};
const readU32 = (s: string) => {
  const b = fromBase64(s);
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
};

/** Serializes a trained student with its metadata. */
export function toClassifierFile(model: StudentModel, meta: ClassifierMeta): object {
  const base = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    student: model.kind,
    labels: model.labels,
    ...meta,
  };
  if (model.kind === 'ngram') {
    const k = model.labels.length;
    const rows: number[] = [];
    for (let r = 0; r < model.config.buckets; r++) {
      for (let c = 0; c < k; c++)
        if (model.weights[r * k + c] !== 0) {
          rows.push(r);
          break;
        }
    }
    const values = new Float32Array(rows.length * k);
    rows.forEach((r, i) => values.set(model.weights.subarray(r * k, (r + 1) * k), i * k));
    return {
      ...base,
      ngram: model.config,
      weights: { rows: u32(Uint32Array.from(rows)), values: f32(values), bias: f32(model.bias) },
    };
  }
  return {
    ...base,
    inputDim: model.inputDim,
    hidden: model.hidden,
    weights: { w1: f32(model.w1), b1: f32(model.b1), w2: f32(model.w2), b2: f32(model.b2) },
  };
}

const FileSchema = v.object({
  format: v.literal(CLASSIFIER_FORMAT),
  version: v.number(),
  student: v.picklist(['ngram', 'logreg', 'mlp']),
  labels: v.pipe(v.array(v.string()), v.minLength(2)),
  encoder: v.nullable(v.object({ modelId: v.string(), dtype: v.string(), prefix: v.string() })),
  training: v.object({ samples: v.number(), seed: v.number(), languages: v.array(v.string()), createdAt: v.string() }),
  metrics: v.optional(v.record(v.string(), v.number())),
  ngram: v.optional(
    v.object({ buckets: v.number(), minChar: v.number(), maxChar: v.number(), wordBigrams: v.boolean() }),
  ),
  inputDim: v.optional(v.number()),
  hidden: v.optional(v.number()),
  weights: v.record(v.string(), v.string()),
});

/** Reads a classifier file, checking it fully; throws `invalid-file` with the field at fault. */
export function fromClassifierFile(json: unknown): { model: StudentModel; meta: ClassifierMeta } {
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CLASSIFIER_VERSION)
    throw new AppError('invalid-file', message('err.classifierNewer', { version: String(version) }));
  const r = v.safeParse(FileSchema, json);
  if (!r.success)
    throw new AppError(
      'invalid-file',
      message('err.notClassifier', { issues: describeIssues(r.issues, message('valid.theFile')) }),
    );
  const f = r.output;
  const w = (name: string) => {
    const s = f.weights[name];
    if (s === undefined) throw new AppError('invalid-file', message('err.noWeights', { name }));
    return s;
  };
  const meta: ClassifierMeta = {
    encoder: f.encoder,
    training: f.training,
    ...(f.metrics ? { metrics: f.metrics } : {}),
  };
  const k = f.labels.length;
  if (f.student === 'ngram') {
    if (!f.ngram) throw new AppError('invalid-file', message('err.noNgram'));
    const rows = readU32(w('rows'));
    const values = readF32(w('values'));
    const weights = new Float32Array(f.ngram.buckets * k);
    rows.forEach((row, i) => weights.set(values.subarray(i * k, (i + 1) * k), row * k));
    return { model: { kind: 'ngram', labels: f.labels, config: f.ngram, weights, bias: readF32(w('bias')) }, meta };
  }
  if (f.inputDim === undefined || f.hidden === undefined)
    throw new AppError('invalid-file', message('err.noInputSize'));
  return {
    model: {
      kind: f.student,
      labels: f.labels,
      inputDim: f.inputDim,
      hidden: f.hidden,
      w1: readF32(w('w1')),
      b1: readF32(w('b1')),
      w2: readF32(w('w2')),
      b2: readF32(w('b2')),
    },
    meta,
  };
}
