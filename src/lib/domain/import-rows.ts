/**
 * @file Turning imported rows into samples: column mapping, matching labels, languages and
 * splits to the task's, and every reason a row is skipped, summed up in one sentence.
 */
import * as v from 'valibot';
import { findLanguage } from './languages';
import { MAX_TEXT_LENGTH, UNLABELLED, type NewSample, type Split } from './sample';
import type { Task } from './task';
import { normalizeText } from './text-hash';

/** One record from a file: its position (1-based, as a person counts) and its fields. */
export interface RawRow {
  /** Row number as a spreadsheet shows it (header = row 1), or line / item number for JSON. */
  index: number;
  fields: Record<string, unknown>;
  /** The row has more or fewer fields than the header names. */
  malformed?: boolean;
}

/** Which column holds what; defaults apply where a file has no such column. */
export interface ColumnMapping {
  text: string;
  /** '' when the file has no labels (its rows can only go to the pool split). */
  label: string;
  language: string | null;
  split: string | null;
  /** Used when `language` is null or a row leaves it empty. */
  defaultLanguage: string | null;
  /**
   * Used when `split` is null or a row leaves it empty; null until the file's name tells or the
   * user says (rows with no split are then skipped: training data must never land in the test
   * set by a default nobody chose).
   */
  defaultSplit: Split | null;
}

export const SKIP_REASONS = {
  'empty-text': 'empty text',
  'invalid-utf8': 'not valid UTF-8',
  binary: 'binary data',
  'too-long': `text over ${MAX_TEXT_LENGTH.toLocaleString('en')} characters`,
  'wrong-type': 'wrong type',
  malformed: 'columns not matching the header',
  'missing-label': 'no label',
  'unknown-label': 'unknown label',
  'missing-language': 'no language',
  'unknown-language': 'unknown language',
  'unknown-split': 'unknown split',
  'missing-split': 'no split',
  duplicate: 'duplicate',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/** What a value of the wrong type was instead. */
export type ValueKind = 'list' | 'empty' | 'object' | 'number' | 'boolean' | 'other';

/** Why a row is skipped, with what a sentence about it needs (the UI says it). */
export type RowSkip =
  | {
      reason:
        'malformed' | 'invalid-utf8' | 'binary' | 'empty-text' | 'missing-label' | 'missing-language' | 'missing-split';
    }
  | { reason: 'wrong-type'; field: string; expected: 'text' | 'text-or-number'; kind: ValueKind }
  | { reason: 'too-long'; count: number }
  | { reason: 'unknown-label'; label: string }
  | { reason: 'unknown-language'; language: string }
  | { reason: 'unknown-split'; split: string };

export type RowOutcome = { ok: true; sample: Omit<NewSample, 'taskId'> } | { ok: false; skip: RowSkip };

/** A skipped row where the file has it: `where` is the file's format (Row, Line or Item). */
export interface SkippedRow {
  where: string;
  index: number;
  skip: RowSkip;
}

const SPLIT_ALIASES: Record<string, Split> = {
  train: 'train',
  training: 'train',
  validation: 'validation',
  valid: 'validation',
  val: 'validation',
  dev: 'validation',
  test: 'test',
  testing: 'test',
  seed: 'seed',
  seeds: 'seed',
  pool: 'pool',
  unlabelled: 'pool',
  unlabeled: 'pool',
};

/** Reads a split name, accepting common aliases (dev, val, …). */
export function parseSplit(value: string): Split | null {
  return SPLIT_ALIASES[value.trim().toLocaleLowerCase()] ?? null;
}

/** The mapped fields of a row, as a file may hold them; anything else is a wrong type. */
const MappedRowSchema = v.object({
  text: v.nullish(v.string()),
  // Numeric label ids are common in datasets: accept them and read them as names.
  label: v.nullish(v.union([v.string(), v.number()])),
  language: v.nullish(v.string()),
  split: v.nullish(v.string()),
});

function kind(value: unknown): ValueKind {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'empty';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'other';
}

const skip = (r: RowSkip): RowOutcome => ({ ok: false, skip: r });

/**
 * Matches labels and languages of a task: case and spacing do not matter; languages also
 * match by ISO 639-3 code and by name.
 */
export class TaskVocabulary {
  readonly #labels = new Map<string, string>();
  readonly #languages = new Map<string, string>();

  /**
   * @param task the task rows are imported into
   * @param extraLabels labels the user chose to add during this import
   */
  constructor(task: Pick<Task, 'labels' | 'languages'>, extraLabels: readonly string[] = []) {
    for (const l of [...task.labels.map((x) => x.name), ...extraLabels]) this.#labels.set(normalizeText(l), l);
    // "Swahili (macrolanguage)" is also just "Swahili" to people writing files.
    const names = (name: string) => [normalizeText(name), normalizeText(name.replace(/\s*\([^)]*\)\s*/g, ' '))];
    for (const lang of task.languages) {
      this.#languages.set(lang.code.toLocaleLowerCase(), lang.code);
      for (const n of names(lang.name)) this.#languages.set(n, lang.code);
      const entry = findLanguage(lang.code);
      if (entry) {
        this.#languages.set(entry.iso6393, lang.code);
        for (const n of names(entry.name)) this.#languages.set(n, lang.code);
      }
    }
  }

  label(value: string): string | null {
    return this.#labels.get(normalizeText(value)) ?? null;
  }

  language(value: string): string | null {
    const v = normalizeText(value);
    return this.#languages.get(v) ?? this.#languages.get(v.split(/[-_]/)[0] ?? '') ?? null;
  }
}

