/**
 * @file The label check's state: the run (progress, cancel, error), its report, and the
 * one-click fixes on its findings (relabel, delete, keep), each undoable once.
 */
import { t } from '../i18n/i18n.svelte';
import { toAppError } from '../domain/errors';
import type { LoadProgress } from '../domain/model-spec';
import type { Sample } from '../domain/sample';
import type { ModelSource } from '../domain/settings';
import type { LabelCheckEvent, LabelCheckReport } from '../jobs/label-check';
import type { EncoderRef } from '../ml/classifier-file';
import type { Database } from '../storage/db';
import { setSamplesDeleted, updateSample } from '../storage/samples-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';

export class LabelCheckState {
  running = $state(false);
  cancelling = $state(false);
  progress = $state.raw<LabelCheckEvent | null>(null);
  load = $state.raw<LoadProgress | null>(null);
  report = $state.raw<LabelCheckReport | null>(null);
  error = $state<string | null>(null);
  /** What the last fix did, and how to take it back. */
  done = $state.raw<{ said: string; undo: () => Promise<void> } | null>(null);
  #controller: AbortController | null = null;

  constructor(private readonly db: Promise<Database>) {}

  async run(taskId: string, encoder: EncoderRef | null, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    const controller = (this.#controller = new AbortController());
    this.running = true;
    this.progress = null;
    this.load = null;
    this.error = null;
    this.done = null;
    try {
      this.report = await trainingWorker().call(
        'checkLabels',
        { taskId, encoder, source, device },
        {
          signal: controller.signal,
          onProgress: (e) => {
            if (e.stage === 'loading') this.load = e.load;
            else if (e.stage === 'embedding' || e.stage === 'folds') this.progress = e;
          },
        },
      );
    } catch (error) {
      const e = toAppError(error);
      this.error = e.code === 'aborted' ? t('lcheck.cancelled') : e.message;
    } finally {
      this.running = false;
      this.cancelling = false;
      this.#controller = null;
    }
  }

  cancel(): void {
    const controller = this.#controller;
    if (!controller) return;
    this.cancelling = true;
    cancelGently(controller, () => this.#controller === controller);
  }

  /** Gives a sample the label the check suggests; its finding is settled. */
  async relabel(sample: Sample, label: string, flag: string): Promise<void> {
    const db = await this.db;
    await updateSample(db, sample.id, { label, flags: sample.flags.filter((f) => f !== flag) });
    this.done = {
      said: t('lcheck.relabelled', { label }),
      undo: async () => void (await updateSample(db, sample.id, { label: sample.label, flags: sample.flags })),
    };
  }

  /** Deletes a sample (restorable from Removed samples). */
  async remove(sample: Sample): Promise<void> {
    const db = await this.db;
    await setSamplesDeleted(db, [sample.id], true);
    this.done = { said: t('lcheck.deleted'), undo: () => setSamplesDeleted(db, [sample.id], false) };
  }

  /** Keeps samples as they are: the finding is dismissed (its flag cleared). */
  async keep(samples: readonly Sample[], flag: string): Promise<void> {
    const db = await this.db;
    for (const s of samples) await updateSample(db, s.id, { flags: s.flags.filter((f) => f !== flag) });
    this.done = {
      said: t('lcheck.kept'),
      undo: async () => {
        for (const s of samples) await updateSample(db, s.id, { flags: s.flags });
      },
    };
  }

  async undo(): Promise<void> {
    const done = this.done;
    this.done = null;
    await done?.undo();
  }
}
