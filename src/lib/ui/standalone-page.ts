/**
 * @file The standalone page's words in the current UI language, and its export from the Train
 * view (built in the data worker, saved as a zip download).
 */
import { i18n, t } from '../i18n/i18n.svelte';
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { STANDALONE_STRINGS, type StandaloneString } from '../../standalone/data';
import type { StandalonePage } from '../storage/export/standalone';

/** Placeholders the page fills itself are passed through as `{name}`. */
const KEEP: Partial<Record<StandaloneString, Record<string, string>>> = {
  loading: { file: '{file}' },
  failed: { reason: '{reason}' },
};

export function standalonePage(task: Pick<Task, 'name'>, c: ClassifierRecord): StandalonePage {
  const samples = (c.summary as { samples?: number } | undefined)?.samples ?? 0;
  const encoder = (c.config as { encoder?: { modelId: string } | null } | undefined)?.encoder?.modelId ?? 'none';
  const values: Partial<Record<StandaloneString, Record<string, string | number>>> = {
    ...KEEP,
    footer: { name: c.name, samples, date: new Date(c.createdAt).toLocaleDateString(i18n.language) },
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
