/**
 * @file The standalone page's words in the current UI language, and its export from the Train
 * view (built in the data worker, saved as a zip download, stoppable).
 */
import { i18n, t } from './i18n.svelte';
import { classifierName } from '../words/evaluation';
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { STANDALONE_STRINGS, type StandaloneString } from '../../standalone/data';
import type { StandalonePage } from '../files/standalone';
import { dataWorker } from '../workers/data-client';
import { WorkerCall } from './worker-call.svelte';
import { download } from './download';

/** Placeholders the page fills itself are passed through as `{name}`. */
const KEEP: Partial<Record<StandaloneString, Record<string, string>>> = {
  loading: { file: '{file}' },
  failed: { reason: '{reason}' },
  bestGuess: { label: '{label}', confidence: '{confidence}' },
};

/** @param minConfidence the "not sure" threshold the page starts with (the app's setting) */
export function standalonePage(task: Pick<Task, 'name'>, c: ClassifierRecord, minConfidence = 0): StandalonePage {
  const samples = c.summary.samples;
  const encoder = c.config.encoder?.modelId ?? 'none';
  const values: Partial<Record<StandaloneString, Record<string, string | number>>> = {
    ...KEEP,
    footer: { name: classifierName(c), samples, date: new Intl.DateTimeFormat(i18n.language).format(c.createdAt) },
  };
  const strings = Object.fromEntries(STANDALONE_STRINGS.map((k) => [k, t(`standalone.${k}`, values[k])])) as Record<
    StandaloneString,
    string
  >;
  return {
    strings,
    minConfidence,
    lang: i18n.language,
    dir: i18n.direction,
    readme: t('standalone.readme', { task: task.name, encoder, name: classifierName(c) }),
  };
}

/** The Train view's standalone page export: what it is doing or said last, and Stop. */
export class StandaloneExport {
  readonly call = new WorkerCall({ cancelled: () => t('train.standaloneStopped') });
  #note = $state<string | null>(null);

  get busy(): boolean {
    return this.call.running;
  }
  /** Progress, the file saved, "stopped" or the failure. */
  get message(): { text: string; error: boolean } | null {
    return this.call.message(this.#note);
  }

  /**
   * @param folder the model folder's address, if the settings name one
   * @param minConfidence the "not sure" threshold the page starts with
   */
  async run(task: Pick<Task, 'name'>, c: ClassifierRecord, folder: string | null, minConfidence = 0): Promise<void> {
    this.#note = t('train.standaloneSaving', { done: 0, total: 1 });
    const saved = await this.call.run((signal) =>
      dataWorker().call(
        'exportStandalone',
        { classifierId: c.id, folder, page: standalonePage(task, c, minConfidence) },
        { signal, onProgress: (p) => (this.#note = t('train.standaloneSaving', { done: p.done, total: p.total })) },
      ),
    );
    if (!saved) return;
    download(saved.blob, saved.fileName, 'application/zip');
    this.#note = t('train.standaloneSaved', { file: saved.fileName });
  }

  stop(): void {
    this.call.cancel();
  }

  /**
   * Forgets what the last build said (saved, stopped, failed), as when the view follows another
   * task; a build still running goes on and keeps saying how far it is.
   */
  forget(): void {
    if (this.busy) return;
    this.#note = null;
    this.call.reset();
  }
}
