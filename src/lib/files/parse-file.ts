/**
 * @file Reads CSV, TSV, JSONL and JSON files as a stream of rows, with byte progress and
 * cancel. Text is decoded by a streaming decoder (characters split across chunks stay whole;
 * bytes that are not valid become U+FFFD, which the row check reports per row): UTF-8, or
 * UTF-16 when the file starts with its byte-order mark (Excel's "Unicode Text") or plainly
 * is UTF-16 (every other byte zero).
 * CSV/TSV go through papaparse; JSON arrays are parsed whole (up to a size limit).
 */
import { unguardCell } from './csv';
import { message } from '../i18n/messages';
import Papa from 'papaparse';
import { AppError } from '../domain/errors';
import type { RawRow } from '../domain/import-rows';
import { FORBIDDEN_KEYS, inspectJson, MAX_JSON_DEPTH } from '../domain/schemas';

export type FileFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

/** JSON arrays are parsed in one piece; larger ones must be JSONL (one object per line). */
export const MAX_JSON_ARRAY_BYTES = 200_000_000;

export interface ParseOptions {
  /** Called for every record, in order. Return false to stop reading (previews). */
  onRow: (row: RawRow) => boolean | void;
  /** Bytes read so far and in all. */
  onProgress?: (read: number, total: number) => void;
  signal?: AbortSignal;
  /** Called once the format is known, before any row. */
  onFormat?: (format: FileFormat) => void;
  /** CSV/TSV: called once the header is read, with its names and those that repeat. */
  onHeader?: (columns: readonly string[], duplicates: readonly string[]) => void;
  /** Awaited before each chunk is parsed: lets a slow consumer hold the reader back. */
  beforeChunk?: () => Promise<void>;
}

