/**
 * @file Importing a user's file into a task: preview (first rows, guessed columns), scan
 * (what would be skipped and why, unknown labels to offer), and the import itself, written in
 * batches with progress and cancel. Runs in the import worker.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import {
  guessMapping,
  rowToSample,
  TaskVocabulary,
  type ColumnMapping,
  type ImportTally,
  type RawRow,
  type RowSkip,
  type SkippedRow,
  type SkipReason,
} from '../domain/import-rows';
import type { NewSample } from '../domain/sample';
import type { Task } from '../domain/task';
import type { Database } from '../storage/db';
import { parseFile, type ParseInfo } from '../files/parse-file';
import { isQuotaError } from '../domain/quota';
import { addSamples, listTaskHashes } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';

/** Rows shown in the preview table. */
export const PREVIEW_ROWS = 8;
/** Samples written per transaction: big enough to be fast, small enough that progress moves and a full disk loses little. */
export const IMPORT_BATCH = 500;
/** Skipped rows described one by one in the result (the rest are counted). */
const EXAMPLES = 10;

export interface ImportPreview extends ParseInfo {
  rows: RawRow[];
  mapping: ColumnMapping;
  /** Things the user should look at before importing. */
  warnings: string[];
}

export interface ScanResult {
  rows: number;
  tally: ImportTally;
  /** Label values not in the task, with how many rows carry each. */
  unknownLabels: Map<string, number>;
  /** The first skipped rows ("Row 5: the text is empty", as the UI says them). */
  examples: SkippedRow[];
}

export interface ImportResult {
  tally: ImportTally;
  examples: SkippedRow[];
}

export interface Progress {
  read: number;
  total: number;
  imported: number;
}

/** Reads the first rows and guesses the column mapping. */
export async function previewFile(file: Blob, name: string, task: Pick<Task, 'languages'>): Promise<ImportPreview> {
  const rows: RawRow[] = [];
  const info = await parseFile(file, name, { onRow: (r) => rows.push(r) < PREVIEW_ROWS });
  const mapping = guessMapping(info.columns, task, name);
  const warnings: string[] = [];
  if (info.format !== 'json' && info.format !== 'jsonl' && info.columns.length < 2)
    warnings.push(message('import.oneColumn'));
  const known = /^(text|sentence|content|label|category|class|intent|topic|sentiment)$/i;
  if (info.columns.length >= 2 && !info.columns.some((c) => known.test(c.trim())))
    warnings.push(
      message('import.noKnownColumn', { columns: info.columns.map((c) => `“${c.slice(0, 30)}”`).join(', ') }),
    );
  if (info.duplicateColumns.length > 0)
    warnings.push(
      message('import.duplicateColumns', {
        names: info.duplicateColumns.map((c) => `“${c.slice(0, 30)}”`).join(', '),
        example: `${info.duplicateColumns[0]?.slice(0, 30)} (2)`,
      }),
    );
  if (rows.length === 0) warnings.push(message('import.noRows'));
  return { ...info, rows, mapping, warnings };
}

function skipped(row: RawRow, skip: RowSkip, format: ParseInfo['format']): SkippedRow {
  return { where: format, index: row.index, skip };
}

function count(tally: ImportTally, reason: SkipReason): void {
  tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
}

/** Reads the whole file and reports what an import would do, writing nothing. */
export async function scanFile(
  file: Blob,
  name: string,
  mapping: ColumnMapping,
  task: Pick<Task, 'labels' | 'languages'>,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<ScanResult> {
  const vocab = new TaskVocabulary(task);
  const tally: ImportTally = { imported: 0, skipped: {} };
  const unknownLabels = new Map<string, number>();
  const examples: SkippedRow[] = [];
  let rows = 0;
  let format: ParseInfo['format'] = 'csv';
  await parseFile(file, name, {
    signal,
    onFormat: (f) => (format = f),
    onProgress: (read, total) => onProgress?.({ read, total, imported: 0 }),
    onRow: (row) => {
      rows++;
      const out = rowToSample(row, mapping, vocab);
      if (out.ok) {
        tally.imported++;
        return;
      }
      count(tally, out.skip.reason);
      if (out.skip.reason === 'unknown-label')
        unknownLabels.set(out.skip.label, (unknownLabels.get(out.skip.label) ?? 0) + 1);
      if (examples.length < EXAMPLES) examples.push(skipped(row, out.skip, format));
    },
  });
  return { rows, tally, unknownLabels, examples };
}

/**
 * Imports a file into a task, in batches. Labels the user chose to add must already be in
 * the task (the page adds them first). Duplicates of texts the task has are skipped.
 */
export async function importFile(
  db: Database,
  file: Blob,
  name: string,
  taskId: string,
  mapping: ColumnMapping,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const task = await getTask(db, taskId);
  if (!task) throw new AppError('internal', message('err.importTaskGone'));
  const vocab = new TaskVocabulary(task);
  const tally: ImportTally = { imported: 0, skipped: {} };
  const examples: SkippedRow[] = [];
  const knownHashes = await listTaskHashes(db, taskId);
  let batch: NewSample[] = [];
  let read = 0;
  let total = file.size;
  let format: ParseInfo['format'] = 'csv';

  const flush = async () => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    try {
      const { added, duplicates } = await addSamples(db, items, { knownHashes });
      tally.imported += added.length;
      if (duplicates.length) tally.skipped.duplicate = (tally.skipped.duplicate ?? 0) + duplicates.length;
    } catch (error) {
      if (isQuotaError(error))
        throw new AppError('quota-exceeded', message('err.importFull', { count: tally.imported }));
      if (error instanceof AppError && error.code === 'task-gone')
        throw new AppError('task-gone', message('err.importTaskDeleted', { count: tally.imported }));
      throw error;
    }
    onProgress?.({ read, total, imported: tally.imported });
  };

  // parseFile calls onRow synchronously; collect rows, write whenever a batch is full.
  const pending: RawRow[] = [];
  const info = parseFile(file, name, {
    signal,
    onFormat: (f) => (format = f),
    // Hold the reader back while rows wait to be written, so memory stays near one batch.
    beforeChunk: async () => {
      while (pending.length > IMPORT_BATCH * 2 && !signal?.aborted) await new Promise((r) => setTimeout(r, 2));
    },
    onProgress: (r, t) => {
      read = r;
      total = t;
    },
    onRow: (row) => void pending.push(row),
  });
  let done = false;
  const finished = info.then(
    () => {
      done = true;
    },
    (e: unknown) => {
      done = true;
      throw e;
    },
  );
  while (!done || pending.length > 0) {
    if (signal?.aborted) throw new AppError('aborted', message('err.importCancelled', { count: tally.imported }));
    const row = pending.shift();
    if (!row) {
      await Promise.race([finished.catch(() => undefined), new Promise((r) => setTimeout(r, 5))]);
      continue;
    }
    const out = rowToSample(row, mapping, vocab);
    if (out.ok) {
      batch.push({ ...out.sample, taskId });
      if (batch.length >= IMPORT_BATCH) await flush();
    } else {
      count(tally, out.skip.reason);
      if (examples.length < EXAMPLES) examples.push(skipped(row, out.skip, format));
    }
  }
  await finished;
  await flush();
  return { tally, examples };
}