/** Which columns a row's fields come from (a file's own names); null where the file has none. */
export interface RowColumns {
  text: string;
  label: string;
  language: string | null;
  split: string | null;
}

/** A row's fields as text, checked for type, encoding, binary data, length and a label. */
export interface RowFields {
  text: string;
  label: string;
  language: string;
  split: string;
}

/**
 * The checks every row passes before anything is matched to a task: the app's import and the
 * CLI share them, so a file is read the same way by both.
 * @param row the record
 * @param columns where text, label, language and split are
 * @param labelOptional keep a row without a label (its label is then ''): the app's import,
 *   whose rows may go to the unlabelled pool
 */
export function readRowFields(
  row: RawRow,
  columns: RowColumns,
  labelOptional = false,
): { ok: true; fields: RowFields } | { ok: false; skip: RowSkip } {
  if (row.malformed) return { ok: false, skip: { reason: 'malformed' } };
  const mapped = {
    text: row.fields[columns.text],
    label: columns.label ? row.fields[columns.label] : undefined,
    language: columns.language ? row.fields[columns.language] : undefined,
    split: columns.split ? row.fields[columns.split] : undefined,
  };
  const checked = v.safeParse(MappedRowSchema, mapped);
  if (!checked.success) {
    const key = (checked.issues[0]?.path?.[0]?.key ?? 'text') as keyof typeof columns;
    return {
      ok: false,
      skip: {
        reason: 'wrong-type',
        field: columns[key] ?? key,
        expected: key === 'label' ? 'text-or-number' : 'text',
        kind: kind(mapped[key]),
      },
    };
  }
  const fields = checked.output;
  const text = fields.text ?? '';
  const label = String(fields.label ?? '').trim();
  // U+FFFD is what the decoder leaves for bytes that are not UTF-8 (a Latin-1 file, say).
  if (text.includes('\uFFFD') || label.includes('\uFFFD')) return { ok: false, skip: { reason: 'invalid-utf8' } };
  if (text.includes('\u0000') || label.includes('\u0000')) return { ok: false, skip: { reason: 'binary' } };
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, skip: { reason: 'empty-text' } };
  if (trimmed.length > MAX_TEXT_LENGTH) return { ok: false, skip: { reason: 'too-long', count: trimmed.length } };
  if (!label && !labelOptional) return { ok: false, skip: { reason: 'missing-label' } };
  return {
    ok: true,
    fields: { text: trimmed, label, language: (fields.language ?? '').trim(), split: (fields.split ?? '').trim() },
  };
}

/** Most provenance entries kept from one row, and the longest value. */
const MAX_PROVENANCE_KEYS = 32;
const MAX_PROVENANCE_VALUE = 2000;

/**
 * Where a row of the app's own export (or the CLI's `generate`) came from: its `source` column
 * (`synthetic`, `edited`; anything else is a person's text) and its `provenance` object (JSONL),
 * or the `generator` column (CSV). Other files' rows are human.
 */
