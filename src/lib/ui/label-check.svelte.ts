/**
 * @file The label check's state: the run (progress, cancel, error), its report, and the
 * one-click fixes on its findings (relabel, delete, keep), each undoable once.
 */
import { SvelteSet } from 'svelte/reactivity';
import { t } from './i18n.svelte';
import { WorkerCall } from './worker-call.svelte';
import type { LoadProgress } from '../domain/model-spec';
import { CHECK_FLAGS, type Sample } from '../domain/sample';
import type { ModelSource } from '../domain/settings';
import type { LabelCheckEvent, LabelCheckReport } from '../jobs/label-check';
import type { Database } from '../storage/db';
import { setSamplesDeleted, updateSample, withFlag } from '../storage/samples-repo';
import { cancelGently, trainingWorker } from '../workers/training-client';
import type { EncoderRef } from '../domain/student';

export class LabelCheckState {
  progress = $state.raw<LabelCheckEvent | null>(null);
  load = $state.raw<LoadProgress | null>(null);
  report = $state.raw<LabelCheckReport | null>(null);

  /** What the last fix did, and how to take it back. */
  done = $state.raw<{ said: string; undo: () => Promise<void> } | null>(null);
  /**
   * Findings the user settled here (`flag id`): hidden at once, without waiting for the
   * dataset's next refresh to show the sample's new label or flags.
   */
  readonly settled = new SvelteSet<string>();
  /** The worker call running now: `running`, `cancelling`, `error`, `cancel()`. */
  readonly call = new WorkerCall({ cancelled: () => t('lcheck.cancelled'), cancel: cancelGently });

  constructor(private readonly db: Promise<Database>) {}

  async run(taskId: string, encoder: EncoderRef | null, source: ModelSource, device: 'wasm' | 'webgpu'): Promise<void> {
    this.progress = null;
    this.load = null;
    this.done = null;
    this.settled.clear();
    const report = await this.call.run((signal) =>
      trainingWorker(device).call(
        'checkLabels',
        { taskId, encoder, source, device },
        {
          signal,
          onProgress: (e) => {
            if (e.stage === 'loading') this.load = e.load;
            else if (e.stage === 'embedding' || e.stage === 'folds') this.progress = e;
          },
        },
      ),
    );
    if (report) this.report = report;
  }

  /** Gives a sample the label the check suggests; its finding is settled. */
  async relabel(sample: Sample, label: string, flag: string): Promise<void> {
    const db = await this.db;
    // The flags are read in the write's transaction: the page's copy may not show the check's yet.
    await updateSample(db, sample.id, (stored) => ({ label, ...withFlag(flag, false)(stored) }));
    this.settled.add(`${flag} ${sample.id}`);
    this.done = {
      said: t('lcheck.relabelled', { label }),
      undo: async () => {
        await updateSample(db, sample.id, (stored) => ({ label: sample.label, ...withFlag(flag, true)(stored) }));
        this.settled.delete(`${flag} ${sample.id}`);
      },
    };
  }

  /** Deletes a sample (restorable from Removed samples): every finding about it is settled. */
  async remove(sample: Sample): Promise<void> {
    const db = await this.db;
    await setSamplesDeleted(db, [sample.id], true);
    const keys = CHECK_FLAGS.map((f) => `${f} ${sample.id}`);
    for (const k of keys) this.settled.add(k);
    this.done = {
      said: t('lcheck.deleted'),
      undo: async () => {
        await setSamplesDeleted(db, [sample.id], false);
        for (const k of keys) this.settled.delete(k);
      },
    };
  }

  /** Keeps samples as they are: the finding is dismissed (its flag cleared). */
  async keep(samples: readonly Sample[], flag: string): Promise<void> {
    const db = await this.db;
    for (const s of samples) {
      await updateSample(db, s.id, withFlag(flag, false));
      this.settled.add(`${flag} ${s.id}`);
    }
    this.done = {
      said: t('lcheck.kept'),
      undo: async () => {
        for (const s of samples) {
          await updateSample(db, s.id, withFlag(flag, true));
          this.settled.delete(`${flag} ${s.id}`);
        }
      },
    };
  }

  async undo(): Promise<void> {
    const done = this.done;
    this.done = null;
    await done?.undo();
  }
}
