/**
 * @file The model manager's state: the models in the libraries' caches (sizes, total), delete,
 * and model packs out and in. The work runs in the data worker.
 */
import type { CachedModel } from '../backends/model-cache';
import { dataWorker, download } from '../workers/data-client';

export class ModelManagerState {
  models = $state.raw<CachedModel[] | null>(null);
  busy = $state(false);
  message = $state<{ text: string; error: boolean } | null>(null);

  /** @param folder the model folder's address, if the settings name one */
  constructor(private readonly folder: () => string | null) {}

  get total(): number {
    return (this.models ?? []).reduce((a, m) => a + m.bytes, 0);
  }

  async refresh(): Promise<void> {
    try {
      this.models = await dataWorker().call('listModels', { folder: this.folder() });
    } catch (e) {
      this.message = { text: `The model caches could not be read: ${(e as Error).message}`, error: true };
    }
  }

  async #run(work: () => Promise<string>): Promise<void> {
    this.busy = true;
    this.message = null;
    try {
      this.message = { text: await work(), error: false };
    } catch (e) {
      this.message = { text: (e as Error).message, error: true };
    } finally {
      this.busy = false;
      await this.refresh();
    }
  }

  remove(model: CachedModel): Promise<void> {
    return this.#run(async () => {
      await dataWorker().call('deleteModel', { model: $state.snapshot(model) as CachedModel });
      return `Deleted ${model.modelId}: the next use downloads it again.`;
    });
  }

  exportPack(model: CachedModel): Promise<void> {
    return this.#run(async () => {
      const r = await dataWorker().call('exportModelPack', {
        model: $state.snapshot(model) as CachedModel,
        folder: this.folder(),
      });
      download(r.bytes, r.fileName, 'application/zip');
      return `Saved ${model.modelId} as ${r.fileName}. On another laptop, import it here.`;
    });
  }

  /** @param files a pack (one zip) or a picked folder's files (paths from `webkitRelativePath`) */
  importFiles(files: readonly File[]): Promise<void> {
    return this.#run(async () => {
      const r = await dataWorker().call('importModelFiles', {
        files: files.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })),
        folder: this.folder(),
      });
      return `Imported ${r.models.map((m) => `${m.modelId} (${m.files} files)`).join(', ')}: ${r.models.length === 1 ? 'it loads' : 'they load'} with no download now.`;
    });
  }
}
