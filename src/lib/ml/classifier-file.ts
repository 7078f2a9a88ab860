/**
 * @file The classifier file: a trained student as JSON (label names, weights, the encoder it
 * needs, how it was trained). The app exports it, the CLI writes and reads it, and later
 * versions keep reading earlier ones (version 1's n-gram student predicts as it always did).
 * Weights are little-endian float32 in base64; the n-gram student stores only the hash rows it
 * has weights for.
 */
import { message } from '../i18n/messages';
import * as v from 'valibot';
import { ClassifierFileSchema } from '../domain/record-schemas';
import { AppError } from '../domain/errors';
import { CLASSIFIER_FORMAT, CLASSIFIER_VERSION, type ClassifierFile, type ClassifierMeta } from '../domain/student';
import type { DenseHeadModel } from './dense-head';
import type { NgramStudentModel } from './ngram-student';
import { describeIssues } from '../words/schema-issues';

export type StudentModel = NgramStudentModel | DenseHeadModel;

const BASE64 = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 61; // '='

/**
 * Standard base64 with padding, as `btoa` writes it: the engine's own `toBase64` where it has
 * one, else three bytes to four characters through a table (a string built by `btoa` from
 * character codes took 0.9 s for a 15 MB n-gram model).
 */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = BASE64[n >>> 18] as number;
    out[o++] = BASE64[(n >>> 12) & 63] as number;
    out[o++] = BASE64[(n >>> 6) & 63] as number;
    out[o++] = BASE64[n & 63] as number;
  }
  if (whole < bytes.length) {
    const two = bytes.length - whole === 2;
    const n = ((bytes[whole] as number) << 16) | (two ? (bytes[whole + 1] as number) << 8 : 0);
    out[o++] = BASE64[n >>> 18] as number;
    out[o++] = BASE64[(n >>> 12) & 63] as number;
    out[o++] = two ? (BASE64[(n >>> 6) & 63] as number) : PAD;
    out[o] = PAD;
  }
  return new TextDecoder().decode(out);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const f32 = (a: Float32Array) => toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const u32 = (a: Uint32Array) => toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** Serializes a trained student with its metadata. */
export function toClassifierFile(model: StudentModel, meta: ClassifierMeta): ClassifierFile {
  const base = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    labels: model.labels,
    ...meta,
    ...(model.calibration ? { calibration: model.calibration } : {}),
  } as const;
  if (model.kind === 'ngram')
    return {
      ...base,
      student: 'ngram',
      ngram: model.config,
      weights: {
        rows: u32(model.features),
        values: f32(model.weights),
        bias: f32(model.bias),
        ...(model.idf ? { idf: f32(model.idf) } : {}),
      },
      ...(model.idf ? { temperature: model.temperature } : {}),
    };
  return {
    ...base,
    student: model.kind,
    inputDim: model.inputDim,
    hidden: model.hidden,
    weights: { w1: f32(model.w1), b1: f32(model.b1), w2: f32(model.w2), b2: f32(model.b2) },
  };
}

/** Decodes base64 little-endian 4-byte values; the field is named in the error when the length is off. */
function bytesOf(field: string, text: string): Uint8Array {
  const bytes = fromBase64(text);
  if (bytes.length % 4 !== 0) throw new AppError('invalid-file', message('err.weightsBytes', { field }));
  return bytes;
}

/** Float weights of `field`, exactly `want` of them, every one finite. */
function weightsOf(field: string, text: string, want: number): Float32Array {
  const b = bytesOf(field, text);
  const out = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
  if (out.length !== want)
    throw new AppError('invalid-file', message('err.weightsLength', { field, got: out.length, want }));
  const bad = out.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new AppError('invalid-file', message('err.weightsNotFinite', { field, index: bad + 1 }));
  return out;
}

/**
 * Reads a classifier file, checking it fully before any use: its structure (the field at
 * fault named), then every weight array's length against the declared sizes, every value
 * finite and every n-gram row inside the hash table. Throws `invalid-file` with a sentence.
 */
export function fromClassifierFile(json: unknown): { model: StudentModel; meta: ClassifierMeta } {
  const version = json !== null && typeof json === 'object' && 'version' in json ? json.version : undefined;
  if (typeof version === 'number' && version > CLASSIFIER_VERSION)
    throw new AppError('invalid-file', message('err.classifierNewer', { version: String(version) }));
  const r = v.safeParse(ClassifierFileSchema, json);
  if (!r.success)
    throw new AppError(
      'invalid-file',
      message('err.notClassifier', { issues: describeIssues(r.issues, message('valid.theFile')) }),
    );
  const f = r.output;
  const meta: ClassifierMeta = {
    encoder: f.encoder,
    training: f.training,
    ...(f.metrics ? { metrics: f.metrics } : {}),
  };
  const k = f.labels.length;
  const calibration = f.calibration ? { calibration: f.calibration } : {};
  if (f.student === 'ngram') {
    const { buckets } = f.ngram;
    const rb = bytesOf('weights.rows', f.weights.rows);
    const features = new Uint32Array(rb.buffer, rb.byteOffset, rb.byteLength / 4).slice();
    features.forEach((row, i) => {
      if (row >= buckets)
        throw new AppError('invalid-file', message('err.weightsRow', { field: 'weights.rows', row, buckets }));
      if (i > 0 && row <= (features[i - 1] as number))
        throw new AppError('invalid-file', message('err.weightsOrder', { field: 'weights.rows', index: i + 1 }));
    });
    const weights = weightsOf('weights.values', f.weights.values, features.length * k);
    const bias = weightsOf('weights.bias', f.weights.bias, k);
    const tfidf = f.ngram.weighting === 'tfidf';
    if (tfidf && f.weights.idf === undefined)
      throw new AppError('invalid-file', message('err.weightsMissing', { field: 'weights.idf' }));
    if (tfidf && f.temperature === undefined)
      throw new AppError('invalid-file', message('err.weightsMissing', { field: 'temperature' }));
    const idf = tfidf ? weightsOf('weights.idf', f.weights.idf as string, features.length) : null;
    const temperature = tfidf ? (f.temperature as number) : 1;
    return {
      model: {
        kind: 'ngram',
        labels: f.labels,
        config: f.ngram,
        features,
        idf,
        weights,
        bias,
        temperature,
        ...calibration,
      },
      meta,
    };
  }
  const { inputDim, hidden } = f;
  // Logistic regression has no hidden layer: W2 maps the input straight to the labels.
  const width = hidden > 0 ? hidden : inputDim;
  return {
    model: {
      kind: f.student,
      labels: f.labels,
      inputDim,
      hidden,
      w1: weightsOf('weights.w1', f.weights.w1, hidden > 0 ? inputDim * hidden : 0),
      b1: weightsOf('weights.b1', f.weights.b1, hidden),
      w2: weightsOf('weights.w2', f.weights.w2, width * k),
      b2: weightsOf('weights.b2', f.weights.b2, k),
      ...calibration,
    },
    meta,
  };
}