export interface ParseInfo {
  format: FileFormat;
  /** Column names in file order (CSV header, or keys seen in JSON records). */
  columns: string[];
  /** CSV/TSV field separator. */
  delimiter: string | null;
  /** How the bytes were decoded. */
  encoding: TextEncoding;
  /** CSV/TSV header names that appear more than once; the second is read as `name (2)` and so on. */
  duplicateColumns: string[];
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The file's text encoding, from its first bytes: a UTF-16 byte-order mark, or (without one) a
 * zero byte in nearly every other position, which is how UTF-16 stores Latin-script text.
 * Anything else is read as UTF-8 (a UTF-8 byte-order mark is dropped by the decoder).
 * @param blob the file
 */
export async function detectEncoding(blob: Blob): Promise<TextEncoding> {
  const head = new Uint8Array(await blob.slice(0, 4096).arrayBuffer());
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return 'utf-8';
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  if (oddZero >= pairs * 0.9 && evenZero <= pairs * 0.1) return 'utf-16le';
  if (evenZero >= pairs * 0.9 && oddZero <= pairs * 0.1) return 'utf-16be';
  return 'utf-8';
}

const invalid = (text: string) => new AppError('invalid-file', text);
/** How a record looks, for messages (braces would be ICU syntax inside a message). */
const EXAMPLE_RECORD = '{"text": "…", "label": "…"}';

/** Streams a blob as decoded text chunks, reporting bytes read. */
export async function* readTextChunks(
  blob: Blob,
  onBytes?: (read: number) => void,
  signal?: AbortSignal,
  encoding: TextEncoding = 'utf-8',
): AsyncGenerator<string> {
  let read = 0;
  const counting = new TransformStream<Uint8Array, BufferSource>({
    transform(chunk: Uint8Array, controller) {
      read += chunk.byteLength;
      onBytes?.(read);
      controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
    },
  });
  const reader = blob.stream().pipeThrough(counting).pipeThrough(new TextDecoderStream(encoding)).getReader();
  try {
    for (;;) {
      if (signal?.aborted) throw new AppError('aborted', message('err.cancelled'));
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Picks the format from the file name, then from the first characters. */
export function detectFormat(name: string, head: string): FileFormat {
  const ext = name.toLocaleLowerCase().split('.').pop() ?? '';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'json') return 'json';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  const start = head.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'jsonl';
  return 'csv';
}

function checkText(head: string, size: number): void {
  if (size === 0 || head.trim() === '') throw invalid(message('file.empty'));
  if (head.slice(0, 4096).includes('\u0000')) throw invalid(message('file.binary'));
}

function checkColumns(columns: readonly string[]): void {
  const bad = columns.find((c) => (FORBIDDEN_KEYS as readonly string[]).includes(c.trim()));
  if (bad !== undefined) throw invalid(message('file.badColumn', { name: bad.trim() }));
}

/**
 * Reads every record of a file.
 * @param blob the file
 * @param name its name (for the format)
 * @param options row callback, progress, cancel
 */
export async function parseFile(blob: Blob, name: string, options: ParseOptions): Promise<ParseInfo> {
  const total = blob.size;
  const progress = (read: number) => options.onProgress?.(read, total);
  const encoding = await detectEncoding(blob);
  const chunks = readTextChunks(blob, progress, options.signal, encoding);
  const first = await chunks.next();
  const head = first.done ? '' : first.value;
  checkText(head, total);
  const format = detectFormat(name, head);
  options.onFormat?.(format);
  async function* all(): AsyncGenerator<string> {
    if (!first.done) yield first.value;
    for await (const chunk of chunks) {
      await options.beforeChunk?.();
      yield chunk;
    }
  }
  const info =
    format === 'json'
      ? await parseJsonArray(all(), total, options)
      : format === 'jsonl'
        ? await parseJsonLines(all(), options)
        : await parseDelimited(all(), format, options);
  return { duplicateColumns: [], ...info, encoding };
}

async function parseJsonArray(
  chunks: AsyncIterable<string>,
  size: number,
  options: ParseOptions,
): Promise<Omit<ParseInfo, 'encoding' | 'duplicateColumns'>> {
  if (size > MAX_JSON_ARRAY_BYTES) throw invalid(message('file.jsonTooBig', { mb: MAX_JSON_ARRAY_BYTES / 1_000_000 }));
  let text = '';
  for await (const c of chunks) text += c;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(message('file.badJson', { error: (error as Error).message }));
  }
  if (!Array.isArray(data)) throw invalid(message('file.notList', { example: EXAMPLE_RECORD }));
  const columns = new Set<string>();
  for (let i = 0; i < data.length; i++) {
    const record: unknown = data[i];
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw invalid(message('file.itemNotRecord', { n: i + 1, example: EXAMPLE_RECORD }));
    const problem = inspectJson(record);
    if (problem?.problem === 'forbidden-key')
      throw invalid(message('file.itemField', { n: i + 1, name: problem.path }));
    if (problem) throw invalid(message('file.itemDeep', { n: i + 1, max: MAX_JSON_DEPTH, example: EXAMPLE_RECORD }));
    Object.keys(record).forEach((k) => columns.add(k));
    if (options.onRow({ index: i + 1, fields: record as Record<string, unknown> }) === false) break;
  }
  return { format: 'json', columns: [...columns], delimiter: null };
}

async function parseJsonLines(
  chunks: AsyncIterable<string>,
  options: ParseOptions,
): Promise<Omit<ParseInfo, 'encoding' | 'duplicateColumns'>> {
  const columns = new Set<string>();
  let line = 0;
  let rest = '';
  let stopped = false;
  const handle = (raw: string): boolean => {
    line++;
    const text = raw.replace(/\r$/, '');
    if (!text.trim()) return true;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw invalid(message('file.lineJson', { n: line, error: (error as Error).message }));
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw invalid(message('file.lineNotRecord', { n: line, example: EXAMPLE_RECORD }));
    const problem = inspectJson(record);
    if (problem?.problem === 'forbidden-key') throw invalid(message('file.lineField', { n: line, name: problem.path }));
    if (problem) throw invalid(message('file.lineDeep', { n: line, max: MAX_JSON_DEPTH, example: EXAMPLE_RECORD }));
    Object.keys(record).forEach((k) => columns.add(k));
    return options.onRow({ index: line, fields: record as Record<string, unknown> }) !== false;
  };
  outer: for await (const chunk of chunks) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (!handle(part)) {
        stopped = true;
        break outer;
      }
    }
  }
  if (!stopped && rest) handle(rest);
  return { format: 'jsonl', columns: [...columns], delimiter: null };
}

