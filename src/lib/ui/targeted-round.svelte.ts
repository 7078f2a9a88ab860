/**
 * @file A confusion-driven round, as the Train view runs it: find where a student is confused,
 * generate hard cases for exactly those cells (a targeted generation job), train the student
 * again and compare the affected cells; then keep the new samples or discard them as a batch.
 */
import { t } from './i18n.svelte';
import type { ConfusionTarget } from '../domain/confusion';
import { AppError, deserializeError } from '../domain/errors';
import type { GeneratorSpec, LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { createGenerationJob } from '../jobs/generation-job';
import type { ConfusionReport, RoundEvent } from '../jobs/targeted-round';
import type { Database } from '../storage/db';
import { getJob, jobsOfKind, samplesOfJob, saveJob } from '../storage/jobs-store';
import { setSamplesDeleted } from '../storage/samples-repo';
import { classifiersRepo, jobsRepo } from '../storage/task-records-repo';
import { runJobInWorker } from '../workers/generation-client';
import { cancelGently, trainingWorker } from '../workers/training-client';
import { DEFAULT_GENERATION, type GenerationConfig } from '../domain/generation';
import type { RoundComparison, RoundRecord } from '../domain/generation';
import { WorkerCall } from './worker-call.svelte';

/** `pending`: a round from an earlier visit whose samples were written but not compared or settled. */
export type RoundStage =
  'idle' | 'finding' | 'found' | 'pending' | 'generating' | 'comparing' | 'compared' | 'kept' | 'discarded';

type Device = 'wasm' | 'webgpu';

export class TargetedRoundState {
  stage = $state<RoundStage>('idle');
  report = $state.raw<ConfusionReport | null>(null);
  /** Worker progress while finding or comparing (cross-validation, embedding, training). */
  work = $state.raw<RoundEvent | null>(null);
  load = $state.raw<LoadProgress | null>(null);
  generated = $state.raw<{ done: number; total: number } | null>(null);
  comparison = $state.raw<RoundComparison | null>(null);
  error = $state<string | null>(null);
  /** Why the round has fewer new samples than it asked for (a replay with no more answers), or null. */
  short = $state<string | null>(null);
  /** The round's targeted generation job, once started. */
  jobId = $state<string | null>(null);
  /** Samples the round's job wrote (for a round found again after a reload). */
  written = $state(0);
  /** The step running now; Stop pauses generation, and stops the training worker gently. */
  readonly call = new WorkerCall({
    cancelled: () => t('round.stopped'),
    cancel: (controller, running) =>
      this.stage === 'generating' ? controller.abort() : cancelGently(controller, running),
  });

  constructor(private readonly db: Promise<Database>) {}

  get busy(): boolean {
    return this.call.running;
  }

  /**
   * Runs a step in `stage`; a failure or a stop says why and goes back to `back`.
   * @returns the step's result, or undefined when it did not finish
   */
  async #step<T>(stage: RoundStage, back: RoundStage, work: (signal: AbortSignal) => Promise<T>) {
    this.stage = stage;
    this.error = null;
    this.short = null;
    const result = await this.call.run(work);
    if (this.call.outcome === 'done') return result;
    if (this.call.outcome !== null) {
      this.error = this.call.error;
      this.stage = back;
    }
    return undefined;
  }

  /**
   * Finds the task's newest round that was not settled (a reload, a closed tab): with its
   * comparison if it was made, else ready to compare or discard.
   */
  async restore(taskId: string): Promise<void> {
    const db = await this.db;
    const job = (await jobsOfKind(db, taskId, 'generate'))
      .reverse()
      .find((j) => j.checkpoint.config.round && !j.checkpoint.config.round.settled);
    const config = job?.checkpoint.config;
    const round = config?.round;
    if (!job || !config || !round) return;
    const written = (await samplesOfJob(db, taskId, job.id)).filter((s) => s.deletedAt === null).length;
    // The user started something meanwhile: that wins.
    if (this.stage !== 'idle') return;
    this.jobId = job.id;
    this.written = written;
    this.report = {
      classifierId: round.classifierId,
      basis: round.basis,
      items: 0,
      targets: (config.targets ?? []).map((x) => ({ ...x, count: 0, support: 0 })),
    };
    this.comparison = round.comparison ?? null;
    this.stage = this.comparison ? 'compared' : 'pending';
  }

  /** Updates the round kept in its job. */
  async #saveRound(patch: Partial<RoundRecord>): Promise<void> {
    const db = await this.db;
    const job = this.jobId ? await getJob(db, this.jobId, 'generate') : undefined;
    const checkpoint = job?.checkpoint;
    const round = checkpoint?.config.round;
    if (!job || !checkpoint || !round) return;
    await saveJob(db, {
      ...job,
      checkpoint: { ...checkpoint, config: { ...checkpoint.config, round: { ...round, ...patch } } },
      updatedAt: Date.now(),
    });
  }

  #onWork = (e: RoundEvent | { stage: 'loading'; load: LoadProgress }) => {
    if (e.stage === 'loading') this.load = e.load;
    else this.work = e;
  };

  /** Finds where the classifier is confused. */
  async find(classifierId: string, source: ModelSource, device: Device): Promise<void> {
    this.report = null;
    this.comparison = null;
    this.work = null;
    const report = await this.#step('finding', 'idle', (signal) =>
      trainingWorker(device).call(
        'findConfusions',
        { classifierId, source, device },
        { signal, onProgress: this.#onWork },
      ),
    );
    if (!report) return;
    this.report = report;
    this.stage = 'found';
  }

  /**
   * Generates hard cases for the chosen cells (with the task's last generation settings, or the
   * defaults), then trains the student again and compares.
   */
  async generate(
    taskId: string,
    targets: readonly ConfusionTarget[],
    perCell: number,
    generator: GeneratorSpec,
    source: ModelSource,
    device: Device,
  ): Promise<void> {
    const report = this.report;
    if (!report || targets.length === 0) return;
    const db = await this.db;
    const base = (await jobsOfKind(db, taskId, 'generate')).at(-1)?.checkpoint.config;
    const config: GenerationConfig = {
      ...DEFAULT_GENERATION,
      ...(base ?? {}),
      generator,
      perCell,
      // Fresh hints and demonstrations: not the last job's choices again.
      seed: (base?.seed ?? DEFAULT_GENERATION.seed) + 1,
      targets: targets.map((x) => ({ label: x.label, language: x.language, confusedWith: x.confusedWith })),
      round: { classifierId: report.classifierId, basis: report.basis },
    };
    const job = await createGenerationJob(db, taskId, config);
    this.jobId = job.id;
    this.generated = { done: 0, total: perCell * targets.length };
    this.load = null;
    const end = await this.#step('generating', 'found', async (signal) => {
      const end = await runJobInWorker(
        job.id,
        config.generator,
        source,
        (e) => {
          if (e.kind === 'load') this.load = e.load;
          else
            this.generated = {
              done: e.progress.cells.reduce((a, c) => a + c.accepted, 0),
              total: e.progress.cells.reduce((a, c) => a + c.target, 0),
            };
        },
        signal,
      );
      if (end.status === 'paused') throw new AppError('aborted', t('round.stopped'));
      return end;
    });
    if (!end) return;
    await this.compare(report.classifierId, report.basis, source, device);
    // A cell given up on still leaves the others' samples: they were compared; say why it stopped.
    if (end.status === 'failed' && end.error && !this.error) this.error = deserializeError(end.error).message;
    // A replay that ran out ends the job "done" short of its quota: the comparison is on fewer
    // new samples than asked, and the page says so.
    else if (end.status === 'done' && end.progress.done < end.progress.total)
      this.short = t('round.ranShort', { done: end.progress.done, total: end.progress.total });
  }

  async compare(classifierId: string, basis: ConfusionReport['basis'], source: ModelSource, device: Device) {
    const jobId = this.jobId;
    if (!jobId) return;
    // Where a failure leaves the user: the samples are written and can still be discarded.
    const back = this.stage === 'pending' ? 'pending' : 'found';
    this.work = null;
    const comparison = await this.#step('comparing', back, async (signal) => {
      const comparison = await trainingWorker(device).call(
        'compareRound',
        { classifierId, jobId, basis, source, device },
        { signal, onProgress: this.#onWork },
      );
      // Kept with the job: a reload shows the numbers again, and Keep and Discard.
      await this.#saveRound({ comparison });
      return comparison;
    });
    if (!comparison) return;
    this.comparison = comparison;
    this.stage = 'compared';
  }

  /** Keeps the new samples and the new student. */
  async keep(): Promise<void> {
    await this.#saveRound({ settled: 'kept' });
    this.stage = 'kept';
  }

  /** Discards the round: its samples are deleted (restorable) and the new student removed. */
  async discard(): Promise<void> {
    const db = await this.db;
    const jobId = this.jobId;
    const report = this.report;
    if (jobId && report) {
      const job = await jobsRepo.get(db, jobId);
      if (job) {
        const ids = (await samplesOfJob(db, job.taskId, jobId)).filter((s) => s.deletedAt === null).map((s) => s.id);
        await setSamplesDeleted(db, ids, true);
      }
    }
    if (this.comparison) await classifiersRepo.remove(db, this.comparison.afterId);
    await this.#saveRound({ settled: 'discarded' });
    this.stage = 'discarded';
  }

  /** Stops what runs: generation pauses (its samples are kept until discarded). */
  stop(): void {
    this.call.cancel();
  }
}
