/**
 * @file Features of samples for the jobs that train or cross-validate students: an encoder's
 * embeddings through the cache (each text is embedded once per encoder, ever), or folded n-gram
 * features with no download, and out-of-fold predictions on them.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import type { Sample } from '../domain/sample';
import { textHash } from '../domain/text-hash';
import { ngramOutOfFoldWith, outOfFoldSteps } from '../ml/label-diagnostics';
import { trainNgramAnywhere } from '../ml/ngram-label-solver';
import { foldedNgrams } from '../ml/ngram';
import type { Embedder } from '../ml/student';
import { nextTask } from '../ml/training';
import type { Database } from '../storage/db';
import { getEmbeddings, putEmbeddings } from '../storage/embeddings-repo';

/** Progress of feature work: texts embedded (some from the cache), or cross-validation folds done. */
export type FeatureEvent =
  { stage: 'embedding'; done: number; total: number; cached: number } | { stage: 'folds'; done: number; total: number };

/** Texts embedded per call, so progress moves and cancel answers quickly. */
const EMBED_CHUNK = 64;

/**
 * Embeds texts, reusing cached vectors and storing new ones.
 * @returns the vectors in input order, and how many came from the cache
 */
export async function embedWithCache(
  db: Database,
  encoder: Encoder,
  samples: readonly Pick<Sample, 'text' | 'textHash'>[],
  onProgress?: (done: number, cached: number) => void,
  signal?: AbortSignal,
): Promise<{ vectors: Float32Array[]; cached: number }> {
  const found = await getEmbeddings(
    db,
    encoder.id,
    samples.map((s) => s.textHash),
  );
  // Shortest first: each chunk, and each batch in it, holds texts of like length and pads little.
  const missing = [...new Map(samples.filter((s) => !found.has(s.textHash)).map((s) => [s.textHash, s])).values()].sort(
    (a, b) => a.text.length - b.text.length,
  );
  const cached = samples.length - samples.filter((s) => !found.has(s.textHash)).length;
  onProgress?.(cached, cached);
  for (let i = 0; i < missing.length; i += EMBED_CHUNK) {
    if (signal?.aborted) throw new AppError('aborted', message('err.trainingCancelled'));
    const chunk = missing.slice(i, i + EMBED_CHUNK);
    const vectors = await encoder.embed(
      chunk.map((s) => s.text),
      signal,
    );
    const records = chunk.map((s, j) => ({
      encoderId: encoder.id,
      textHash: s.textHash,
      vector: vectors[j] as Float32Array,
    }));
    await putEmbeddings(db, records);
    records.forEach((r) => found.set(r.textHash, r.vector));
    onProgress?.(cached + Math.min(i + EMBED_CHUNK, missing.length), cached);
  }
  return { vectors: samples.map((s) => found.get(s.textHash) as Float32Array), cached };
}

/**
 * An encoder whose vectors go through the cache: what a stored student predicts with inside a
 * job, so texts embedded for training or earlier evaluations are not embedded again.
 */
export function cachedEmbedder(db: Database, encoder: Encoder): Embedder {
  return {
    async embed(texts, signal) {
      const samples = texts.map((text) => ({ text, textHash: textHash(text) }));
      return (await embedWithCache(db, encoder, samples, undefined, signal)).vectors;
    },
  };
}

/**
 * Vectors of samples: the encoder's embeddings through the cache, or folded n-gram features
 * when there is no encoder (no download).
 */
export async function featuresOf(
  db: Database,
  samples: readonly Sample[],
  encoder: Encoder | null,
  onEvent?: (e: FeatureEvent) => void,
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  if (encoder)
    return (
      await embedWithCache(
        db,
        encoder,
        samples,
        (done, cached) => onEvent?.({ stage: 'embedding', done, total: samples.length, cached }),
        signal,
      )
    ).vectors;
  const xs: Float32Array[] = [];
  for (let i = 0; i < samples.length; i++) {
    xs.push(foldedNgrams((samples[i] as Sample).text));
    if (i % 256 === 255) {
      await nextTask();
      if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
    }
  }
  return xs;
}

/** Folds of the cross-validation. */
export const FOLDS = 5;

/**
 * Out-of-fold probabilities of the n-gram student on the texts themselves, a fold per step,
 * with progress and cancel between folds (the label check without an embedding model).
 */
export async function ngramOutOfFold(
  texts: readonly string[],
  ys: readonly string[],
  labels: readonly string[],
  onEvent?: (e: FeatureEvent) => void,
  signal?: AbortSignal,
): Promise<Float64Array[]> {
  // A large task's folds have their labels solved on the training worker's solver workers
  // (decision 025): the same students as on one thread.
  return ngramOutOfFoldWith(
    texts,
    ys,
    labels,
    async (t, y, options) => {
      try {
        return (await trainNgramAnywhere(t, y, labels, { ...options, ...(signal ? { signal } : {}) })).model;
      } catch (e) {
        // Said as any cancelled check is, not as a cancelled training.
        throw e instanceof AppError && e.code === 'aborted' ? new AppError('aborted', message('err.cancelled')) : e;
      }
    },
    FOLDS,
    1,
    (done) => onEvent?.({ stage: 'folds', done, total: FOLDS }),
  );
}

/** Out-of-fold probabilities, a fold per step, with progress and cancel between folds. */
export async function outOfFold(
  xs: readonly Float32Array[],
  ys: readonly string[],
  labels: readonly string[],
  onEvent?: (e: FeatureEvent) => void,
  signal?: AbortSignal,
  extra?: { xs: readonly Float32Array[]; ys: readonly string[] },
): Promise<Float64Array[]> {
  return runFolds(outOfFoldSteps(xs, ys, labels, FOLDS, 1, extra), onEvent, signal);
}

/** Runs fold steps with progress, a yield to the event loop and a cancel check between folds. */
async function runFolds(
  steps: Generator<number, Float64Array[]>,
  onEvent?: (e: FeatureEvent) => void,
  signal?: AbortSignal,
): Promise<Float64Array[]> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onEvent?.({ stage: 'folds', done: r.value, total: FOLDS });
    await nextTask();
    if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
  }
}
