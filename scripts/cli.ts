/**
 * @file `npm run -s cli -- <command>`: train and evaluate polyclass students from Node with the
 * same domain/ and ml/ code the app runs (and the same model-loading module for encoders).
 *
 *   train    --data train.csv --student ngram|logreg|mlp [--encoder <hub id or local folder>]
 *            [--seed N] --out model.json
 *   evaluate --model model.json --data test.csv --json [--predictions pred.csv [--raw-csv]]
 *
 * The predictions CSV guards cells a spreadsheet would run as formulas (a leading `'` before
 * `=`, `+`, `-`, `@`); --raw-csv writes them as they are.
 * Data: CSV/TSV with a header row, or JSONL, with fields `text`, `label` and optionally
 * `language` (other names with --text-column, --label-column, --language-column).
 * Errors print one line on stderr and exit with status 1.
 */
import { isReservedName } from '../src/lib/domain/names';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv } from '../src/lib/files/csv';
import { TransformersEncoder } from '../src/lib/backends/transformers-encoder';
import { configureTransformers } from '../src/lib/backends/transformers-env';
import { AppError } from '../src/lib/domain/errors';
import { bootstrapIntervals, computeMetrics, macroF1ByLanguage } from '../src/lib/domain/metrics';
import { defaultPrefixFor } from '../src/lib/domain/model-spec';
import type { ModelSource } from '../src/lib/domain/settings';
import { toClassifierFile, type StudentModel } from '../src/lib/ml/classifier-file';
import { openStudent, predictLabels } from '../src/lib/ml/student';
import { trainDenseHead } from '../src/lib/ml/dense-head';
import { trainNgram } from '../src/lib/ml/ngram-student';
import { parseFile } from '../src/lib/files/parse-file';
import type { EncoderRef } from '../src/lib/domain/student';

class CliError extends Error {}

interface Row {
  text: string;
  label: string;
  language: string | null;
}

interface Columns {
  text: string;
  label: string;
  language: string;
}

/** A file to read: it exists and is a file. */
function inputFile(path: string): string {
  if (!existsSync(path)) throw new CliError(`No such file: ${path}`);
  if (statSync(path).isDirectory()) throw new CliError(`${path} is a folder, not a file`);
  return path;
}

/** A file to write: its folder exists, and it is not a folder itself. */
function outputFile(path: string, option: string): string {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CliError(`${option} ${path}: the folder ${folder} does not exist (create it first)`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new CliError(`${option} ${path} is a folder, not a file`);
  return path;
}

/** --seed: a whole number from 0 to 2^32 − 1 (the random generator keeps 32 bits: a larger seed would repeat a smaller one). */
function seedOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const seed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > 2 ** 32 - 1)
    throw new CliError(`--seed must be a whole number from 0 to 4294967295, not “${value}”`);
  return seed;
}

async function readData(path: string, columns: Columns, needLabels: boolean): Promise<Row[]> {
  inputFile(path);
  const rows: Row[] = [];
  let checked = false;
  await parseFile(new Blob([readFileSync(path)]), basename(path), {
    onRow: (r) => {
      if (!checked) {
        for (const c of [columns.text, ...(needLabels ? [columns.label] : [])])
          if (!(c in r.fields))
            throw new CliError(`${path} has no column “${c}” (columns: ${Object.keys(r.fields).join(', ')})`);
        checked = true;
      }
      const text = String(r.fields[columns.text] ?? '').trim();
      if (!text) return;
      const lang = r.fields[columns.language];
      rows.push({
        text,
        label: String(r.fields[columns.label] ?? '').trim(),
        language: lang === undefined || lang === '' ? null : String(lang),
      });
    },
  });
  if (rows.length === 0) throw new CliError(`${path} has no rows with text`);
  return rows;
}

/** A local folder (`/path/org/name`) or a hub id (`org/name`), as transformers.js loads it. */
function encoderSource(encoder: string): { source: ModelSource; modelId: string } {
  if (existsSync(encoder) && statSync(encoder).isDirectory()) {
    const abs = resolve(encoder);
    const modelId = `${basename(dirname(abs))}/${basename(abs)}`;
    return { source: { kind: 'folder', location: dirname(dirname(abs)) }, modelId };
  }
  return { source: { kind: 'hub' }, modelId: encoder };
}

async function loadEncoder(ref: EncoderRef): Promise<TransformersEncoder> {
  const { source, modelId } = encoderSource(ref.modelId);
  configureTransformers({ source });
  return TransformersEncoder.load({ modelId, device: 'cpu', dtype: ref.dtype as 'fp32', prefix: ref.prefix }, source);
}

async function embed(ref: EncoderRef, texts: string[]): Promise<Float32Array[]> {
  const encoder = await loadEncoder(ref);
  try {
    return await encoder.embed(texts);
  } finally {
    await encoder.dispose();
  }
}

