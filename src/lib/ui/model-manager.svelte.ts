/**
 * @file The model manager's state: the models in the libraries' caches (sizes, total), delete,
 * and model packs out and in. The work runs in the data worker.
 */
import { t } from '../i18n/i18n.svelte';
import type { CachedModel } from '../backends/model-cache';
import { defaultPrefixFor, type LoadProgress, type ModelDtype } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { WorkerEncoder } from '../workers/encoder-client';
import { prepareGeneratorInWorker } from '../workers/generation-client';
import { dataWorker, download } from '../workers/data-client';

export class ModelManagerState {
  models = $state.raw<CachedModel[] | null>(null);
  busy = $state(false);
  /** An embedding model being downloaded ahead of time, with the file in progress. */
  downloading = $state.raw<{ modelId: string; load: LoadProgress | null } | null>(null);
  #downloadController: AbortController | null = null;
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
      this.message = { text: t('mm.readFailed', { error: (e as Error).message }), error: true };
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
      return t('mm.deleted', { model: model.modelId });
    });
  }

  exportPack(model: CachedModel): Promise<void> {
    return this.#run(async () => {
      const r = await dataWorker().call('exportModelPack', {
        model: $state.snapshot(model) as CachedModel,
        folder: this.folder(),
      });
      download(r.bytes, r.fileName, 'application/zip');
      return t('mm.saved', { model: model.modelId, file: r.fileName });
    });
  }

  /**
   * Downloads an embedding model into the browser's cache now (8-bit weights, as training
   * uses by default), so it works later with no network.
   */
  download(modelId: string, source: ModelSource): Promise<void> {
    return this.#fetchAhead(modelId, async (onProgress, signal) => {
      const encoder = await WorkerEncoder.open(
        { modelId, device: 'wasm', dtype: 'q8', prefix: defaultPrefixFor(modelId) },
        source,
        { signal, onProgress },
      );
      await encoder.dispose();
    });
  }

  /** Downloads a text-generation model (transformers.js, CPU path) ahead of time. */
  downloadGenerator(modelId: string, dtype: ModelDtype, source: ModelSource): Promise<void> {
    return this.#fetchAhead(modelId, (onProgress, signal) =>
      prepareGeneratorInWorker({ kind: 'transformers', modelId, device: 'wasm', dtype }, source, onProgress, signal),
    );
  }

  /** Runs a download with progress in {@link downloading} and a Stop that keeps fetched files. */
  #fetchAhead(
    modelId: string,
    fetch: (onProgress: (p: LoadProgress) => void, signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    this.#downloadController = controller;
    this.downloading = { modelId, load: null };
    return this.#run(async () => {
      try {
        await fetch((load) => (this.downloading = { modelId, load }), controller.signal);
        return t('mm.downloaded', { model: modelId });
      } catch (e) {
        if (controller.signal.aborted) return t('mm.stopped', { model: modelId });
        throw e;
      } finally {
        this.downloading = null;
        this.#downloadController = null;
      }
    });
  }

  cancelDownload(): void {
    this.#downloadController?.abort();
  }

  /** @param files a pack (one zip) or a picked folder's files (paths from `webkitRelativePath`) */
  importFiles(files: readonly File[]): Promise<void> {
    return this.#run(async () => {
      const r = await dataWorker().call('importModelFiles', {
        files: files.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })),
        folder: this.folder(),
      });
      return t('mm.imported', {
        models: r.models.map((m) => t('mm.files', { model: m.modelId, count: m.files })).join(', '),
        count: r.models.length,
      });
    });
  }
}
