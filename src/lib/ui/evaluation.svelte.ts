/**
 * @file The Evaluate view's state: the task's test set, classifiers and evaluation runs (kept
 * current by the change feed), the evaluation running here with its progress, a job left
 * unfinished by a closed tab or a reload (offered for resume), and learning curves.
 */
import { t } from './i18n.svelte';
import { runOutcome } from '../words/evaluation';
import { deserializeError, type ErrorCode } from '../domain/errors';
import {
  summarizeTestSet,
  type AnswerSet,
  type CompareRun,
  type EvaluatorSpec,
  type TestItem,
  type TestSetSummary,
} from '../domain/evaluation';
import type { ClassifierListing, JobRecord } from '../domain/records';
import { dataWorker } from '../workers/data-client';
import { folderOf, resolveModelSource, type ModelSource } from '../domain/settings';
import type { GeneratorSpec } from '../domain/model-spec';
import { generatorAvailability, type GeneratorAvailability } from './generator-availability';
import type { Task } from '../domain/task';
import { createEvaluation, needsWebGpu, serverOfRun, type EvaluationProgress } from '../jobs/evaluation-job';
import type { LearningCurveProgress } from '../jobs/learning-curve';
import { evaluationLockName } from '../domain/locks';
import { newAnswerSet } from '../domain/answers';
import type { Database } from '../storage/db';
import { saveJob } from '../storage/jobs-store';
import type { SampleSource } from '../domain/sample';
import { readStats, sumStats, type SampleStat } from '../storage/sample-stats';
import { listSamples } from '../storage/samples-repo';
import { evalRunsRepo, jobsRepo } from '../storage/task-records-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';
import type { TrainingConfig } from '../domain/student';
import type { LearningCurveRun } from '../domain/evaluation';
import { NewestWins } from './newest-wins';
import { RunCache, type RunListing } from './run-cache';
import { TaskFollower } from './task-follower';
import { UndoableRemoval } from './undo-removal.svelte';
import { WorkerCall } from './worker-call.svelte';

type Device = 'wasm' | 'webgpu';
/** What a change makes the view read again. */
type RefreshPart = 'samples' | 'classifiers' | 'evalRuns' | 'jobs';

/** The task and its test split's kept counts: equal keys, equal test texts (to a 32-bit hash sum). */
export function testSplitKey(task: Pick<Task, 'id' | 'updatedAt'>, stats: readonly SampleStat[]): string {
  const cells = stats
    .filter((s) => s.split === 'test')
    .map((s) => JSON.stringify([s.language, s.label, s.source, s.live, s.hashSum]))
    .sort();
  return JSON.stringify([task.id, task.updatedAt, cells]);
}

