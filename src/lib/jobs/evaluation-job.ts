/**
 * @file An evaluation job: runs every evaluator of a compare run over the run's test items and
 * commits predictions in small steps (the run and the job's progress in one transaction), so a
 * reload or a cancel resumes at the first item without a prediction. Evaluators that fail (a
 * model that cannot load, no synthetic examples to show) are marked failed with the reason and
 * the others go on.
 */
import { serverOf } from '../domain/local-server';
import { message } from '../i18n/messages';
import { collect, type Generator } from '../backends/generator';
import { AppError, serializeError } from '../domain/errors';
import {
  INVALID_ANSWERS_KEPT,
  type CompareRun,
  bootstrapSeedOf,
  type EvaluatorResult,
  type EvaluatorSpec,
  type TestItem,
} from '../domain/evaluation';
import { matchAnswers } from '../domain/answers';
import { orderedId } from '../domain/ids';
import {
  buildClassificationMessages,
  classificationSchema,
  CLASSIFY_TEMPLATE_VERSION,
  parseClassification,
} from '../domain/llm-classify';
import { scoreEvaluation } from '../domain/metrics';
import type { GeneratorSpec, LoadProgress } from '../domain/model-spec';
import { createRng } from '../domain/random';
import type { EvaluationCheckpoint } from '../domain/generation';
import type { ClassifierRecord, EvaluationJobRecord, JobRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { ExamplePicker } from '../ml/icl-examples';
import type { Student } from '../ml/student';
import { argmax } from '../ml/training';
import type { Database } from '../storage/db';
import { commitEvaluationStep, getJob } from '../storage/jobs-store';
import { listSamples } from '../storage/samples-repo';
import { classifiersRepo, evalRunsRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';
import { evaluatorName, llmEvaluatorName, studentName } from '../words/evaluation';

/** What a job needs from the worker: models, loaded. */
export interface EvaluationBackends {
  /** A stored student, ready to predict (a head's encoder loaded, reporting its load). */
  student(record: ClassifierRecord, onLoad: (p: LoadProgress) => void): Promise<Student>;
  generator(spec: GeneratorSpec, onLoad: (p: LoadProgress) => void, signal?: AbortSignal): Promise<Generator>;
}

export interface EvaluationProgress {
  runId: string;
  /** The evaluator at work. */
  key: string;
  name: string;
  done: number;
  total: number;
  /** Over every evaluator. */
  overallDone: number;
  overallTotal: number;
  /** The model loading for this evaluator, if any. */
  load: LoadProgress | null;
}

/** Texts per student step; LLM answers per commit. */
const STUDENT_BATCH = 32;
const LLM_COMMIT_EVERY = 4;
/** Tokens an answer may take: `{"label": "science/technology"}` plus some slack for chatter. */
const ANSWER_TOKENS = 48;

/** An evaluator that has not answered yet. */
function pendingResult(
  fields: Pick<EvaluatorResult, 'key' | 'name' | 'spec' | 'trainedOn' | 'sizeBytes' | 'student'>,
  items: number,
): EvaluatorResult {
  return {
    ...fields,
    predictions: new Array<null>(items).fill(null),
    done: 0,
    latencyMs: 0,
    invalidAnswers: [],
    status: 'pending',
    error: null,
    scores: null,
  };
}

function studentResult(record: ClassifierRecord, index: number, items: number): EvaluatorResult {
  return pendingResult(
    {
      key: `student-${index}`,
      name: studentName(record.student, record.config.encoder?.modelId),
      spec: { kind: 'student', classifierId: record.id },
      student: { kind: record.student, encoderId: record.config.encoder?.modelId ?? null },
      trainedOn: record.summary,
      sizeBytes: new TextEncoder().encode(JSON.stringify(record.file)).length,
    },
    items,
  );
}

/** Whether a run has an LLM evaluator that runs on WebGPU through transformers.js. */
export function needsWebGpu(run: CompareRun): boolean {
  return run.evaluators.some(
    ({ spec }) => spec.kind === 'llm' && spec.generator.kind === 'transformers' && spec.generator.device === 'webgpu',
  );
}

/**
 * The server on this computer a run's LLM evaluators talk to (its origin), or null. The app
 * offers one generator for a run's LLM evaluators, so there is at most one.
 */
export function serverOfRun(run: CompareRun): string | null {
  for (const { spec } of run.evaluators) {
    const server = spec.kind === 'llm' ? serverOf(spec.generator) : null;
    if (server !== null) return server;
  }
  return null;
}

/**
 * Creates a compare run over the task's human test set (live samples of the `test` split) and
 * the queued job that fills it.
 */
export async function createEvaluation(
  db: Database,
  taskId: string,
  specs: readonly EvaluatorSpec[],
  seed: number,
  now = Date.now(),
): Promise<{ run: CompareRun; job: JobRecord }> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.taskGone'));
  const items: TestItem[] = (await listSamples(db, taskId, { split: 'test' }))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((s) => ({ sampleId: s.id, text: s.text, label: s.label, language: s.language }));
  if (items.length === 0) throw new AppError('invalid-file', message('err.noTest'));
  if (specs.length === 0) throw new AppError('invalid-file', message('err.chooseModel'));
  const evaluators: EvaluatorResult[] = [];
  for (const [i, spec] of specs.entries()) {
    if (spec.kind === 'student') {
      const record = await classifiersRepo.get(db, spec.classifierId);
      if (!record) throw new AppError('internal', message('err.classifierGone'));
      evaluators.push(studentResult(record, i, items.length));
    } else if (spec.kind === 'answers') {
      const set = await evalRunsRepo.get(db, spec.answerSetId);
      if (set?.kind !== 'answers') throw new AppError('internal', message('err.answersGone'));
      evaluators.push(
        pendingResult({ key: `answers-${i}`, name: set.name, spec, trainedOn: null, sizeBytes: null }, items.length),
      );
    } else
      evaluators.push(
        pendingResult(
          { key: `llm-${i}`, name: llmEvaluatorName(spec), spec, trainedOn: null, sizeBytes: null },
          items.length,
        ),
      );
  }
  const run: CompareRun = {
    id: orderedId(now, 0),
    taskId,
    createdAt: now,
    kind: 'compare',
    seed,
    labels: task.labels.map((l) => l.name),
    items,
    evaluators,
    templateVersion: CLASSIFY_TEMPLATE_VERSION,
    finishedAt: null,
  };
  const job: JobRecord = {
    id: orderedId(now, 1),
    taskId,
    kind: 'evaluate',
    status: 'queued',
    progress: { done: 0, total: items.length * evaluators.length },
    checkpoint: { runId: run.id } satisfies EvaluationCheckpoint,
    error: null,
    createdAt: now,
    updatedAt: now,
  };
  await commitEvaluationStep(db, run, job);
  return { run, job };
}

export interface EvaluationRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: EvaluationProgress) => void;
  now?: () => number;
  /** Milliseconds, for latency (performance.now in workers). */
  clock?: () => number;
}

