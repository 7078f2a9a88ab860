/**
 * @file Models & storage → project bundles: save every task as one zip, and read one back
 * (what it holds first, then merge or replace). The work runs in the data worker.
 */
import { t } from './i18n.svelte';
import type { BundleMode } from '../files/bundle';
import { dataWorker } from '../workers/data-client';
import { download } from './download';
import { WorkerCall } from './worker-call.svelte';

export interface BundlePreview {
  tasks: { id: string; name: string }[];
  samples: number;
  /** What the data worker kept the read bundle under (importing it then does not unpack it again). */
  token: string;
}

export class BundleTransfer {
  readonly call = new WorkerCall();
  /** The bundle chosen for import, once it could be read. */
  file = $state.raw<File | null>(null);
  preview = $state.raw<BundlePreview | null>(null);
  mode = $state<BundleMode>('merge');
  #done = $state<string | null>(null);

  get busy(): boolean {
    return this.call.running;
  }
  /** What the last action did, or why it failed. */
  get message(): { text: string; error: boolean } | null {
    return this.call.message(this.#done);
  }

  /** @param taskCount how many tasks the bundle will hold (for the sentence) */
  async exportAll(taskCount: number): Promise<void> {
    this.#done = null;
    const r = await this.call.run(() => dataWorker().call('exportBundle', { taskIds: null }));
    if (!r) return;
    download(r.bytes, r.fileName, 'application/zip');
    this.#done = t('bundle.saved', { count: taskCount, file: r.fileName });
  }

  /**
   * Reads what a bundle holds.
   * @returns false when it cannot be read (the file input should be cleared)
   */
  async choose(file: File | null): Promise<boolean> {
    this.file = null;
    this.preview = null;
    this.#done = null;
    this.call.reset();
    if (!file) return true;
    const preview = await this.call.run(() => dataWorker().call('readBundle', { file }));
    if (!preview) return false;
    this.file = file;
    this.preview = preview;
    return true;
  }

  /** Imports the chosen bundle in the chosen mode; `then` runs after (e.g. reading the task list again). */
  async importNow(then: () => Promise<void>): Promise<void> {
    const file = this.file;
    if (!file) return;
    const mode = this.mode;
    const token = this.preview?.token;
    const r = await this.call.run(() => dataWorker().call('importBundle', { file, mode, token }));
    if (!r) return;
    this.#done = t('bundle.imported', { count: r.tasks, samples: r.samples });
    this.preview = null;
    this.file = null;
    await then();
  }
}