export class EvaluationState {
  testSet = $state.raw<TestSetSummary | null>(null);
  /** Newest first, without their weights. */
  classifiers = $state.raw<ClassifierListing[]>([]);
  /** The comparison runs, newest first, listed without their predictions. */
  runs = $state.raw<RunListing[]>([]);
  /** The comparison run shown ({@link show}), read whole. */
  run = $state.raw<CompareRun | null>(null);
  /** The comparison run asked for; null: the newest. */
  #shownId: string | null = null;
  curves = $state.raw<LearningCurveRun[]>([]);
  /** Answers imported from systems outside the app, newest first. */
  answerSets = $state.raw<AnswerSet[]>([]);
  /** The task's live test texts (what imported answers are matched with). */
  testItems = $state.raw<Pick<TestItem, 'sampleId' | 'text' | 'language'>[]>([]);
  jobs = $state.raw<JobRecord[]>([]);
  /** The job running in this tab. */
  runningId = $state<string | null>(null);
  progress = $state.raw<EvaluationProgress | null>(null);
  /** The evaluation running here; cancelling it pauses the job after the current answer. */
  readonly call = new WorkerCall({ cancelled: () => t('eval.paused'), cancel: cancelGently });
  /** Another tab runs this task's evaluation. */
  elsewhere = $state(false);
  message = $state<{ text: string; error: boolean; code?: ErrorCode | null } | null>(null);
  curveProgress = $state.raw<LearningCurveProgress | null>(null);
  /** Whether there are synthetic training samples for the LLM's in-context examples to come from. */
  hasSynthetic = $state(false);
  /** Whether the training split has people's labels (imported, typed, or labelled from the pool). */
  hasHuman = $state(false);
  /** Whether the chosen LLM can answer without a download (null while asking or with none chosen). */
  availability = $state.raw<GeneratorAvailability | null>(null);
  #availabilityAsked = 0;
  /** A learning curve running here. */
  readonly curveCall = new WorkerCall({ cancelled: () => t('eval.curveCancelled'), cancel: cancelGently });
  #task: Task | null = null;
  readonly #follower = new TaskFollower((c) => {
    if (c.store === 'jobs' && this.runningId) return;
    this.#runCache.changed(c);
    if (c.store === 'samples' || c.store === 'classifiers' || c.store === 'evalRuns' || c.store === 'jobs')
      void this.refresh([c.store]);
  });
  /** The task's runs as last read: a change reads only the runs it names. */
  readonly #runCache = new RunCache();
  /** What the test texts shown were read for (see {@link testSplitKey}). */
  #testKey: string | null = null;
  readonly #runsOrder = new NewestWins();
  readonly #classifiersOrder = new NewestWins();

  constructor(private readonly db: Promise<Database>) {}

  /** Pause was asked and the evaluation has not stopped yet. */
  get pausing(): boolean {
    return this.call.cancelling;
  }
  get curveRunning(): boolean {
    return this.curveCall.running;
  }
  get curveError(): string | null {
    return this.curveCall.error;
  }

  follow(task: Task | null): void {
    const changed = task?.id !== this.#task?.id;
    this.#task = task;
    if (!changed) {
      void this.refresh();
      return;
    }
    this.#follower.follow(task?.id ?? null);
    this.#testKey = null;
    this.#shownId = null;
    this.progress = null;
    this.message = null;
    void this.refresh();
  }

  /**
   * Reads what the view shows again: only the parts a change concerns (all when none is named),
   * and of the runs only those added, removed or named as changed, so a task with 50 runs of
   * 5,000 test texts is not read whole at every step of an evaluation.
   */
  async refresh(parts: readonly RefreshPart[] = ['samples', 'classifiers', 'evalRuns', 'jobs']): Promise<void> {
    const task = this.#task;
    if (!task) return;
    const db = await this.db;
    const wants = (part: RefreshPart) => parts.includes(part);
    // Reads can finish out of order: a newer list of runs or classifiers shown is never replaced by an older.
    const runsTicket = wants('evalRuns') ? this.#runsOrder.ask() : 0;
    const classifiersTicket = wants('classifiers') ? this.#classifiersOrder.ask() : 0;
    // The kept counts say whether the test texts changed since they were last read (their
    // cells' counts and hash sums, and the task they are summarised for): a job writing
    // training samples does not make the view read a big test split again at every step.
    const stats = wants('samples') ? await readStats(db, task.id) : null;
    const testKey = stats && testSplitKey(task, stats);
    const [test, classifiers, runs, jobs] = await Promise.all([
      testKey !== null && testKey !== this.#testKey ? listSamples(db, task.id, { split: 'test' }) : null,
      // Without their weights, read in the data worker: the page would stall on megabytes each.
      wants('classifiers') ? dataWorker().call('classifierListings', { taskId: task.id }) : null,
      wants('evalRuns') ? this.#runCache.read(db, task.id, this.#shownId) : null,
      wants('jobs') ? jobsRepo.listByTask(db, task.id) : null,
    ]);
    const query = await globalThis.navigator?.locks?.query?.();
    const elsewhere = !this.runningId && Boolean(query?.held?.some((l) => l.name === evaluationLockName(task.id)));
    if (task.id !== this.#task?.id) return;
    if (test) {
      this.#testKey = testKey;
      this.testSet = summarizeTestSet(task, test);
      this.testItems = test.map((s) => ({ sampleId: s.id, text: s.text, language: s.language }));
    }
    if (stats !== null) {
      const training = (source: SampleSource) =>
        sumStats(stats, (s) => s.split === 'train' && s.source === source).live > 0;
      this.hasSynthetic = training('synthetic');
      this.hasHuman = training('human');
    }
    if (classifiers && this.#classifiersOrder.show(classifiersTicket)) this.classifiers = classifiers;
    const newestFirst = <T extends { createdAt: number }>(xs: T[]) => xs.sort((a, b) => b.createdAt - a.createdAt);
    if (runs && this.#runsOrder.show(runsTicket)) {
      this.runs = runs.compare;
      this.run = runs.shown;
      this.curves = newestFirst(runs.others.filter((r): r is LearningCurveRun => r.kind === 'learning-curve'));
      this.answerSets = newestFirst(runs.others.filter((r): r is AnswerSet => r.kind === 'answers'));
    }
    if (jobs) this.jobs = newestFirst(jobs.filter((j) => j.kind === 'evaluate'));
    this.elsewhere = elsewhere;
  }

  /**
   * Asks whether an LLM can answer without a download (its cache, the model folder, the
   * recording); the newest question wins.
   */
  async checkAvailability(spec: GeneratorSpec | null, source: ModelSource): Promise<void> {
    const asked = ++this.#availabilityAsked;
    this.availability = null;
    if (!spec) return;
    const folder = folderOf(resolveModelSource(source, document.baseURI));
    const found = await generatorAvailability(spec, folder);
    if (asked === this.#availabilityAsked) this.availability = found;
  }

  /** An evaluation stopped by a pause, a closed tab or a reload, that can continue. */
  get resumable(): JobRecord | null {
    if (this.elsewhere) return null;
    return (
      this.jobs.find(
        (j) => (j.status === 'running' || j.status === 'paused' || j.status === 'queued') && j.id !== this.runningId,
      ) ?? null
    );
  }

  async #runOfJob(jobId: string): Promise<CompareRun | null> {
    const db = await this.db;
    const job = await jobsRepo.get(db, jobId);
    const run = job?.kind === 'evaluate' ? await evalRunsRepo.get(db, job.checkpoint.runId) : undefined;
    return run?.kind === 'compare' ? run : null;
  }

  /** Shows a comparison run (null: the newest), read whole. */
  async show(runId: string | null): Promise<void> {
    this.#shownId = runId;
    await this.refresh(['evalRuns']);
  }

  async start(specs: EvaluatorSpec[], source: ModelSource, device: Device): Promise<void> {
    const task = this.#task;
    if (!task || this.runningId) return;
    this.message = null;
    this.#shownId = null;
    try {
      const { job } = await createEvaluation(await this.db, task.id, specs, Math.floor(Math.random() * 1_000_000));
      await this.refresh();
      await this.resume(job.id, source, device);
    } catch (error) {
      this.message = { text: (error as Error).message, error: true };
    }
  }

  async resume(jobId: string, source: ModelSource, device: Device): Promise<void> {
    if (this.runningId) return;
    this.runningId = jobId;
    this.progress = null;
    this.message = null;
    const end = await this.call.run(async (signal) => {
      // An LLM evaluator on WebGPU needs a worker on onnxruntime-web's WebGPU build; one on a
      // server on this computer, a worker that may reach it.
      const run = await this.#runOfJob(jobId);
      const worker = trainingWorker(run && needsWebGpu(run) ? 'webgpu' : device, run ? serverOfRun(run) : null);
      return worker.call('evaluate', { jobId, source, device }, { signal, onProgress: (p) => (this.progress = p) });
    });
    this.runningId = null;
    if (!end)
      this.message = this.call.error
        ? { text: this.call.error, error: this.call.outcome === 'failed', code: this.call.errorCode }
        : null;
    else if (end.status === 'paused') this.message = { text: t('eval.paused'), error: false };
    else if (end.status !== 'done' && end.error)
      this.message = { text: deserializeError(end.error).message, error: true };
    await this.refresh();
    if (end?.status === 'done' && end.kind === 'evaluate') {
      // Done means the job ended; whether every evaluator could run is in its run.
      const run = await this.#runOfJob(jobId);
      const outcome = run ? runOutcome(run) : { text: t('eval.done'), failed: false };
      this.message = { text: outcome.text, error: outcome.failed };
    }
  }

  /** Pauses the running evaluation after the current answer; answers so far are kept. */
  pause(): void {
    this.call.cancel();
  }

  /** Gives up an unfinished job (its run keeps the scores it has). */
  async discard(job: JobRecord): Promise<void> {
    await saveJob(await this.db, { ...job, status: 'cancelled', updatedAt: Date.now() });
    await this.refresh();
  }

  /** Deleting a stored evaluation record, with "Undo" offered for a while (it comes back whole). */
  #removal<R extends CompareRun | AnswerSet>(): UndoableRemoval<R> {
    return new UndoableRemoval<R>(
      async (id) => {
        await evalRunsRepo.remove(await this.db, id);
        await this.refresh();
      },
      async (record) => {
        await evalRunsRepo.put(await this.db, record);
        await this.refresh();
      },
      (error) => t('eval.restoreFailed', { error }),
    );
  }

  /** Deleting a run. */
  readonly runRemoval = this.#removal<CompareRun>();
  /** Deleting imported answers (runs that used them keep their scores). */
  readonly answersRemoval = this.#removal<AnswerSet>();

  /** Stores imported answers for this task; they are offered as an evaluator from then on. */
  async addAnswers(set: Pick<AnswerSet, 'name' | 'fileName' | 'rows'>): Promise<void> {
    const task = this.#task;
    if (!task) return;
    await evalRunsRepo.put(await this.db, newAnswerSet(task.id, set, Date.now()));
    await this.refresh(['evalRuns']);
  }

  async learningCurve(
    config: TrainingConfig,
    source: ModelSource,
    device: Device,
    compareSources = false,
  ): Promise<void> {
    const task = this.#task;
    if (!task || this.curveRunning) return;
    this.curveProgress = null;
    const done = await this.curveCall.run(async (signal) => {
      await trainingWorker(device).call(
        'learningCurve',
        { taskId: task.id, config, compareSources, source, device },
        {
          signal,
          onProgress: (p) => {
            if ('total' in p && 'point' in p) this.curveProgress = p;
          },
        },
      );
      return true;
    });
    if (done) await this.refresh();
  }

  cancelCurve(): void {
    this.curveCall.cancel();
  }

  dispose(): void {
    this.runRemoval.dispose();
    this.answersRemoval.dispose();
    this.#follower.dispose();
  }
}