/**
 * Runs (or resumes) an evaluation job until every evaluator is done or failed, or the signal
 * aborts (the job is then `paused`).
 * @returns the final job record
 */
export async function runEvaluationJob(
  db: Database,
  jobId: string,
  backends: EvaluationBackends,
  options: EvaluationRunOptions = {},
): Promise<EvaluationJobRecord> {
  const { signal, onProgress, now = () => Date.now(), clock = () => performance.now() } = options;
  const found = await getJob(db, jobId, 'evaluate');
  if (!found) throw new AppError('internal', message('err.evalJobGone'));
  let job: EvaluationJobRecord = found;
  const stored = await evalRunsRepo.get(db, job.checkpoint.runId);
  if (stored?.kind !== 'compare') throw new AppError('internal', message('err.evalRunGone'));
  const task = await getTask(db, job.taskId);
  if (!task) throw new AppError('internal', message('err.jobTaskGone'));
  const run = structuredClone(stored);
  const n = run.items.length;
  const generators = new Map<string, Promise<Generator>>();
  let load: LoadProgress | null = null;

  const overall = () => run.evaluators.reduce((a, e) => a + (e.status === 'pending' ? e.done : n), 0);
  const commit = async (status: JobRecord['status'] = 'running') => {
    job = {
      ...job,
      status,
      progress: { done: overall(), total: n * run.evaluators.length },
      updatedAt: now(),
    };
    await commitEvaluationStep(db, run, job);
  };
  const report = (e: EvaluatorResult) =>
    onProgress?.({
      runId: run.id,
      key: e.key,
      name: evaluatorName(e),
      done: e.done,
      total: n,
      overallDone: overall(),
      overallTotal: n * run.evaluators.length,
      load,
    });

  // A resumed job retries what failed before (a lost GPU, a missing file since put back).
  for (const e of run.evaluators)
    if (e.status === 'failed') {
      e.status = 'pending';
      e.error = null;
    }
  await commit();
  try {
    for (const e of run.evaluators) {
      if (e.status !== 'pending') continue;
      load = null;
      report(e);
      try {
        if (e.spec.kind === 'student') await runStudent(e, e.spec);
        else if (e.spec.kind === 'answers') await runAnswers(e, e.spec);
        else await runLlm(e, e.spec);
        e.scores = scoreEvaluation(
          run.labels,
          run.items.map((it) => it.label),
          e.predictions,
          run.items.map((it) => it.language),
          { seed: bootstrapSeedOf(run.items) },
        );
        e.status = 'done';
      } catch (error) {
        if (error instanceof AppError && error.code === 'aborted') throw error;
        if (signal?.aborted) throw new AppError('aborted', message('err.evalPaused'));
        e.status = 'failed';
        e.error = error instanceof Error ? error.message : String(error);
      }
      load = null;
      await commit();
      report(e);
    }
    run.finishedAt = now();
    await commit('done');
    return job;
  } catch (error) {
    if ((error instanceof AppError && error.code === 'aborted') || signal?.aborted) {
      await commit('paused');
      return job;
    }
    job = { ...job, status: 'failed', error: serializeError(error), updatedAt: now() };
    await commitEvaluationStep(db, run, job);
    return job;
  } finally {
    for (const g of generators.values()) await g.then((x) => x.unload()).catch(() => undefined);
  }

  async function runStudent(e: EvaluatorResult, spec: Extract<EvaluatorSpec, { kind: 'student' }>) {
    const record = await classifiersRepo.get(db, spec.classifierId);
    if (!record) throw new AppError('internal', message('err.classifierDeleted'));
    const student = await backends.student(record, (p) => {
      load = p;
      report(e);
    });
    load = null;
    while (e.done < n) {
      if (signal?.aborted) throw new AppError('aborted', message('err.evalPaused'));
      const batch = run.items.slice(e.done, e.done + STUDENT_BATCH);
      const start = clock();
      const probabilities = await student.probabilities(
        batch.map((it) => it.text),
        signal,
      );
      e.latencyMs += clock() - start;
      const confidences = (e.confidences ??= []);
      probabilities.forEach((p, j) => {
        const best = argmax(p);
        const l = student.labels[best] as string;
        e.predictions[e.done + j] = run.labels.includes(l) ? l : null;
        confidences[e.done + j] = p[best] as number;
      });
      e.done += batch.length;
      await commit();
      report(e);
    }
  }

  /** Imported answers: read, matched to the run's items and parsed in one step. */
  async function runAnswers(e: EvaluatorResult, spec: Extract<EvaluatorSpec, { kind: 'answers' }>) {
    const set = await evalRunsRepo.get(db, spec.answerSetId);
    if (set?.kind !== 'answers') throw new AppError('internal', message('err.answersGone'));
    const matched = matchAnswers(run.items, set.rows, run.labels, INVALID_ANSWERS_KEPT);
    e.predictions = matched.predictions;
    e.invalidAnswers = matched.invalid;
    e.done = n;
    await commit();
    report(e);
  }

  async function runLlm(e: EvaluatorResult, spec: Extract<EvaluatorSpec, { kind: 'llm' }>) {
    const key = JSON.stringify(spec.generator);
    let pending = generators.get(key);
    if (!pending) {
      const sizes = new Map<string, number>();
      pending = backends.generator(
        spec.generator,
        (p) => {
          load = p;
          if (p.total > 0) sizes.set(p.file, p.total);
          e.sizeBytes = [...sizes.values()].reduce((a, b) => a + b, 0) || null;
          report(e);
        },
        signal,
      );
      generators.set(key, pending);
      pending.catch(() => generators.delete(key));
    }
    const generator = await pending;
    load = null;
    const pickers = await examplePickers(task as Task, spec);
    const schema = classificationSchema(run.labels);
    let sinceCommit = 0;
    while (e.done < n) {
      if (signal?.aborted) throw new AppError('aborted', message('err.evalPaused'));
      const i = e.done;
      const item = run.items[i] as TestItem;
      const language = (task as Task).languages.find((l) => l.code === item.language) ?? {
        code: item.language,
        name: item.language,
      };
      // Examples for item i depend only on (seed, i): a resumed run shows the same ones.
      const picker = pickers?.get(item.language) ?? pickers?.get('*');
      const examples = picker ? picker.pick(item.text, createRng(run.seed * 1_000_003 + i)) : [];
      const messages = buildClassificationMessages(task as Task, language, item.text, examples);
      const start = clock();
      const answer = await collect(
        generator.chat(
          messages,
          { temperature: 0, topP: 1, maxTokens: ANSWER_TOKENS, seed: run.seed, jsonSchema: schema },
          signal,
        ),
      );
      e.latencyMs += clock() - start;
      const parsed = parseClassification(answer, run.labels);
      e.predictions[i] = parsed.label;
      if (parsed.label === null && e.invalidAnswers.length < INVALID_ANSWERS_KEPT)
        e.invalidAnswers.push({ index: i, answer: answer.slice(0, 300), reason: parsed.invalid });
      e.done++;
      if (++sinceCommit >= LLM_COMMIT_EVERY || e.done === n) {
        sinceCommit = 0;
        await commit();
      }
      report(e);
    }
  }

  /** One picker per language (its own synthetic samples; all languages' where it has none), or null for zero-shot. */
  async function examplePickers(t: Task, spec: Extract<EvaluatorSpec, { kind: 'llm' }>) {
    if (spec.examplesPerLabel === 0) return null;
    const pool = (await listSamples(db, t.id, { source: 'synthetic' })).filter((s) => s.split === 'train');
    if (pool.length === 0) throw new AppError('invalid-file', message('err.noSynthetic'));
    const labels = t.labels.map((l) => l.name);
    const pickers = new Map<string, ExamplePicker>();
    pickers.set('*', new ExamplePicker(pool, labels, spec.examplesPerLabel, spec.selection));
    for (const lang of t.languages) {
      const own = pool.filter((s) => s.language === lang.code);
      if (own.length) pickers.set(lang.code, new ExamplePicker(own, labels, spec.examplesPerLabel, spec.selection));
    }
    return pickers;
  }
}
