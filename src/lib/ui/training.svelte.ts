/**
 * @file The Train view's state: the task's classifiers (kept current by the change feed), and
 * the training running now with its embedding progress and epoch curve.
 */
import { t } from './i18n.svelte';
import { toAppError } from '../domain/errors';
import type { LoadProgress } from '../domain/model-spec';
import type { ClassifierRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import type { TrainingResult } from '../jobs/training-job';
import { subscribeChanges } from '../storage/change-feed';
import type { Database } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';
import type { TrainingConfig, EpochReport } from '../domain/student';

export class TrainingState {
  classifiers = $state.raw<ClassifierRecord[]>([]);
  running = $state(false);
  /** Cancel was asked and the worker has not answered yet. */
  cancelling = $state(false);
  load = $state.raw<LoadProgress | null>(null);
  embedding = $state.raw<{ done: number; total: number; cached: number } | null>(null);
  curve = $state.raw<EpochReport[]>([]);
  result = $state.raw<TrainingResult | null>(null);
  error = $state<string | null>(null);
  #controller: AbortController | null = null;
  #taskId: string | null = null;
  #stop: (() => void) | null = null;

  constructor(private readonly db: Promise<Database>) {}

  follow(taskId: string | null): void {
    this.#taskId = taskId;
    this.#stop?.();
    this.#stop = taskId
      ? subscribeChanges((c) => c.store === 'classifiers' && c.taskId === taskId && void this.refresh())
      : null;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const taskId = this.#taskId;
    if (!taskId) return;
    const list = (await classifiersRepo.listByTask(await this.db, taskId)).sort((a, b) => b.createdAt - a.createdAt);
    if (taskId === this.#taskId) this.classifiers = list;
  }

  async train(taskId: string, config: TrainingConfig, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    this.#controller = new AbortController();
    this.running = true;
    this.curve = [];
    this.embedding = null;
    this.load = null;
    this.result = null;
    this.error = null;
    try {
      this.result = await trainingWorker().call(
        'train',
        { taskId, config, source, device },
        {
          signal: this.#controller.signal,
          onProgress: (e) => {
            if (e.stage === 'epoch') this.curve = [...this.curve, e.report];
            else if (e.stage === 'embedding') this.embedding = { done: e.done, total: e.total, cached: e.cached };
            else this.load = e.load;
          },
        },
      );
      await this.refresh();
    } catch (error) {
      const e = toAppError(error);
      this.error = e.code === 'aborted' ? t('train.cancelled') : e.message;
    } finally {
      this.running = false;
      this.cancelling = false;
      this.#controller = null;
    }
  }

  /** Stops training at the next epoch (see {@link cancelGently}); nothing of it is saved. */
  cancel(): void {
    const controller = this.#controller;
    if (!controller || controller.signal.aborted) return;
    this.cancelling = true;
    cancelGently(controller, () => this.#controller === controller);
  }

  async remove(id: string): Promise<void> {
    await classifiersRepo.remove(await this.db, id);
    await this.refresh();
  }

  dispose(): void {
    this.follow(null);
  }
}