async function train(values: Record<string, string | boolean | undefined>, columns: Columns): Promise<void> {
  const data = values.data as string | undefined;
  const out = values.out as string | undefined;
  const student = (values.student as string | undefined) ?? 'ngram';
  if (!data) throw new CliError('train needs --data <file>');
  if (!out) throw new CliError('train needs --out <model.json>');
  if (!['ngram', 'logreg', 'mlp'].includes(student))
    throw new CliError(`--student must be ngram, logreg or mlp, not “${student}”`);
  const seed = seedOf(values.seed as string | undefined);
  outputFile(out, '--out');
  const rows = await readData(data, columns, true);
  const labels = [...new Set(rows.map((r) => r.label))].filter((l) => l !== '').sort();
  if (labels.length < 2) throw new CliError(`${data} has fewer than two labels`);
  const reserved = labels.find(isReservedName);
  if (reserved !== undefined)
    throw new CliError(
      `${data} has the label “${reserved}”, a name JavaScript reserves (like constructor, toString or __proto__): rename it in the file`,
    );
  const usable = rows.filter((r) => r.label !== '');
  let model: StudentModel;
  let encoder: EncoderRef | null = null;
  if (student === 'ngram') {
    model = trainNgram(
      usable.map((r) => r.text),
      usable.map((r) => r.label),
      labels,
      { seed },
    );
  } else {
    const id = values.encoder as string | undefined;
    if (!id) throw new CliError(`--student ${student} needs --encoder <hub id or local model folder>`);
    encoder = { modelId: id, dtype: (values.dtype as string | undefined) ?? 'fp32', prefix: defaultPrefixFor(id) };
    const xs = await embed(
      encoder,
      usable.map((r) => r.text),
    );
    model = trainDenseHead(
      xs,
      usable.map((r) => r.label),
      labels,
      { kind: student as 'logreg' | 'mlp', seed },
    );
  }
  const languages = [...new Set(usable.map((r) => r.language).filter((l): l is string => l !== null))];
  const file = toClassifierFile(model, {
    encoder,
    training: { samples: usable.length, seed, languages, createdAt: new Date().toISOString() },
  });
  writeFileSync(out, JSON.stringify(file));
  const unlabelled = rows.length - usable.length;
  process.stderr.write(
    `Trained a ${student} student on ${usable.length} samples (${labels.length} labels)${unlabelled ? `; skipped ${unlabelled} ${unlabelled === 1 ? 'row' : 'rows'} with no label` : ''}; wrote ${out}\n`,
  );
}

async function evaluate(values: Record<string, string | boolean | undefined>, columns: Columns): Promise<void> {
  const modelPath = values.model as string | undefined;
  const data = values.data as string | undefined;
  if (!modelPath) throw new CliError('evaluate needs --model <model.json>');
  if (!data) throw new CliError('evaluate needs --data <file>');
  inputFile(modelPath);
  if (typeof values.predictions === 'string') outputFile(values.predictions, '--predictions');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(modelPath, 'utf8'));
  } catch {
    throw new CliError(`${modelPath} is not valid JSON`);
  }
  // The file is checked in full here; a head's encoder is loaded on the first texts and freed at the end.
  const loaded: TransformersEncoder[] = [];
  const student = openStudent(json, async (ref) => {
    const encoder = await loadEncoder(ref);
    loaded.push(encoder);
    return encoder;
  });
  const labels = [...student.labels];
  const rows = await readData(data, columns, true);
  const unknown = rows.find((r) => !labels.includes(r.label));
  if (unknown)
    throw new CliError(
      `${data} has the label “${unknown.label}”, which the model does not know (it knows: ${labels.join(', ')})`,
    );
  let predicted: string[];
  try {
    predicted = await predictLabels(
      student,
      rows.map((r) => r.text),
    );
  } finally {
    for (const e of loaded) await e.dispose();
  }
  const truth = rows.map((r) => r.label);
  const m = computeMetrics(labels, truth, predicted);
  const hasLanguages = rows.every((r) => r.language !== null);
  const result = {
    accuracy: m.accuracy,
    macro_f1: m.macroF1,
    // 95% percentile-bootstrap intervals (1,000 resamples, seed 1), as the Evaluate view shows.
    ci95: (({ accuracy, macroF1 }) => ({
      accuracy: [accuracy.low, accuracy.high],
      macro_f1: [macroF1.low, macroF1.high],
    }))(bootstrapIntervals(labels, truth, predicted)),
    per_class: m.perClass,
    per_language: hasLanguages
      ? macroF1ByLanguage(
          labels,
          truth,
          predicted,
          rows.map((r) => r.language as string),
        )
      : {},
    confusion_matrix: { labels: m.confusion.labels, matrix: m.confusion.matrix },
    count: m.count,
  };
  if (values.predictions) {
    const cols = hasLanguages ? ['text', 'label', 'prediction', 'language'] : ['text', 'label', 'prediction'];
    const out = rows.map((r, i) => [
      r.text,
      r.label,
      predicted[i] as string,
      ...(hasLanguages ? [r.language as string] : []),
    ]);
    writeFileSync(values.predictions as string, toCsv(cols, out, { raw: values['raw-csv'] === true }));
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(`accuracy ${m.accuracy.toFixed(4)}  macro-F1 ${m.macroF1.toFixed(4)}  (${m.count} samples)\n`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      student: { type: 'string' },
      encoder: { type: 'string' },
      dtype: { type: 'string' },
      seed: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
      predictions: { type: 'string' },
      'raw-csv': { type: 'boolean' },
      'text-column': { type: 'string' },
      'label-column': { type: 'string' },
      'language-column': { type: 'string' },
    },
  });
  const columns: Columns = {
    text: values['text-column'] ?? 'text',
    label: values['label-column'] ?? 'label',
    language: values['language-column'] ?? 'language',
  };
  if (command === 'train') return train(values, columns);
  if (command === 'evaluate') return evaluate(values, columns);
  throw new CliError(
    'usage: cli train --data F --student ngram|logreg|mlp [--encoder E] --out M | cli evaluate --model M --data F --json [--predictions P [--raw-csv]]',
  );
}

main().catch((error: unknown) => {
  const message =
    error instanceof CliError || error instanceof AppError
      ? error.message
      : `unexpected error: ${(error as Error).message}`;
  process.stderr.write(`polyclass: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
