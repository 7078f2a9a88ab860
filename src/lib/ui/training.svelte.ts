/**
 * @file The Train view's state: the task's classifiers (kept current by the change feed), and
 * the training running now with its embedding progress and epoch curve.
 */
import { t } from './i18n.svelte';
import type { LoadProgress } from '../domain/model-spec';
import type { ClassifierListing, ClassifierRecord } from '../domain/records';
import { dataWorker } from '../workers/data-client';
import type { ModelSource } from '../domain/settings';
import type { TrainingResult } from '../jobs/training-job';
import type { Database } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';
import { NewestWins } from './newest-wins';
import { TaskFollower } from './task-follower';
import { UndoableRemoval } from './undo-removal.svelte';
import { WorkerCall } from './worker-call.svelte';
import type { TrainingConfig, EpochReport } from '../domain/student';
import { CURVE_SAMPLE_SOURCES, CURVE_SOURCES, type CurveSource } from '../domain/evaluation';
import { readStats, sumStats, type SampleStat } from '../storage/sample-stats';

export class TrainingState {
  /** Newest first, without their weights (read in the data worker: the page would stall on them). */
  classifiers = $state.raw<ClassifierListing[]>([]);
  load = $state.raw<LoadProgress | null>(null);
  embedding = $state.raw<{ done: number; total: number; cached: number } | null>(null);
  curve = $state.raw<EpochReport[]>([]);
  /** Trying how much people's labels count against synthetic ones (see `fitWeighted`). */
  weighing = $state.raw<{ weight: number; done: number; total: number } | null>(null);
  /** The n-gram student's labels solved on several threads, while they are. */
  solving = $state.raw<{ solved: number; labels: number; solvers: number } | null>(null);
  /** Why the solvers could not run, when this training fell back to one thread (kept until the next training). */
  restarted = $state.raw<string | null>(null);
  result = $state.raw<TrainingResult | null>(null);
  /** Why the last download of a classifier's files could not be made (null once one is asked for again). */
  fileError = $state<string | null>(null);
  /** A classifier's whole record is being read for a download. */
  reading = $state(false);
  /** Training samples by where their label came from: people's labels, synthetic (with edited ones). */
  sourceCounts = $state.raw({ human: 0, synthetic: 0 });
  /** A comparison of training data running or done: which of the three students, and those trained. */
  comparing = $state.raw<{ step: number; of: number; sources: CurveSource; trained: ClassifierRecord[] } | null>(null);
  /** The worker call running now: `running`, `cancelling`, `error`, `cancel()`. */
  readonly call = new WorkerCall({ cancelled: () => t('train.cancelled'), cancel: cancelGently });
  // A change of samples reads only the kept counts: the classifiers' records hold their weights.
  readonly #task = new TaskFollower((c) => {
    if (c.store === 'classifiers') void this.refresh();
    else if (c.store === 'samples') void this.refresh(false);
  });

  readonly #listOrder = new NewestWins();
  readonly #statsOrder = new NewestWins();

  constructor(private readonly db: Promise<Database>) {}

  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    // A failed download of another task's classifier is not this task's.
    this.fileError = null;
    void this.refresh();
  }

  /** Reads the task's classifiers (unless `classifiers` is false) and its training samples' counts again. */
  async refresh(classifiers = true): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    // Reads overlap (a change, then a training's end): the list and counts shown are the newest read.
    const listTicket = classifiers ? this.#listOrder.ask() : 0;
    const statsTicket = this.#statsOrder.ask();
    const db = await this.db;
    const [list, stats] = await Promise.all([
      classifiers ? dataWorker().call('classifierListings', { taskId }) : null,
      readStats(db, taskId),
    ]);
    if (taskId !== this.#task.taskId) return;
    if (list && this.#listOrder.show(listTicket)) this.classifiers = list;
    if (!this.#statsOrder.show(statsTicket)) return;
    // Counted from the kept counts: no sample is read, however many the task has.
    const training = (s: SampleStat) => s.split === 'train' || s.split === 'seed';
    this.sourceCounts = {
      human: sumStats(stats, (s) => training(s) && s.source === 'human').live,
      synthetic: sumStats(stats, (s) => training(s) && s.source !== 'human').live,
    };
  }

  async train(taskId: string, config: TrainingConfig, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    this.comparing = null;
    await this.#trainOne(taskId, config, source, device);
  }

  /**
   * Trains the same student three times, on synthetic samples only, people's labels only and
   * both (issue 19), so Evaluate shows them side by side; stops at the first failure or cancel.
   */
  async compareSources(
    taskId: string,
    config: TrainingConfig,
    source: ModelSource,
    device: 'wasm' | 'webgpu',
  ): Promise<void> {
    const trained: ClassifierRecord[] = [];
    for (const [i, sources] of CURVE_SOURCES.entries()) {
      this.comparing = { step: i + 1, of: CURVE_SOURCES.length, sources, trained: [...trained] };
      await this.#trainOne(taskId, { ...config, sources: CURVE_SAMPLE_SOURCES[sources] }, source, device);
      if (!this.result) return;
      trained.push(this.result.record);
    }
    this.comparing = { step: CURVE_SOURCES.length, of: CURVE_SOURCES.length, sources: 'both', trained };
  }

  async #trainOne(
    taskId: string,
    config: TrainingConfig,
    source: ModelSource,
    device: 'wasm' | 'webgpu',
  ): Promise<void> {
    this.curve = [];
    this.embedding = null;
    this.weighing = null;
    this.solving = null;
    this.restarted = null;
    this.load = null;
    this.result = null;
    this.result =
      (await this.call.run((signal) =>
        trainingWorker(device).call(
          'train',
          { taskId, config, source, device },
          {
            signal,
            onProgress: (e) => {
              if (e.stage === 'epoch') this.curve = [...this.curve, e.report];
              else if (e.stage === 'embedding') this.embedding = { done: e.done, total: e.total, cached: e.cached };
              else if (e.stage === 'weighing') this.weighing = { weight: e.weight, done: e.done, total: e.total };
              else if (e.stage === 'solving') this.solving = { solved: e.solved, labels: e.labels, solvers: e.solvers };
              else if (e.stage === 'restarted') {
                // The passes drawn so far were the solvers'; this thread starts from the first.
                this.curve = [];
                this.solving = null;
                this.restarted = e.reason;
              } else this.load = e.load;
            },
          },
        ),
      )) ?? null;
    if (this.result) await this.refresh();
  }

  /** A classifier's whole record, weights included (null when it is gone). */
  async full(id: string): Promise<ClassifierRecord | null> {
    return (await classifiersRepo.get(await this.db, id)) ?? null;
  }

  /**
   * Reads a listed classifier's whole record and hands it to `use` (a download, the standalone
   * page); a classifier deleted meanwhile, a failed read or a failed download is said in
   * `fileError`. A second ask while a record is being read is ignored; `use` starts as soon as
   * the read ends, so work it marks busy at its start leaves no gap for a double click.
   */
  async withRecord(id: string, use: (record: ClassifierRecord) => Promise<void>): Promise<void> {
    if (this.reading) return;
    this.fileError = null;
    this.reading = true;
    let record: ClassifierRecord | null;
    try {
      record = await this.full(id);
    } catch (e) {
      this.fileError = t('train.fileFailed', { error: (e as Error).message });
      return;
    } finally {
      this.reading = false;
    }
    if (!record) {
      this.fileError = t('train.classifierGone');
      return;
    }
    try {
      await use(record);
    } catch (e) {
      this.fileError = t('train.fileFailed', { error: (e as Error).message });
    }
  }

  /** Deletes a listed classifier, with "Undo" offered (its whole record is read first, to come back). */
  async deleteClassifier(c: Pick<ClassifierListing, 'id'>): Promise<void> {
    let record: ClassifierRecord | null;
    try {
      record = await this.full(c.id);
    } catch (e) {
      // Said where a failed delete is said; nothing was removed.
      this.removal.error = (e as Error).message;
      return;
    }
    if (record) await this.removal.delete(record);
  }

  /** Deleting a classifier, with "Undo" offered for a while (the record comes back whole). */
  readonly removal = new UndoableRemoval<ClassifierRecord>(
    async (id) => {
      await classifiersRepo.remove(await this.db, id);
      await this.refresh();
    },
    async (record) => {
      await classifiersRepo.put(await this.db, record);
      await this.refresh();
    },
    (error) => t('train.restoreFailed', { error }),
  );

  dispose(): void {
    this.removal.dispose();
    this.#task.dispose();
  }
}
