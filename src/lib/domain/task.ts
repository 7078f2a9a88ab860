/**
 * @file A classification task: what to classify, in which languages, into which labels.
 */
import { isReservedName } from './names';

/** A language of a task: a BCP-47 code (ISO 639-1 where one exists, else ISO 639-3) and its name. */
export interface TaskLanguage {
  code: string;
  name: string;
}

/** A label with the one-line description that prompts and the dataset card use. */
export interface Label {
  name: string;
  description: string;
}

export interface Task {
  id: string;
  name: string;
  description: string;
  languages: TaskLanguage[];
  labels: Label[];
  /** Where the task's data comes from and under which license (the demo project), shown with it. */
  attribution?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

/** What the editor produces; ids and timestamps are added when saved. */
export type TaskDraft = Pick<Task, 'name' | 'description' | 'languages' | 'labels'>;

/** Limits that keep prompts, tables and files sane; each message names the limit. */
export const TASK_LIMITS = {
  nameLength: 120,
  descriptionLength: 2_000,
  labelNameLength: 60,
  labelDescriptionLength: 500,
  labels: 100,
  languages: 50,
} as const;

/** What can be wrong with a draft. */
export const DRAFT_PROBLEMS = [
  'no-name',
  'name-long',
  'description-long',
  'no-language',
  'language-twice',
  'language-reserved',
  'two-labels',
  'many-labels',
  'label-no-name',
  'label-twice',
  'label-reserved',
  'label-long',
  'label-description-long',
] as const;
export type DraftProblemCode = (typeof DRAFT_PROBLEMS)[number];

/**
 * A problem with a draft: the field it concerns (for the editor to highlight), a code, and the
 * values a sentence about it needs (the UI says it, in its language).
 */
export interface DraftProblem {
  field: string;
  code: DraftProblemCode;
  values: Record<string, string | number>;
}

const norm = (s: string) => s.trim().toLocaleLowerCase();

/**
 * Checks a task draft the way a user would want it checked: a name, at least one language,
 * at least two labels, no empty or duplicate label names, nothing too long.
 */
export function validateTaskDraft(draft: TaskDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const say = (field: string, code: DraftProblemCode, values: DraftProblem['values'] = {}) =>
    problems.push({ field, code, values });
  if (!draft.name.trim()) say('name', 'no-name');
  if (draft.name.length > TASK_LIMITS.nameLength) say('name', 'name-long', { max: TASK_LIMITS.nameLength });
  if (draft.description.length > TASK_LIMITS.descriptionLength)
    say('description', 'description-long', { max: TASK_LIMITS.descriptionLength });
  if (draft.languages.length === 0) say('languages', 'no-language');
  const codes = new Set<string>();
  for (const lang of draft.languages) {
    if (codes.has(lang.code)) say('languages', 'language-twice', { language: lang.name });
    if (isReservedName(lang.code)) say('languages', 'language-reserved', { code: lang.code.trim() });
    codes.add(lang.code);
  }
  if (draft.labels.length < 2) say('labels', 'two-labels');
  if (draft.labels.length > TASK_LIMITS.labels) say('labels', 'many-labels', { max: TASK_LIMITS.labels });
  const seen = new Set<string>();
  draft.labels.forEach((label, i) => {
    const field = `labels.${i}`;
    if (!label.name.trim()) say(field, 'label-no-name', { n: i + 1 });
    else if (seen.has(norm(label.name))) say(field, 'label-twice', { label: label.name.trim() });
    else if (isReservedName(label.name)) say(field, 'label-reserved', { label: label.name.trim() });
    if (label.name.length > TASK_LIMITS.labelNameLength)
      say(field, 'label-long', { label: label.name.slice(0, 20), max: TASK_LIMITS.labelNameLength });
    if (label.description.length > TASK_LIMITS.labelDescriptionLength)
      say(field, 'label-description-long', { label: label.name.trim(), max: TASK_LIMITS.labelDescriptionLength });
    seen.add(norm(label.name));
  });
  return problems;
}

/** Trims names and descriptions so stored tasks never carry stray whitespace. */
export function cleanDraft(draft: TaskDraft): TaskDraft {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    languages: draft.languages.map((l) => ({ code: l.code, name: l.name })),
    labels: draft.labels.map((l) => ({ name: l.name.trim(), description: l.description.trim() })),
  };
}
