/**
 * @file The CLI on a big file: a 200 MB CSV (SIB-200 training sentences of all 8 languages,
 * shortened copies with words dropped, seeded) trained with the n-gram student. Target: peak
 * memory of the CLI's process under 1.5 GB. The file is streamed and only packed features are
 * kept, up to a budget in memory and the rest in a temporary file; two epochs keep the run
 * short (the peak is reached while the file is read, before the first epoch).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { csvRows, toCsv } from '../../src/lib/files/csv';
import { CLI_NODE_ARGS } from '../cli-command';
import { createRng } from '../../src/lib/domain/random';

const ROOT = resolve(import.meta.dirname ?? '.', '../..');
const SIB = resolve(ROOT, '../shared/data/sib200');
const LANGUAGES = ['amh_Ethi', 'arb_Arab', 'eng_Latn', 'hau_Latn', 'slk_Latn', 'swh_Latn', 'ukr_Cyrl', 'yor_Latn'];
export const CLI_FILE_BYTES = 200_000_000;
export const CLI_MEMORY_TARGET_BYTES = 1.5e9;

export interface CliMemoryFigure {
  fileBytes: number;
  rows: number;
  epochs: number;
  readSeconds: number;
  trainSeconds: number;
  maxRssBytes: number;
  spilledBlocks: number;
}

/** SIB-200's sentences of one split, all 8 languages. */
export function sibRows(
  split: 'train' | 'dev' | 'test' = 'train',
): { text: string; label: string; language: string }[] {
  return LANGUAGES.flatMap((language) =>
    Papa.parse<{ category: string; text: string }>(readFileSync(join(SIB, language, `${split}.tsv`), 'utf8'), {
      header: true,
      delimiter: '\t',
      quoteChar: '\u0000',
      skipEmptyLines: true,
    }).data.map((r) => ({ text: r.text, label: r.category, language })),
  );
}

/** A row drawn at random, its words kept with probability 0.7 and cut to 4–12 (seeded by `rng`). */
export function shortenedCopy<R extends { text: string }>(rows: readonly R[], rng: () => number): R {
  const r = rows[Math.floor(rng() * rows.length)] as R;
  const words = r.text.split(' ').filter(() => rng() > 0.3);
  return { ...r, text: words.slice(0, 4 + Math.floor(rng() * 9)).join(' ') || r.text };
}

/** Writes the big CSV: one row at a time, so the benchmark itself stays small. */
async function writeBigCsv(path: string): Promise<number> {
  const rng = createRng(1);
  const rows = sibRows('train');
  const out = createWriteStream(path);
  const write = (s: string) => new Promise<void>((done) => (out.write(s) ? done() : out.once('drain', done)));
  await write(toCsv(['text', 'label', 'language'], []));
  let bytes = 0;
  while (bytes < CLI_FILE_BYTES) {
    const lines: string[][] = [];
    for (let i = 0; i < 1000; i++) {
      const r = shortenedCopy(rows, rng);
      lines.push([r.text, r.label, r.language]);
    }
    const chunk = csvRows(lines);
    bytes += Buffer.byteLength(chunk);
    await write(chunk);
  }
  await new Promise<void>((done) => out.end(done));
  return statSync(path).size;
}

export async function cliMemoryFigure(): Promise<CliMemoryFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-bench-'));
  try {
    const data = join(dir, 'big.csv');
    const fileBytes = await writeBigCsv(data);
    const stats = join(dir, 'stats.json');
    const epochs = 2;
    const r = spawnSync(
      process.execPath,
      [...CLI_NODE_ARGS, 'train', '--data', data, '--epochs', String(epochs), '--out', join(dir, 'model.json')],
      { encoding: 'utf8', env: { ...process.env, POLYCLASS_CLI_STATS: stats }, maxBuffer: 1 << 24 },
    );
    if (r.status !== 0) throw new Error(`the CLI failed: ${r.stderr}`);
    const s = JSON.parse(readFileSync(stats, 'utf8')) as Omit<CliMemoryFigure, 'fileBytes' | 'epochs'>;
    return { fileBytes, epochs, ...s };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