export function rowOrigin(fields: Record<string, unknown>): Pick<NewSample, 'source' | 'meta'> {
  const source = fields.source === 'synthetic' || fields.source === 'edited' ? fields.source : 'human';
  if (source === 'human') return { source };
  const meta: Record<string, string> = {};
  const provenance = fields.provenance;
  if (provenance && typeof provenance === 'object' && !Array.isArray(provenance)) {
    for (const [key, value] of Object.entries(provenance).slice(0, MAX_PROVENANCE_KEYS))
      if (typeof value === 'string' && value.length <= MAX_PROVENANCE_VALUE && key !== '__proto__') meta[key] = value;
  } else if (typeof fields.generator === 'string' && fields.generator.trim())
    meta.generator = fields.generator.trim().slice(0, MAX_PROVENANCE_VALUE);
  return Object.keys(meta).length ? { source, meta } : { source };
}

/**
 * Decides what becomes of one row.
 * @param row the record
 * @param mapping columns and defaults
 * @param vocab the task's labels and languages
 */
export function rowToSample(row: RawRow, mapping: ColumnMapping, vocab: TaskVocabulary): RowOutcome {
  const read = readRowFields(row, mapping, true);
  if (!read.ok) return read;
  const { text: trimmed, label: labelText, language: langText, split: splitText } = read.fields;

  if (!langText && !mapping.defaultLanguage) return skip({ reason: 'missing-language' });
  const language = langText ? vocab.language(langText) : mapping.defaultLanguage;
  if (!language) return skip({ reason: 'unknown-language', language: langText });

  if (!splitText && !mapping.defaultSplit) return skip({ reason: 'missing-split' });
  const split = splitText ? parseSplit(splitText) : mapping.defaultSplit;
  if (!split) return skip({ reason: 'unknown-split', split: splitText });

  // The pool holds texts nobody has labelled yet: a label in the file is not kept there.
  if (split === 'pool')
    return { ok: true, sample: { text: trimmed, label: UNLABELLED, language, split, source: 'human' } };
  if (!labelText) return skip({ reason: 'missing-label' });
  const label = vocab.label(labelText);
  if (!label) return skip({ reason: 'unknown-label', label: labelText });

  return { ok: true, sample: { text: trimmed, label, language, split, ...rowOrigin(row.fields) } };
}

/**
 * The split a file's name says its rows belong to: `train.tsv`, `sw-train_full.csv`,
 * `dev.jsonl`, `validation.csv`, `test.tsv`, `hau_Latn_test.tsv`; null when it says none or
 * more than one.
 */
export function splitFromFileName(name: string): Split | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '').toLocaleLowerCase();
  const words = new Set(stem.split(/[^\p{L}\p{N}]+|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u));
  const found = new Set<Split>();
  if (['train', 'training'].some((w) => words.has(w))) found.add('train');
  if (['dev', 'validation', 'valid', 'val'].some((w) => words.has(w))) found.add('validation');
  if (['test', 'testing', 'eval'].some((w) => words.has(w))) found.add('test');
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

/**
 * Guesses which column is which from common header names, and the split of rows without one
 * from the file's name.
 */
export function guessMapping(columns: readonly string[], task: Pick<Task, 'languages'>, fileName = ''): ColumnMapping {
  const find = (...names: string[]) => columns.find((c) => names.includes(c.trim().toLocaleLowerCase())) ?? null;
  const text =
    find('text', 'sentence', 'content', 'utterance', 'review', 'input', 'document', 'body') ?? columns[0] ?? '';
  const language = find('language', 'lang', 'locale', 'language_code', 'iso');
  const split = find('split', 'set', 'partition', 'subset');
  // Else any other column, except the language and split ones: none left means no labels.
  const label =
    find('label', 'category', 'class', 'intent', 'topic', 'sentiment', 'target', 'labels') ??
    columns.find((c) => c !== text && c !== language && c !== split) ??
    '';
  return {
    text,
    label,
    language,
    split,
    defaultLanguage: task.languages.length === 1 ? (task.languages[0]?.code ?? null) : null,
    // Without a label column, the rows can only be unlabelled texts for the pool.
    defaultSplit: label ? splitFromFileName(fileName) : 'pool',
  };
}

/** Counts of an import, for its summary. */
export interface ImportTally {
  imported: number;
  skipped: Partial<Record<SkipReason, number>>;
}
