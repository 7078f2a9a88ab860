/**
 * @file Batch classification of a file: every row of a CSV/TSV/JSONL/JSON file classified by a
 * student, written back as a CSV with the prediction and one probability column per label.
 * With a "not sure" threshold, a row the student is less sure of has an empty `prediction`,
 * and `best_guess` and `confidence` columns say what it would have answered.
 */
import { strToU8 } from 'fflate';
import { toCsv } from '../files/csv';
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { answerOf, type Student } from '../ml/student';
import { parseFile } from '../files/parse-file';

/** Texts classified per step: progress moves, cancel answers, memory stays small. */
const CLASSIFY_BATCH = 64;

export interface ClassifyFileProgress {
  /** Rows classified. */
  done: number;
  /** Bytes of the file read. */
  read: number;
  total: number;
}

export interface ClassifiedFile {
  /** UTF-8 CSV: the file's columns, `prediction` (with a threshold, `best_guess` and `confidence`), then `p_<label>` per label. */
  csv: Uint8Array;
  rows: number;
  /** Rows below the "not sure" threshold. */
  notSure: number;
  /** The column the texts were taken from. */
  textColumn: string;
}

/** Column names that usually hold the text, when the caller does not say. */
const TEXT_COLUMN = /^(text|sentence|content)$/i;

/**
 * Classifies every row of a file.
 * @param textColumn the column holding the texts; null guesses (text/sentence/content, else the first)
 */
export async function classifyFile(
  student: Student,
  file: Blob,
  name: string,
  textColumn: string | null,
  options: { signal?: AbortSignal; onProgress?: (p: ClassifyFileProgress) => void; minConfidence?: number } = {},
): Promise<ClassifiedFile> {
  const { signal, onProgress, minConfidence = 0 } = options;
  const threshold = minConfidence > 0;
  let notSure = 0;
  const rows: Record<string, unknown>[] = [];
  let read = 0;
  const { columns } = await parseFile(file, name, {
    ...(signal ? { signal } : {}),
    onProgress: (r) => (read = r),
    onRow: (r) => void rows.push(r.fields),
  });
  const column = textColumn ?? columns.find((c) => TEXT_COLUMN.test(c.trim())) ?? columns[0];
  if (!column) throw new AppError('invalid-file', message('err.noColumns'));
  if (!columns.includes(column)) throw new AppError('invalid-file', message('err.noColumn', { column }));
  await student.prepare();
  const texts = rows.map((r) => String(r[column] ?? ''));
  const out: string[][] = [];
  for (let i = 0; i < texts.length; i += CLASSIFY_BATCH) {
    if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
    const probs = await student.probabilities(texts.slice(i, i + CLASSIFY_BATCH), signal);
    probs.forEach((p, j) => {
      const row = rows[i + j] as Record<string, unknown>;
      const answer = answerOf(student.labels, p, minConfidence);
      if (!answer.sure) notSure++;
      out.push([
        ...columns.map((c) => String(row[c] ?? '')),
        ...(threshold ? [answer.sure ? answer.label : '', answer.label, answer.confidence.toFixed(4)] : [answer.label]),
        ...Array.from(p, (v) => v.toFixed(4)),
      ]);
    });
    onProgress?.({ done: Math.min(i + CLASSIFY_BATCH, texts.length), read, total: file.size });
  }
  const header = [
    ...columns,
    'prediction',
    ...(threshold ? ['best_guess', 'confidence'] : []),
    ...student.labels.map((l) => `p_${l}`),
  ];
  // Formula-like cells are guarded: the file is meant for a spreadsheet (files/csv.ts).
  const csv = strToU8(toCsv(header, out));
  return { csv, rows: out.length, textColumn: column, notSure };
}
