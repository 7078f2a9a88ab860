/**
 * @file The standalone page's words in the current UI language, and its export from the Train
 * view (built in the data worker, saved as a zip download, stoppable).
 */
import { i18n, t } from './i18n.svelte';
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { STANDALONE_STRINGS, type StandaloneString } from '../../standalone/data';
import type { StandalonePage } from '../files/standalone';
import { toAppError } from '../domain/errors';
import { dataWorker, download } from '../workers/data-client';

/** Placeholders the page fills itself are passed through as `{name}`. */
const KEEP: Partial<Record<StandaloneString, Record<string, string>>> = {
  loading: { file: '{file}' },
  failed: { reason: '{reason}' },
};

export function standalonePage(task: Pick<Task, 'name'>, c: ClassifierRecord): StandalonePage {
  const samples = c.summary.samples;
  const encoder = c.config.encoder?.modelId ?? 'none';
  const values: Partial<Record<StandaloneString, Record<string, string | number>>> = {
    ...KEEP,
    footer: { name: c.name, samples, date: new Intl.DateTimeFormat(i18n.language).format(c.createdAt) },
  };
  const strings = Object.fromEntries(STANDALONE_STRINGS.map((k) => [k, t(`standalone.${k}`, values[k])])) as Record<
    StandaloneString,
    string
  >;
  return {
    strings,
    lang: i18n.language,
    dir: i18n.direction,
    readme: t('standalone.readme', { task: task.name, encoder, name: c.name }),
  };
}

/** The Train view's standalone page export: what it is doing or said last, and Stop. */
export class StandaloneExport {
  busy = $state(false);
  message = $state<{ text: string; error: boolean } | null>(null);
  #controller: AbortController | null = null;

  /** @param folder the model folder's address, if the settings name one */
  async run(task: Pick<Task, 'name'>, c: ClassifierRecord, folder: string | null): Promise<void> {
    const controller = (this.#controller = new AbortController());
    this.busy = true;
    this.message = { text: t('train.standaloneSaving', { done: 0, total: 1 }), error: false };
    try {
      const { blob, fileName } = await dataWorker().call(
        'exportStandalone',
        { classifierId: c.id, folder, page: standalonePage(task, c) },
        {
          signal: controller.signal,
          onProgress: (p) =>
            (this.message = { text: t('train.standaloneSaving', { done: p.done, total: p.total }), error: false }),
        },
      );
      download(blob, fileName, 'application/zip');
      this.message = { text: t('train.standaloneSaved', { file: fileName }), error: false };
    } catch (error) {
      const e = toAppError(error);
      this.message =
        e.code === 'aborted' ? { text: t('train.standaloneStopped'), error: false } : { text: e.message, error: true };
    } finally {
      this.busy = false;
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}
