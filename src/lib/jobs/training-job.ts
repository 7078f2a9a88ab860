/**
 * @file Training a student for a task: pick the samples (by source and language), embed them
 * with the cache (each text is embedded once per encoder, ever), train the head or the n-gram
 * student with live epoch reports, and store the classifier record.
 */
import { message } from '../i18n/messages';
import type { Encoder } from '../backends/encoder';
import { AppError } from '../domain/errors';
import { orderedId } from '../domain/ids';
import type { ClassifierRecord } from '../domain/records';
import type { Sample } from '../domain/sample';
import type { EpochReport, TrainingConfig } from '../domain/student';
import { toClassifierFile, type StudentModel } from '../ml/classifier-file';
import { denseHeadSteps } from '../ml/dense-head';
import { ngramSteps } from '../ml/ngram-student';
import { runYielding } from '../ml/training';
import type { Database } from '../storage/db';
import { getEmbeddings, putEmbeddings } from '../storage/embeddings-repo';
import { listSamples } from '../storage/samples-repo';
import { classifiersRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';

export type TrainingEvent =
  { stage: 'embedding'; done: number; total: number; cached: number } | { stage: 'epoch'; report: EpochReport };

/** Texts embedded per call, so progress moves and cancel answers quickly. */
const EMBED_CHUNK = 64;

/** The samples a configuration trains on: training and seed splits, not deleted. */
export async function trainingSamples(
  db: Database,
  taskId: string,
  config: Pick<TrainingConfig, 'sources' | 'languages'>,
): Promise<Sample[]> {
  const all = await listSamples(db, taskId);
  return all.filter(
    (s) =>
      (s.split === 'train' || s.split === 'seed') &&
      config.sources.includes(s.source) &&
      (config.languages.length === 0 || config.languages.includes(s.language)),
  );
}

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
  const missing = [...new Map(samples.filter((s) => !found.has(s.textHash)).map((s) => [s.textHash, s])).values()];
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

export interface TrainingResult {
  record: ClassifierRecord;
  embedded: { cached: number; computed: number };
}

/**
 * Trains a student on samples (not stored): embeds them first (through the cache) when the
 * student is a head on an encoder.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function fitStudent(
  db: Database,
  samples: readonly Sample[],
  labels: readonly string[],
  config: TrainingConfig,
  encoder: Encoder | null,
  onEvent?: (e: TrainingEvent) => void,
  signal?: AbortSignal,
): Promise<{ model: StudentModel; curve: EpochReport[]; embedded: { cached: number; computed: number } }> {
  const curve: EpochReport[] = [];
  const onEpoch = (report: EpochReport) => {
    curve.push(report);
    onEvent?.({ stage: 'epoch', report });
  };
  const options = { seed: config.seed, onEpoch, ...(signal ? { signal } : {}) };
  if (config.student === 'ngram') {
    const model = await runYielding(
      ngramSteps(
        samples.map((s) => s.text),
        samples.map((s) => s.label),
        labels,
        options,
      ),
    );
    return { model, curve, embedded: { cached: 0, computed: 0 } };
  }
  if (!encoder || !config.encoder) throw new AppError('internal', message('err.needsEncoder'));
  const { vectors, cached } = await embedWithCache(
    db,
    encoder,
    samples,
    (done, c) => onEvent?.({ stage: 'embedding', done, total: samples.length, cached: c }),
    signal,
  );
  const model = await runYielding(
    denseHeadSteps(
      vectors,
      samples.map((s) => s.label),
      labels,
      { ...options, kind: config.student },
    ),
  );
  return { model, curve, embedded: { cached, computed: samples.length - cached } };
}

/**
 * Trains and stores a classifier.
 * @param encoder the loaded encoder for logreg/mlp (null for ngram)
 */
export async function trainClassifier(
  db: Database,
  taskId: string,
  config: TrainingConfig,
  encoder: Encoder | null,
  onEvent?: (e: TrainingEvent) => void,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<TrainingResult> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const samples = await trainingSamples(db, taskId, config);
  const labels = task.labels.map((l) => l.name);
  const present = new Set(samples.map((s) => s.label));
  if (samples.length === 0) throw new AppError('invalid-file', message('err.noTraining'));
  if (present.size < 2) throw new AppError('invalid-file', message('err.twoLabels'));
  const { model, curve, embedded } = await fitStudent(db, samples, labels, config, encoder, onEvent, signal);
  const languages = [...new Set(samples.map((s) => s.language))];
  const bySource: Record<string, number> = {};
  for (const s of samples) bySource[s.source] = (bySource[s.source] ?? 0) + 1;
  const last = [...curve].reverse().find((r) => r.valAccuracy !== null);
  const file = toClassifierFile(model, {
    encoder: config.encoder,
    training: { samples: samples.length, seed: config.seed, languages, createdAt: new Date(now).toISOString() },
    ...(last?.valAccuracy != null ? { metrics: { validationAccuracy: last.valAccuracy } } : {}),
  });
  const studentName = { ngram: 'n-gram', logreg: 'logistic regression', mlp: 'MLP' }[config.student];
  const record: ClassifierRecord = {
    id: orderedId(now, 0),
    taskId,
    name: `${studentName}${config.encoder ? ` on ${config.encoder.modelId}` : ''} · ${samples.length} samples (${Object.entries(
      bySource,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
    createdAt: now,
    student: config.student,
    config,
    file,
    curve,
    summary: { samples: samples.length, bySource, languages },
  };
  await classifiersRepo.put(db, record);
  return { record, embedded };
}
