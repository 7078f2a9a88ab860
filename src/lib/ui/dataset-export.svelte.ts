/**
 * @file Dataset → Export: the task's samples as CSV, JSONL or a Hugging Face folder, written in
 * the data worker and offered as a download.
 */
import { t } from './i18n.svelte';
import { dataWorker } from '../workers/data-client';
import type { ExportFormat } from '../workers/data-protocol';
import { download } from './download';
import { WorkerCall } from './worker-call.svelte';

export class DatasetExport {
  readonly call = new WorkerCall();
  #done = $state<string | null>(null);

  get busy(): boolean {
    return this.call.running;
  }
  /** The file saved, or why it could not be. */
  get message(): { text: string; error: boolean } | null {
    return this.call.message(this.#done);
  }

  /** Write CSV cells exactly as stored (off: cells a spreadsheet would run as formulas are guarded). */
  raw = $state(false);

  async exportAs(taskId: string, format: ExportFormat): Promise<void> {
    this.#done = null;
    const raw = this.raw;
    const r = await this.call.run(() => dataWorker().call('exportDataset', { taskId, format, raw }));
    if (!r) return;
    download(r.bytes, r.fileName, r.mime);
    this.#done = t('export.done', { count: r.count, file: r.fileName });
  }
}
