/**
 * @file The state of the task editor: a draft of the task (with each label's original name,
 * so renames carry over to samples), seed examples per label and language, validation.
 */
import { findLanguage } from '../domain/languages';
import {
  validateTaskDraft,
  type DraftProblem,
  type DraftProblemCode,
  type Task,
  type TaskDraft,
  type TaskLanguage,
} from '../domain/task';
import type { MessageKey } from '../i18n/messages';
import { t } from './i18n.svelte';
import type { Database } from '../storage/db';
import { listSeeds, type SeedInput } from '../storage/seeds';

const DRAFT_MESSAGES: Record<DraftProblemCode, MessageKey> = {
  'no-name': 'draft.noName',
  'name-long': 'draft.nameLong',
  'description-long': 'draft.descriptionLong',
  'no-language': 'draft.noLanguage',
  'language-twice': 'draft.languageTwice',
  'language-reserved': 'draft.languageReserved',
  'two-labels': 'draft.twoLabels',
  'many-labels': 'draft.manyLabels',
  'label-no-name': 'draft.labelNoName',
  'label-twice': 'draft.labelTwice',
  'label-reserved': 'draft.labelReserved',
  'label-long': 'draft.labelLong',
  'label-description-long': 'draft.labelDescriptionLong',
};

/** A draft's problem in the UI language. */
export function describeDraftProblem(p: DraftProblem): string {
  return t(DRAFT_MESSAGES[p.code], p.values);
}

export interface LabelRow {
  /** Stable key for the list; not stored. */
  key: number;
  name: string;
  description: string;
  /** The name this label has in storage, or null for a new label. */
  originalName: string | null;
}

let nextKey = 1;
const seedKey = (label: string, language: string) => `${label}\u0000${language}`;

export class TaskEditorState {
  name = $state('');
  description = $state('');
  languages = $state<TaskLanguage[]>([]);
  labels = $state<LabelRow[]>([]);
  /** Seed texts per (label key, language code), one example per line. */
  seedText = $state<Record<string, string>>({});
  #taskId = $state<string | null>(null);

  /** The task being edited, or null for a new one. */
  get taskId(): string | null {
    return this.#taskId;
  }

  /** Starts a blank task with three empty labels. */
  startNew(): void {
    this.#taskId = null;
    this.name = '';
    this.description = '';
    this.languages = [];
    this.labels = [0, 1, 2].map(() => ({ key: nextKey++, name: '', description: '', originalName: null }));
    this.seedText = {};
  }

  /** Loads a stored task and its seeds. */
  async load(db: Database, task: Task): Promise<void> {
    const seeds = await listSeeds(db, task.id);
    this.#taskId = task.id;
    this.name = task.name;
    this.description = task.description;
    this.languages = task.languages.map((l) => ({ ...l }));
    this.labels = task.labels.map((l) => ({
      key: nextKey++,
      name: l.name,
      description: l.description,
      originalName: l.name,
    }));
    const text: Record<string, string> = {};
    for (const s of seeds) {
      const row = this.labels.find((l) => l.originalName === s.label);
      if (!row) continue;
      const k = seedKey(String(row.key), s.language);
      text[k] = text[k] ? `${text[k]}\n${s.text}` : s.text;
    }
    this.seedText = text;
  }

  addLanguage(lang: TaskLanguage): void {
    if (!this.languages.some((l) => l.code === lang.code)) this.languages.push({ code: lang.code, name: lang.name });
  }

  removeLanguage(code: string): void {
    this.languages = this.languages.filter((l) => l.code !== code);
  }

  addLabel(): void {
    this.labels.push({ key: nextKey++, name: '', description: '', originalName: null });
  }

  removeLabel(key: number): void {
    this.labels = this.labels.filter((l) => l.key !== key);
  }

  seedsFor(labelKey: number, language: string): string {
    return this.seedText[seedKey(String(labelKey), language)] ?? '';
  }

  setSeeds(labelKey: number, language: string, text: string): void {
    this.seedText[seedKey(String(labelKey), language)] = text;
  }

  get draft(): TaskDraft {
    return {
      name: this.name,
      description: this.description,
      languages: this.languages.map((l) => ({ code: l.code, name: l.name })),
      labels: this.labels.map((l) => ({ name: l.name, description: l.description })),
    };
  }

  get problems(): DraftProblem[] {
    return validateTaskDraft(this.draft);
  }

  /** Old label name → new name, for labels that were renamed. */
  get renames(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of this.labels)
      if (l.originalName !== null && l.originalName !== l.name.trim()) out[l.originalName] = l.name.trim();
    return out;
  }

  /** Seed examples of labels and languages still in the task, one per non-empty line. */
  get seeds(): SeedInput[] {
    const out: SeedInput[] = [];
    for (const label of this.labels) {
      for (const lang of this.languages) {
        for (const line of this.seedsFor(label.key, lang.code).split('\n')) {
          if (line.trim()) out.push({ text: line.trim(), label: label.name.trim(), language: lang.code });
        }
      }
    }
    return out;
  }
}

/** Name for a code typed by hand (falls back to the code itself). */
export function languageName(code: string): string {
  return findLanguage(code)?.name ?? code;
}