/** An object papaparse accepts as a Node-style readable stream, fed from async text chunks. */
function papaStream(chunks: AsyncIterable<string>) {
  type Listener = (arg?: unknown) => void;
  const listeners: Record<string, Listener[]> = { data: [], end: [], error: [] };
  let stopped = false;
  const emit = (event: string, arg?: unknown) => [...(listeners[event] ?? [])].forEach((f) => f(arg));
  async function pump() {
    try {
      for await (const chunk of chunks) {
        if (stopped) return;
        emit('data', chunk);
      }
      if (!stopped) emit('end');
    } catch (error) {
      emit('error', error);
    }
  }
  return {
    stream: {
      readable: true as const,
      read: () => undefined,
      on(event: string, fn: Listener) {
        (listeners[event] ??= []).push(fn);
        // papaparse subscribes to 'data', 'end', 'error' in that order; start once all are set.
        if (event === 'error') void Promise.resolve().then(pump);
      },
      removeListener(event: string, fn: Listener) {
        listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn);
      },
      pause: () => undefined,
      resume: () => undefined,
    },
    stop: () => {
      stopped = true;
    },
  };
}

/**
 * Rewrites CRLF and lone CR as LF, so files with mixed line endings (common after editing on
 * several systems) split into rows correctly. A CR at a chunk's end waits for the next chunk.
 */
export async function* normalizeNewlines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of chunks) {
    let text = carry + chunk;
    carry = '';
    if (text.endsWith('\r')) {
      carry = '\r';
      text = text.slice(0, -1);
    }
    yield text.replace(/\r\n?/g, '\n');
  }
  if (carry) yield '\n';
}

function parseDelimited(
  chunks: AsyncIterable<string>,
  format: 'csv' | 'tsv',
  options: ParseOptions,
): Promise<Omit<ParseInfo, 'encoding'>> {
  return new Promise((resolve, reject) => {
    const source = papaStream(normalizeNewlines(chunks));
    // Repeated header names are renamed here (`label (2)`), so papaparse has none to rename
    // (it would print a warning on the console) and the caller learns which ones repeat.
    const seen = new Map<string, number>();
    const duplicates = new Set<string>();
    let columns: string[] | null = null;
    let delimiter: string | null = null;
    let rowNumber = 1; // the header is row 1
    let failure: unknown = null;
    Papa.parse<Record<string, string>>(source.stream as unknown as File, {
      header: true,
      skipEmptyLines: 'greedy',
      newline: '\n',
      delimiter: format === 'tsv' ? '\t' : '',
      transformHeader(header) {
        const n = (seen.get(header) ?? 0) + 1;
        seen.set(header, n);
        if (n === 1) return header;
        duplicates.add(header);
        return `${header} (${n})`;
      },
      step(result, parser) {
        try {
          if (!columns) {
            columns = result.meta.fields ?? [];
            delimiter = result.meta.delimiter;
            checkColumns(columns);
            options.onHeader?.(columns, [...duplicates]);
          }
          rowNumber++;
          const quote = result.errors.find((e) => e.type === 'Quotes');
          if (quote) throw invalid(message('file.unclosedQuote', { n: rowNumber }));
          const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
          // A cell our own export guarded against spreadsheets comes back as it was (files/csv.ts).
          for (const [k, v] of Object.entries(result.data)) fields[k] = typeof v === 'string' ? unguardCell(v) : v;
          const malformed = result.errors.some((e) => e.type === 'FieldMismatch');
          if (options.onRow({ index: rowNumber, fields, malformed }) === false) {
            source.stop();
            parser.abort();
          }
        } catch (error) {
          failure = error;
          source.stop();
          parser.abort();
        }
      },
      complete(result) {
        if (failure) return reject(failure);
        if (options.signal?.aborted) return reject(new AppError('aborted', message('err.cancelled')));
        resolve({
          format,
          columns: columns ?? result.meta.fields ?? [],
          delimiter: delimiter ?? result.meta.delimiter ?? null,
          duplicateColumns: [...duplicates],
        });
      },
      error(error: Error) {
        reject(error instanceof AppError ? error : invalid(message('file.unreadable', { error: error.message })));
      },
    });
  });
}
