/**
 * @file Outside answers as an evaluator: the answers a system the browser cannot run (an API
 * LLM, a fine-tuned model) gave for the task's test texts, imported from a file and compared in
 * Evaluate like any evaluator. Rows are matched to test texts by sample id or by text; free-text
 * answers are read with the LLM evaluators' tolerant parser, so an answer naming no label, or
 * several, is invalid and counted wrong, never dropped.
 */
import type { AnswerRow, AnswerSet } from './evaluation';

export type { AnswerRow } from './evaluation';
import { orderedId } from './ids';
import { parseClassification, type InvalidAnswer } from './llm-classify';

/** Which columns of a file hold the answer, the text and the id. */
export interface AnswerColumns {
  answer: string;
  text: string | null;
  id: string | null;
}

/** An answer the evaluator could not use, in the shape LLM evaluators keep them. */
export interface UnusableAnswer {
  index: number;
  answer: string;
  reason: InvalidAnswer;
}

/** How a file's answers line up with a set of test texts. */
export interface AnswerMatch {
  /** One per test item, in item order: the label read from its answer, or null. */
  predictions: (string | null)[];
  /** Items with an answer that names no label, or several, or with no answer in the file (the first `max` kept). */
  invalid: UnusableAnswer[];
  /** Items whose answer names no label, or several (counted wrong). */
  invalidCount: number;
  /** Items no row answers (counted wrong). */
  missingCount: number;
  /** Rows that answer no test text, and the first few of their texts. */
  unmatchedCount: number;
  unmatchedExamples: string[];
}

/** Texts compare equal after Unicode normalization, with runs of white space as one space. */
export const matchKey = (text: string): string => text.normalize('NFC').replace(/\s+/gu, ' ').trim();

const ID_NAMES = ['id', 'sample_id', 'sampleid', 'sample id'];
const TEXT_NAMES = ['text', 'sentence', 'input', 'document', 'content'];
const ANSWER_NAMES = ['answer', 'prediction', 'predicted', 'predicted_label', 'output', 'response', 'completion'];
/** Columns that are never the answer: the gold label, the language, row numbers. */
const NOT_ANSWER = ['label', 'category', 'gold', 'language', 'lang', 'split', 'index', 'index_id', ''];

/**
 * The columns of an answer file, guessed from its header: an id column named `id`/`sample_id`,
 * a text column (`text`, `sentence`, …), and the answer column (`answer`, `prediction`, … or
 * else the last column that is none of these, nor a gold label, language or row number: the
 * SIB-200 files' `gpt-4`). Null when no answer column can be told, or nothing to match it by.
 */
export function guessAnswerColumns(columns: readonly string[]): AnswerColumns | null {
  const named = (names: readonly string[]) => columns.find((c) => names.includes(c.trim().toLowerCase())) ?? null;
  const id = named(ID_NAMES);
  const text = named(TEXT_NAMES);
  const answer =
    named(ANSWER_NAMES) ??
    [...columns].reverse().find((c) => c !== id && c !== text && !NOT_ANSWER.includes(c.trim().toLowerCase())) ??
    null;
  if (!answer || (!id && !text)) return null;
  return { answer, text, id };
}

/** Reads an answer file's rows with the chosen columns; rows with neither id nor text are left out. */
export function answerRows(records: readonly Record<string, unknown>[], columns: AnswerColumns): AnswerRow[] {
  const cell = (r: Record<string, unknown>, c: string | null) => {
    if (c === null) return null;
    const v = r[c];
    if (v === undefined || v === null) return null;
    const s = (
      typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
    ).trim();
    return s === '' ? null : s;
  };
  const out: AnswerRow[] = [];
  for (const r of records) {
    const id = cell(r, columns.id);
    const text = cell(r, columns.text);
    if (id === null && text === null) continue;
    out.push({ id, text, answer: cell(r, columns.answer) ?? '' });
  }
  return out;
}

/**
 * Lines a file's answers up with test items: by sample id where the row has one that is an
 * item's, else by text ({@link matchKey}); the first row for an item wins. Each answer is read
 * with {@link parseClassification}.
 * @param max invalid answers kept with their text
 */
export function matchAnswers(
  items: readonly { sampleId: string; text: string }[],
  rows: readonly AnswerRow[],
  labels: readonly string[],
  max = 50,
): AnswerMatch {
  const byId = new Map<string, number>();
  const byText = new Map<string, number>();
  items.forEach((it, i) => {
    byId.set(it.sampleId, i);
    const key = matchKey(it.text);
    if (!byText.has(key)) byText.set(key, i);
  });
  const answerOf = new Array<string | undefined>(items.length);
  let unmatchedCount = 0;
  const unmatchedExamples: string[] = [];
  for (const row of rows) {
    const i =
      (row.id !== null ? byId.get(row.id) : undefined) ??
      (row.text !== null ? byText.get(matchKey(row.text)) : undefined);
    if (i === undefined) {
      unmatchedCount++;
      if (unmatchedExamples.length < 5) unmatchedExamples.push((row.text ?? row.id ?? '').slice(0, 120));
      continue;
    }
    answerOf[i] ??= row.answer;
  }
  const predictions: (string | null)[] = [];
  const invalid: UnusableAnswer[] = [];
  let invalidCount = 0;
  let missingCount = 0;
  for (let i = 0; i < items.length; i++) {
    const answer = answerOf[i];
    if (answer === undefined) {
      missingCount++;
      predictions.push(null);
      if (invalid.length < max) invalid.push({ index: i, answer: '', reason: { code: 'not-in-file' } });
      continue;
    }
    const parsed = parseClassification(answer, labels);
    predictions.push(parsed.label);
    if (parsed.label === null) {
      invalidCount++;
      if (invalid.length < max) invalid.push({ index: i, answer: answer.slice(0, 300), reason: parsed.invalid });
    }
  }
  return { predictions, invalid, invalidCount, missingCount, unmatchedCount, unmatchedExamples };
}

/** A new answer set record for a task. */
export function newAnswerSet(
  taskId: string,
  fields: Pick<AnswerSet, 'name' | 'fileName' | 'rows' | 'attribution'>,
  now: number,
  seq = 0,
): AnswerSet {
  return { ...fields, id: orderedId(now, seq), taskId, createdAt: now, kind: 'answers' };
}
