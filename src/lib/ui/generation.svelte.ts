/**
 * @file The Generate view's state: the task's generation jobs, the one running here (with
 * live progress), and jobs left running or paused by a closed tab or a crash, offered for resume.
 */
import { formatDate, t } from './i18n.svelte';
import { generatorName } from '../domain/model-spec';
import type { Task } from '../domain/task';
import { safeFileName } from '../files/dataset-files';
import { readStats } from '../storage/sample-stats';
import { byAge } from '../storage/samples-repo';
import { download } from './download';
import { recordingFromSamples } from './recordings';
import { AppError, deserializeError, type ErrorCode } from '../domain/errors';
import type { LoadProgress } from '../domain/model-spec';
import type { JobRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import { createGenerationJob, type GenerationProgress } from '../jobs/generation-job';
import type { Database } from '../storage/db';
import { getJob, samplesOfJob, saveJob } from '../storage/jobs-store';
import { jobsRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';
import { generationLockName } from '../domain/locks';
import { isOwnText } from '../domain/language-check';
import { runJobInWorker } from '../workers/generation-client';
import type { GenerationConfig } from '../domain/generation';
import { TaskFollower } from './task-follower';
import { WorkerCall } from './worker-call.svelte';

export class GenerationState {
  jobs = $state.raw<JobRecord[]>([]);
  runningId = $state<string | null>(null);
  /** The task's own texts per language code (seeds, human-written training and validation texts): what the language check learns from. */
  ownTexts = $state.raw<Record<string, number>>({});
  progress = $state.raw<GenerationProgress | null>(null);
  load = $state.raw<LoadProgress | null>(null);
  /** Seconds left of the model download at its pace so far, or null. */
  loadEta = $state<number | null>(null);
  /** Jobs whose lock another tab holds. */
  elsewhere = $state.raw<readonly string[]>([]);
  message = $state<{ text: string; error: boolean; code?: ErrorCode | null } | null>(null);
  /** The job running here; cancelling it pauses the job (its samples so far are kept). */
  readonly call = new WorkerCall({ cancelled: () => t('gen.stopped') });
  readonly #task = new TaskFollower((c) => {
    if (c.store === 'jobs' && !this.runningId) void this.refresh();
    // One request (the task's kept counts): an import in another tab shows here at once.
    if (c.store === 'samples') void this.#countOwnTexts();
  });

  constructor(private readonly db: Promise<Database>) {}

  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    this.progress = null;
    void this.refresh();
    void this.#countOwnTexts();
  }

  /** Counts the task's own texts per language, from the task's kept counts. */
  async #countOwnTexts(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const db = await this.db;
    const own: Record<string, number> = {};
    for (const s of await readStats(db, taskId)) if (isOwnText(s)) own[s.language] = (own[s.language] ?? 0) + s.live;
    if (taskId === this.#task.taskId) this.ownTexts = own;
  }

  async refresh(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const jobs = (await jobsRepo.listByTask(await this.db, taskId))
      .filter((j) => j.kind === 'generate')
      .sort((a, b) => b.createdAt - a.createdAt);
    const query = await globalThis.navigator?.locks?.query?.();
    const lockedElsewhere = !this.runningId && Boolean(query?.held?.some((l) => l.name === generationLockName(taskId)));
    const held = lockedElsewhere ? jobs.filter((j) => j.status === 'running').map((j) => j.id) : [];
    if (taskId !== this.#task.taskId) return;
    this.jobs = jobs;
    this.elsewhere = held;
  }

  /** A job stopped by a closed tab, a crash or a pause, that can continue. */
  get resumable(): JobRecord | null {
    return (
      this.jobs.find(
        (j) =>
          (j.status === 'running' || j.status === 'paused' || j.status === 'queued' || j.status === 'failed') &&
          // A job that failed before writing anything (a model that would not load) is not
          // offered again: "Generate" with a fixed setting starts it anew.
          !(j.status === 'failed' && j.progress.done === 0) &&
          !this.elsewhere.includes(j.id) &&
          j.id !== this.runningId,
      ) ?? null
    );
  }

  /** Why the job offered for resume stopped, when it failed (a cell given up on), or null. */
  get resumeReason(): string | null {
    const job = this.resumable;
    return job?.status === 'failed' && job.error ? deserializeError(job.error).message : null;
  }

  async start(taskId: string, config: GenerationConfig, source: ModelSource): Promise<void> {
    // Another tab generates for this task: say so, and leave no second job behind.
    const query = await globalThis.navigator?.locks?.query?.();
    if (!this.runningId && query?.held?.some((l) => l.name === generationLockName(taskId))) {
      this.message = { text: t('err.genBusy'), error: true };
      return;
    }
    const job = await createGenerationJob(await this.db, taskId, config);
    await this.refresh();
    await this.resume(job.id, source);
  }

  async resume(jobId: string, source: ModelSource): Promise<void> {
    if (this.runningId) return;
    this.runningId = jobId;
    this.message = null;
    this.load = null;
    this.loadEta = null;
    let loadStart: number | null = null;
    const end = await this.call.run(async (signal) => {
      const job = await getJob(await this.db, jobId, 'generate');
      if (!job) throw new AppError('internal', t('err.genJobGone'));
      return runJobInWorker(
        jobId,
        job.checkpoint.config.generator,
        source,
        (e) => {
          if (e.kind === 'load') {
            loadStart ??= Date.now();
            this.load = e.load;
            const share = e.load.total > 0 ? e.load.loaded / e.load.total : 0;
            this.loadEta = share > 0.01 && share < 1 ? ((Date.now() - loadStart) / 1000) * ((1 - share) / share) : null;
          } else this.progress = e.progress;
        },
        signal,
      );
    });
    this.runningId = null;
    if (!end)
      this.message = this.call.error
        ? { text: this.call.error, error: this.call.outcome === 'failed', code: this.call.errorCode }
        : null;
    else if (end.status === 'done') this.message = { text: await this.#doneText(end), error: false };
    else if (end.status === 'paused') this.message = { text: t('gen.paused'), error: false };
    else if (end.error) {
      const e = deserializeError(end.error);
      this.message = { text: e.message, error: true, code: e.code };
    }
    await this.refresh();
  }

  /**
   * "Done", or, for a job that ended short of its quota because its generator had no more
   * answers (a replay), which cells it could not fill and what to do instead.
   */
  async #doneText(end: JobRecord): Promise<string> {
    const short = this.progress?.cells.filter((c) => c.missing > 0) ?? [];
    if (end.progress.done >= end.progress.total || short.length === 0) return t('gen.done');
    const task = await getTask(await this.db, end.taskId);
    const name = (code: string) => task?.languages.find((l) => l.code === code)?.name ?? code;
    const cells = short.map((c) => t('err.cell', { label: c.label, language: name(c.language) })).join(', ');
    return t('gen.doneShort', { cells, done: end.progress.done, total: end.progress.total });
  }

  /** Pauses the running job after the current call (its samples so far are kept). */
  pause(): void {
    this.call.cancel();
  }

  /** Finished jobs that wrote texts, newest first (each can be saved as a recording). */
  get finished(): JobRecord[] {
    return this.jobs.filter((j) => j.status === 'done' && j.progress.done > 0);
  }

  /**
   * Saves a finished job's accepted texts as a recording (a JSON file), so a later workshop
   * can replay the generation without a capable GPU.
   */
  async saveAsRecording(job: JobRecord, task: Task): Promise<void> {
    if (job.kind !== 'generate') return;
    const samples = (await samplesOfJob(await this.db, task.id, job.id))
      .filter((s) => s.deletedAt === null && s.source === 'synthetic')
      .sort(byAge);
    const generator = job.checkpoint.config.generator;
    const date = formatDate(job.createdAt);
    const recording = recordingFromSamples(
      samples,
      task,
      `${generatorName(generator)} · ${task.name}`,
      t('gen.recordingNote', { task: task.name, date, model: generatorName(generator), count: samples.length }),
    );
    const day = new Intl.DateTimeFormat('sv').format(job.createdAt); // YYYY-MM-DD
    const name = `${safeFileName(task.name)}-${day}.recording.json`;
    download(new Blob([JSON.stringify(recording, null, 1)]), name, 'application/json');
    this.message = { text: t('gen.recordingSaved', { file: name, count: samples.length }), error: false };
  }

  /** Ends a job for good: it will not be offered for resume. Its samples stay. */
  async cancel(job: JobRecord): Promise<void> {
    if (this.runningId === job.id) this.pause();
    await saveJob(await this.db, { ...job, status: 'cancelled', updatedAt: Date.now() });
    await this.refresh();
  }

  dispose(): void {
    this.follow(null);
  }
}
