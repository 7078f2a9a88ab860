/**
 * @file The model manager's state: the models in the libraries' caches (sizes, total), delete,
 * and model packs out and in. The work runs in the data worker.
 */
import type { ErrorCode } from '../domain/errors';
import { t } from './i18n.svelte';
import type { CachedModel } from '../backends/model-cache';
import { safeFileName } from '../files/dataset-files';
import { defaultPrefixFor, type GeneratorSpec, type LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';
import { WorkerEncoder } from '../workers/encoder-client';
import { prepareGeneratorInWorker } from '../workers/generation-client';
import { dataWorker } from '../workers/data-client';
import type { PackProgress } from '../files/model-packs';
import { WorkerCall } from './worker-call.svelte';
import { download } from './download';

export class ModelManagerState {
  models = $state.raw<CachedModel[] | null>(null);
  /** The action running now (delete, download, pack out or in), with its Stop. */
  readonly call = new WorkerCall();
  /** What is moving now (a download, a pack saved or imported): bytes so far, with a Stop. */
  activity = $state.raw<Activity | null>(null);
  message = $state<{ text: string; error: boolean; code?: ErrorCode | null } | null>(null);
  /** Where on the page the last action was asked for: its progress and outcome show there. */
  place = $state<ModelPlace>('cached');

  /** @param folder the model folder's address, if the settings name one */
  constructor(readonly folder: () => string | null) {}

  get busy(): boolean {
    return this.call.running;
  }

  /** The outcome to show at a place of the page (next to the button that asked for it). */
  messageAt(place: ModelPlace): { text: string; error: boolean; code?: ErrorCode | null } | null {
    return this.place === place ? this.message : null;
  }

  /** The transfer to show at a place of the page. */
  activityAt(place: ModelPlace): Activity | null {
    return this.place === place ? this.activity : null;
  }

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

  /**
   * Runs an action, then shows its outcome with the list already read again (so the two agree).
   * @param work the action; says what it did
   * @param stopped what to say when the user stopped it
   */
  async #run(place: ModelPlace, work: (signal: AbortSignal) => Promise<string>, stopped?: () => string): Promise<void> {
    this.place = place;
    this.message = null;
    const text = await this.call.run(work, stopped);
    await this.refresh();
    const outcome =
      text !== undefined
        ? { text, error: false }
        : { text: this.call.error ?? '', error: this.call.outcome === 'failed', code: this.call.errorCode };
    // A list that could not be read says so, unless the action itself failed.
    if (outcome.text && (outcome.error || !this.message)) this.message = outcome;
  }

  remove(model: CachedModel): Promise<void> {
    return this.#run('cached', async () => {
      await dataWorker().call('deleteModel', { model: $state.snapshot(model) as CachedModel });
      return t('mm.deleted', { model: model.modelId });
    });
  }

  /**
   * Saves a model as a pack. Where the browser can write to a file the user picks, the pack
   * streams straight into it (nothing big in memory); elsewhere it becomes a download.
   */
  exportPack(model: CachedModel): Promise<void> {
    const fileName = `${safeFileName(model.modelId.replace('/', '--'))}.polyclass-model.zip`;
    const pick = (globalThis as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
    // Asked at once, while the click still counts as the user's.
    let target: Promise<FileSystemFileHandle> | null = null;
    try {
      target =
        pick?.({
          suggestedName: fileName,
          types: [{ description: t('mm.packType'), accept: { 'application/zip': ['.zip'] } }],
        }) ?? null;
    } catch (e) {
      target = Promise.reject(e as Error);
    }
    return this.#run(
      'cached',
      async (signal) => {
        let file: FileSystemFileHandle | null = null;
        if (target) {
          try {
            file = await target;
          } catch (e) {
            if ((e as Error).name === 'AbortError') return t('mm.notSaved');
            // The browser refused the dialog here: the pack becomes a download instead.
            file = null;
          }
        }
        const snapshot = $state.snapshot(model) as CachedModel;
        const r = await this.#track(t('mm.saving', { model: model.modelId }), (onProgress) =>
          dataWorker().call(
            'exportModelPack',
            { model: snapshot, folder: this.folder(), file },
            { onProgress, signal },
          ),
        );
        if (r.blob) download(r.blob, fileName, 'application/zip');
        return t('mm.saved', { model: model.modelId, file: file?.name ?? fileName });
      },
      () => t('mm.saveStopped', { model: model.modelId }),
    );
  }

  /**
   * Downloads an embedding model into the browser's cache now (8-bit weights, as training
   * uses by default), so it works later with no network.
   */
  download(modelId: string, source: ModelSource): Promise<void> {
    return this.#fetchAhead('encoders', modelId, async (onProgress, signal) => {
      const encoder = await WorkerEncoder.open(
        { modelId, device: 'wasm', dtype: 'q8', prefix: defaultPrefixFor(modelId) },
        source,
        { signal, onProgress },
      );
      await encoder.dispose();
    });
  }

  /**
   * Downloads a text generator ahead of time: transformers.js (CPU) files, or a WebLLM model,
   * which the library also loads onto the GPU once (so a model too big for it fails here, not
   * in the workshop).
   */
  downloadGenerator(spec: GeneratorSpec & { modelId: string }, source: ModelSource): Promise<void> {
    return this.#fetchAhead(spec.kind === 'webllm' ? 'webllm' : 'generator', spec.modelId, (onProgress, signal) =>
      prepareGeneratorInWorker(spec, source, onProgress, signal),
    );
  }

  /** Runs a download with progress in {@link activity} and a Stop that keeps fetched files. */
  #fetchAhead(
    place: ModelPlace,
    modelId: string,
    fetch: (onProgress: (p: LoadProgress) => void, signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    return this.#run(
      place,
      async (signal) => {
        await this.#track(t('mm.downloading', { model: modelId }), (onProgress) =>
          fetch((p) => onProgress({ file: p.file, done: p.loaded, total: p.total }), signal),
        );
        return t('mm.downloaded', { model: modelId });
      },
      () => t('mm.stopped', { model: modelId }),
    );
  }

  /** Runs work with its progress in {@link activity}. */
  async #track<T>(label: string, work: (onProgress: (p: PackProgress) => void) => Promise<T>): Promise<T> {
    this.activity = { label, file: null, done: 0, total: 0 };
    try {
      return await work((p) => (this.activity = { label, ...p }));
    } finally {
      this.activity = null;
    }
  }

  /** Stops the download or pack in {@link activity}. */
  stop(): void {
    this.call.cancel();
  }

  /** @param files a pack (one zip) or a picked folder's files (paths from `webkitRelativePath`) */
  importFiles(files: readonly File[]): Promise<void> {
    return this.#run(
      'packs',
      async (signal) => {
        const r = await this.#track(t('mm.importing'), (onProgress) =>
          dataWorker().call(
            'importModelFiles',
            { files: files.map((f) => ({ path: f.webkitRelativePath || f.name, file: f })), folder: this.folder() },
            { onProgress, signal },
          ),
        );
        return t('mm.imported', {
          models: r.models.map((m) => t('mm.files', { model: m.modelId, count: m.files })).join(', '),
          count: r.models.length,
        });
      },
      () => t('mm.importStopped'),
    );
  }
}

/** The parts of Models & storage an action starts from. */
export type ModelPlace = 'cached' | 'encoders' | 'generator' | 'webllm' | 'packs';

/** A transfer in progress: `file` is the one moving now (null before the first byte). */
export interface Activity {
  label: string;
  file: string | null;
  done: number;
  total: number;
}

type SaveFilePicker = (options: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<FileSystemFileHandle>;
