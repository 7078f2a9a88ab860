/**
 * @file `npm run -s cli -- <command>`: train and evaluate polyclass students from Node with the
 * same domain/ and ml/ code the app runs (and the same model-loading module for encoders).
 *
 *   train    --data train.csv --student ngram|logreg|mlp [--encoder <hub id or local folder>]
 *            [--seed N] [--epochs N] [--threads N] [--validation dev.csv] --out model.json
 *   evaluate --model model.json --data test.csv --json [--predictions pred.csv [--raw-csv]]
 *            [--min-confidence 0.8]
 *   evaluate --answers answers.tsv --data test.csv --json [--answer-column C]
 *   simulate-labelling --synthetic train.csv --pool unlabelled.csv --test test.csv
 *            [--budgets 25,50,100] [--seeds N] [--json]
 *   generate --task project.zip --endpoint URL --model NAME --per-cell N --out samples.jsonl
 *            [--concurrency K] … (scripts/cli-generate.ts)
 *
 * `simulate-labelling` measures human-in-the-loop labelling (`ml/active-learning.ts`): the
 * n-gram student starts from the synthetic file; the pool file's labels are hidden until a text
 * is chosen; macro-F1 on the test file after each budget of labels chosen as the app's Label
 * view chooses them (by the student's uncertainty with diversity, one in five at random) and of
 * labels chosen at random, mean over seeds 1..N.
 *
 * Every student is calibrated (`ml/calibration.ts`): on `--validation`'s labelled rows when it
 * has at least 30, else on what training held out (leave-one-out estimates, a head's early
 * stopping split). A model's evaluation JSON has its expected calibration error (`ece`, from the student's
 * calibrated confidences, as the app's Evaluate view shows it); with `--min-confidence T` the
 * student says "not sure" below T: the JSON's `not_sure` gives the share of rows it still
 * answers and its accuracy on those, and the predictions CSV leaves `prediction` empty on the
 * others, with `best_guess` and `confidence` beside it.
 *
 * `--answers` scores a file of answers from a system outside polyclass (an API LLM, a fine-tuned
 * model) as the app's Evaluate view does (`domain/answers.ts`): rows matched to the test rows by
 * text, free-text answers read with the LLM evaluators' parser; answers naming no label (or
 * several) and test rows with no answer count as wrong. The JSON is the model's, with an
 * `answers` object of those counts.
 *
 * The predictions CSV guards cells a spreadsheet would run as formulas (a leading `'` before
 * `=`, `+`, `-`, `@`); --raw-csv writes them as they are.
 * Data: CSV/TSV with a header row, or JSONL, with fields `text`, `label` and optionally
 * `language` (other names with --text-column, --label-column, --language-column), in UTF-8 or
 * UTF-16. Rows are checked as the app's import checks them (`domain/import-rows.ts`): rows the
 * app would skip (not UTF-8, binary, empty, too long, no label, a JSON object as text) are
 * skipped and counted in the summary.
 * Files are streamed: the n-gram student keeps only packed features (`ml/ngram-store.ts`), at
 * most FEATURE_MEMORY bytes of them in memory and the rest in a temporary file, so a file of
 * millions of rows trains in bounded memory. Heads on embeddings keep their texts in memory.
 * Big files show progress on stderr (always on a terminal).
 * Errors print one line on stderr and exit with status 1.
 */
import {
  closeSync,
  existsSync,
  openAsBlob,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isReservedName } from '../src/lib/domain/names';
import { csvRows, toCsv } from '../src/lib/files/csv';
import type { TransformersEncoder } from '../src/lib/backends/transformers-encoder';
import { answerRows, guessAnswerColumns, matchAnswers } from '../src/lib/domain/answers';
import { AppError } from '../src/lib/domain/errors';
import { readRowFields, SKIP_REASONS, type RowFields, type SkipReason } from '../src/lib/domain/import-rows';
import {
  bootstrapIntervals,
  calibrationOf,
  computeMetrics,
  coverageAt,
  macroF1ByLanguage,
} from '../src/lib/domain/metrics';
import { defaultPrefixFor } from '../src/lib/domain/model-spec';
import { CLASSIFIER_LIMITS } from '../src/lib/domain/record-schemas';
import type { ModelSource } from '../src/lib/domain/settings';
import { toClassifierFile, type StudentModel } from '../src/lib/ml/classifier-file';
import { answerOf, openStudent } from '../src/lib/ml/student';
import { simulateOverSeeds, type Labelled } from '../src/lib/ml/active-learning';
import { predictDense, trainDenseHead } from '../src/lib/ml/dense-head';
import { fitCalibration } from '../src/lib/ml/calibration';
import { DEFAULT_NGRAM } from '../src/lib/ml/ngram';
import { NgramFeatureStore } from '../src/lib/ml/ngram-store';
import {
  DEFAULT_NGRAM_TRAINING,
  finishNgram,
  predictNgram,
  prepareNgram,
  solveLabels,
  solverState,
  type NgramSolverState,
} from '../src/lib/ml/ngram-student';
import type { EpochReport } from '../src/lib/domain/student';
import { SolverThreads, threadsOf } from './ngram-threads';
import type { TrainingSteps } from '../src/lib/ml/training';
import { parseFile } from '../src/lib/files/parse-file';
import { MIN_VALIDATION_TEXTS, type EncoderRef } from '../src/lib/domain/student';
import { CliError, FileSpill, Progress } from './cli-io';

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

/** --epochs: most passes over the data, a whole number from 1 to 1,000 (default: the student's own). */
function epochsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const epochs = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(epochs) || epochs < 1 || epochs > 1000)
    throw new CliError(`--epochs must be a whole number from 1 to 1000, not “${value}”`);
  return epochs;
}

/** --seed: a whole number from 0 to 2^32 − 1 (the random generator keeps 32 bits: a larger seed would repeat a smaller one). */
function seedOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const seed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed) || seed > 2 ** 32 - 1)
    throw new CliError(`--seed must be a whole number from 0 to 4294967295, not “${value}”`);
  return seed;
}

/**
 * n-gram features kept in memory while training; more go to a temporary file. The environment
 * variable POLYCLASS_CLI_FEATURE_MEMORY (bytes) sets less, for a machine short of memory (and
 * the tests, which make small files take the temporary file's path).
 */
const FEATURE_MEMORY = Number(process.env.POLYCLASS_CLI_FEATURE_MEMORY) || 512 * 1024 * 1024;
/** Files this big show progress on stderr even when it is not a terminal. */
const PROGRESS_BYTES = 10_000_000;

/** What a pass over a data file skipped, by reason. */
type Skipped = Map<SkipReason, number>;

/** "3 rows (2 with no label, 1 not valid UTF-8: save the file as UTF-8)". */
function describeSkipped(skipped: Skipped): string {
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  const parts = [...skipped]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => {
      const what =
        reason === 'invalid-utf8'
          ? `${SKIP_REASONS[reason]}: save the file as UTF-8`
          : reason === 'wrong-type'
            ? `${SKIP_REASONS[reason]}: a number, JSON object, list or true/false where text belongs`
            : reason === 'missing-label'
              ? 'with no label'
              : SKIP_REASONS[reason];
      return `${n.toLocaleString('en')} ${what}`;
    });
  return `${total.toLocaleString('en')} ${total === 1 ? 'row' : 'rows'} (${parts.join(', ')})`;
}

const rate = (n: number, started: number) =>
  Math.round(n / Math.max((performance.now() - started) / 1000, 0.001)).toLocaleString('en');

/**
 * Reads every row of a data file as a stream, checks it as the app's import does, and hands
 * on the usable ones; the file is never in memory as a whole.
 * @param path the file
 * @param columns where text, label and language are
 * @param onRow called for each usable row, in file order
 * @param afterChunk awaited between chunks of the file (a consumer that works in batches)
 */
async function scanData(
  path: string,
  columns: Columns,
  onRow: (fields: RowFields) => void,
  afterChunk?: () => Promise<void>,
): Promise<{ rows: number; skipped: Skipped }> {
  inputFile(path);
  const blob = await openAsBlob(path);
  const progress = new Progress(process.stderr.isTTY === true || blob.size >= PROGRESS_BYTES);
  const skipped: Skipped = new Map();
  let rows = 0;
  let checked = false;
  const started = performance.now();
  const mapping = { text: columns.text, label: columns.label, language: columns.language, split: null };
  const requireColumns = (names: readonly string[]) => {
    for (const c of [columns.text, columns.label])
      if (!names.includes(c)) throw new CliError(`${path} has no column “${c}” (columns: ${names.join(', ')})`);
    checked = true;
  };
  await parseFile(blob, basename(path), {
    onHeader: (names, duplicates) => {
      // A CSV names its columns in the header (a first row may be short of fields).
      requireColumns(names);
      const twice = [columns.text, columns.label, columns.language].find((c) => duplicates.includes(c));
      if (twice !== undefined)
        throw new CliError(`${path} has more than one column named “${twice}”: rename the others`);
    },
    onRow: (r) => {
      // JSON records name theirs in each record: the first one is checked.
      if (!checked) requireColumns(Object.keys(r.fields));
      const read = readRowFields(r, mapping);
      if (!read.ok) skipped.set(read.skip.reason, (skipped.get(read.skip.reason) ?? 0) + 1);
      else {
        rows++;
        onRow(read.fields);
      }
    },
    beforeChunk: afterChunk,
    onProgress: (read, total) =>
      progress.update(
        read / total,
        `Reading ${basename(path)}: ${Math.floor((100 * read) / total)}% (${rows.toLocaleString('en')} rows, ${rate(rows, started)} rows/s)`,
      ),
  });
  progress.line(
    `Read ${rows.toLocaleString('en')} rows of ${basename(path)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (rows === 0)
    throw new CliError(
      skipped.size
        ? `${path} has no usable rows: skipped ${describeSkipped(skipped)}`
        : `${path} has no rows with text`,
    );
  return { rows, skipped };
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
  // Loaded only when an encoder is used: transformers.js and onnxruntime-node make the start of
  // every other command (the n-gram student's) a second and about 250 MB heavier.
  const [{ TransformersEncoder }, { configureTransformers }] = await Promise.all([
    import('../src/lib/backends/transformers-encoder'),
    import('../src/lib/backends/transformers-env'),
  ]);
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
  const epochs = epochsOf(values.epochs as string | undefined);
  outputFile(out, '--out');
  const encoderId = values.encoder as string | undefined;
  if (student !== 'ngram' && !encoderId)
    throw new CliError(`--student ${student} needs --encoder <hub id or local model folder>`);

  // Labels are numbered as they first appear and renumbered in sorted order once the file is read.
  const seen = new Map<string, number>();
  const languages = new Set<string>();
  const classOf = (label: string): number => {
    let c = seen.get(label);
    if (c !== undefined) return c;
    if (isReservedName(label))
      throw new CliError(
        `${data} has the label “${label}”, a name JavaScript reserves (like constructor, toString or __proto__): rename it in the file`,
      );
    if (seen.size === CLASSIFIER_LIMITS.labels)
      throw new CliError(
        `${data} has more than ${CLASSIFIER_LIMITS.labels.toLocaleString('en')} different labels: is “${columns.label}” the label column? (--label-column)`,
      );
    c = seen.size;
    seen.set(label, c);
    return c;
  };
  const threadCount = threadsOf(values.threads as string | undefined, statSync(inputFile(data)).size);
  const spill = student === 'ngram' ? new FileSpill() : null;
  // Started now, so that the threads load while the file is read.
  let threads = student === 'ngram' && threadCount > 1 ? new SolverThreads(threadCount) : null;
  let solverThreads = 0;
  try {
    // Files are big here: document frequencies in one array over every bucket from the start.
    const store = spill
      ? new NgramFeatureStore(DEFAULT_NGRAM, { memoryBytes: FEATURE_MEMORY, spill, denseAfter: 0 })
      : null;
    const texts: string[] = [];
    const classes: number[] = [];
    const readStarted = performance.now();
    const { rows, skipped } = await scanData(data, columns, (row) => {
      const c = classOf(row.label);
      if (row.language) languages.add(row.language);
      if (store) store.add(row.text, c);
      else {
        texts.push(row.text);
        classes.push(c);
      }
    });
    const readSeconds = (performance.now() - readStarted) / 1000;
    const trainStarted = performance.now();
    const labels = [...seen.keys()].sort();
    if (labels.length < 2)
      throw new CliError(
        `${data} has fewer than two labels${skipped.size ? ` in the rows it could use; skipped ${describeSkipped(skipped)}` : ''}`,
      );
    const renumber = new Uint16Array(seen.size);
    for (const [label, c] of seen) renumber[c] = labels.indexOf(label);
    let model: StudentModel;
    let encoder: EncoderRef | null = null;
    if (store) {
      store.finish();
      store.remapClasses(renumber);
      const progress = new Progress(process.stderr.isTTY === true || rows >= 100_000);
      const most = epochs ?? DEFAULT_NGRAM_TRAINING.epochs;
      const started = performance.now();
      const options = { seed, ...(epochs === undefined ? {} : { epochs }) };
      const { matrix, setup } = prepareNgram(store, labels.length, { ...options, shared: threads !== null });
      const blocks = threads ? matrix.inMemoryBlocks() : null;
      if (threads && !blocks) {
        // Part of the matrix is in the temporary file: solved here, the threads' memory freed.
        await threads.close();
        threads = null;
      }
      let solved: { state: NgramSolverState; last: EpochReport };
      if (threads && blocks)
        solved = await threads.solve(blocks, setup, (p) => {
          const seconds = (performance.now() - started) / 1000;
          const passes = [...p.passes.values()].filter((pass) => pass > 0);
          progress.update(
            p.solved / p.labels,
            `${p.solved} of ${p.labels} labels solved on ${threadCount} threads${passes.length ? ` (now at pass ${passes.join(', ')} of at most ${most}; each stops once converged)` : ''}; ${seconds.toFixed(0)} s so far`,
          );
        });
      else {
        const state = solverState(setup, labels.keys());
        const last = await withTurns(
          solveLabels(matrix, setup, [...labels.keys()], state, {
            onEpoch: (r) => {
              const seconds = (performance.now() - started) / 1000;
              const left = (seconds / r.epoch) * (most - r.epoch);
              progress.line(
                `Pass ${r.epoch} of at most ${most} (it stops once every label's solver has converged): training loss ${r.trainLoss.toFixed(4)}; ${seconds.toFixed(0)} s so far${r.epoch < most ? `, at most ${left < 90 ? `${left.toFixed(0)} s` : `${(left / 60).toFixed(0)} min`} left` : ''}`,
              );
            },
          }),
        );
        solved = { state, last };
      }
      progress.end();
      solverThreads = threads ? threadCount : 1;
      model = finishNgram(matrix, setup, solved.state, labels, solved.last, options);
    } else {
      encoder = {
        modelId: encoderId as string,
        dtype: (values.dtype as string | undefined) ?? 'fp32',
        prefix: defaultPrefixFor(encoderId as string),
      };
      const xs = await embed(encoder, texts);
      model = trainDenseHead(
        xs,
        classes.map((c) => labels[renumber[c] as number] as string),
        labels,
        { kind: student as 'logreg' | 'mlp', seed, ...(epochs === undefined ? {} : { epochs }) },
      );
    }
    const calibrated =
      typeof values.validation === 'string' ? await calibrateOn(values.validation, model, encoder, columns) : null;
    const file = toClassifierFile(model, {
      encoder,
      training: { samples: rows, seed, languages: [...languages], createdAt: new Date().toISOString() },
    });
    writeFileSync(out, JSON.stringify(file));
    // For the benchmark (scripts/bench/cli-memory.ts): this process's own figures.
    const stats = process.env.POLYCLASS_CLI_STATS;
    if (stats)
      writeFileSync(
        stats,
        JSON.stringify({
          rows,
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          readSeconds,
          trainSeconds: (performance.now() - trainStarted) / 1000,
          // Count blocks and the TF-IDF blocks made from them.
          spilledBlocks: spill?.count ?? 0,
          // Threads that solved the n-gram student's labels (1: the main thread).
          solverThreads,
        }),
      );
    const calibration = model.calibration
      ? `Confidences calibrated on ${model.calibration.texts.toLocaleString('en')} ${model.calibration.fittedOn === 'validation' ? 'validation rows' : model.calibration.fittedOn === 'held-out' ? 'rows held out from training' : 'leave-one-out estimates'}`
      : 'Confidences not calibrated (too few rows held out)';
    process.stderr.write(
      `Trained a ${student} student on ${rows.toLocaleString('en')} samples (${labels.length} labels)${skipped.size ? `; skipped ${describeSkipped(skipped)}` : ''}; wrote ${out}. ${calibration}${calibrated === false ? ` (${values.validation} has fewer than ${MIN_VALIDATION_TEXTS} usable rows)` : ''}.\n`,
    );
  } finally {
    await threads?.close();
    spill?.dispose();
  }
}

/**
 * Calibrates a model just trained on a validation file's rows (decision 016) when it has at
 * least MIN_VALIDATION_TEXTS of them; returns whether it did.
 */
async function calibrateOn(
  path: string,
  model: StudentModel,
  encoder: EncoderRef | null,
  columns: Columns,
): Promise<boolean> {
  const rows: RowFields[] = [];
  const known = new Set(model.labels);
  await scanData(path, columns, (row) => {
    if (!known.has(row.label))
      throw new CliError(
        `${path} has the label “${row.label}”, which the training data does not (it has: ${model.labels.join(', ')})`,
      );
    rows.push(row);
  });
  if (rows.length < MIN_VALIDATION_TEXTS) return false;
  const k = model.labels.length;
  const probabilities = new Float64Array(rows.length * k);
  if (model.kind === 'ngram') rows.forEach((r, i) => probabilities.set(predictNgram(model, r.text), i * k));
  else {
    const xs = await embed(
      encoder as EncoderRef,
      rows.map((r) => r.text),
    );
    xs.forEach((x, i) => probabilities.set(predictDense(model, x), i * k));
  }
  const calibration = fitCalibration(
    probabilities,
    rows.map((r) => model.labels.indexOf(r.label)),
    k,
    'validation',
  );
  if (calibration) model.calibration = calibration;
  return calibration !== null;
}

/** Runs a training loop, giving the event loop a turn after each epoch (so Ctrl-C is heard). */
async function withTurns<T>(steps: TrainingSteps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise((done) => setImmediate(done));
  }
}

/** How many texts go to a head's encoder at once. */
const EVALUATE_BATCH = 256;

/** The evaluation JSON (and the one-line summary without --json). */
function printScores(
  values: Record<string, string | boolean | undefined>,
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly string[],
  languageOf: readonly (string | null)[],
  skipped: Skipped,
  extra: Record<string, unknown> = {},
): void {
  const m = computeMetrics(labels, truth, predicted);
  const hasLanguages = languageOf.every((l) => l !== null);
  const result = {
    accuracy: m.accuracy,
    macro_f1: m.macroF1,
    // 95% percentile-bootstrap intervals (1,000 resamples, seed 1), as the Evaluate view shows.
    ci95: (({ accuracy, macroF1 }) => ({
      accuracy: [accuracy.low, accuracy.high],
      macro_f1: [macroF1.low, macroF1.high],
    }))(bootstrapIntervals(labels, truth, predicted)),
    per_class: m.perClass,
    per_language: hasLanguages ? macroF1ByLanguage(labels, truth, predicted, languageOf as string[]) : {},
    confusion_matrix: { labels: m.confusion.labels, matrix: m.confusion.matrix },
    count: m.count,
    // Rows of the file left out, by reason (as the app's import names them).
    skipped_rows: Object.fromEntries(skipped),
    ...extra,
  };
  if (skipped.size) process.stderr.write(`Evaluated ${m.count} rows; skipped ${describeSkipped(skipped)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const unsure = extra.not_sure as { not_sure: number; accuracy_answered: number | null } | undefined;
    process.stdout.write(
      `accuracy ${m.accuracy.toFixed(4)}  macro-F1 ${m.macroF1.toFixed(4)}  (${m.count} samples)${
        unsure
          ? `  not sure on ${unsure.not_sure}; accuracy on the rest ${unsure.accuracy_answered?.toFixed(4) ?? '–'}`
          : ''
      }\n`,
    );
  }
}

/** Scores a file of outside answers against the test rows (`--answers`). */
async function evaluateAnswers(
  values: Record<string, string | boolean | undefined>,
  columns: Columns,
  answersPath: string,
  data: string,
): Promise<void> {
  const items: { sampleId: string; text: string }[] = [];
  const truth: string[] = [];
  const languageOf: (string | null)[] = [];
  const { skipped } = await scanData(data, columns, (row) => {
    items.push({ sampleId: `row-${items.length}`, text: row.text });
    truth.push(row.label);
    languageOf.push(row.language || null);
  });
  const labels = [...new Set(truth)].sort();
  inputFile(answersPath);
  const records: Record<string, unknown>[] = [];
  const info = await parseFile(await openAsBlob(answersPath), basename(answersPath), {
    onRow: (row) => {
      records.push(row.fields);
    },
  });
  const guessed = guessAnswerColumns(info.columns);
  const answerColumn = typeof values['answer-column'] === 'string' ? values['answer-column'] : guessed?.answer;
  const textColumn = guessed?.text ?? (info.columns.includes(columns.text) ? columns.text : null);
  if (!answerColumn || !info.columns.includes(answerColumn))
    throw new CliError(
      `${answersPath}: no answer column${answerColumn ? ` “${answerColumn}”` : ''} (columns: ${info.columns.join(', ')}); name it with --answer-column`,
    );
  if (!textColumn)
    throw new CliError(
      `${answersPath}: no text column to match the test rows by (columns: ${info.columns.join(', ')})`,
    );
  const matched = matchAnswers(
    items,
    answerRows(records, { answer: answerColumn, text: textColumn, id: null }),
    labels,
  );
  if (matched.missingCount === items.length)
    throw new CliError(
      `${answersPath}: no row answers a text of ${data} (answers in “${answerColumn}”, texts in “${textColumn}”)`,
    );
  if (matched.missingCount || matched.unmatchedCount || matched.invalidCount)
    process.stderr.write(
      `${items.length - matched.missingCount} of ${items.length} test rows answered; ${matched.invalidCount} answers name no label or several; ${matched.unmatchedCount} answer rows match no test row\n`,
    );
  printScores(
    values,
    labels,
    truth,
    matched.predictions.map((p) => p ?? ''),
    languageOf,
    skipped,
    {
      answers: {
        column: answerColumn,
        answered: items.length - matched.missingCount,
        missing: matched.missingCount,
        invalid: matched.invalidCount,
        unmatched_rows: matched.unmatchedCount,
      },
    },
  );
}

async function evaluate(values: Record<string, string | boolean | undefined>, columns: Columns): Promise<void> {
  const modelPath = values.model as string | undefined;
  const data = values.data as string | undefined;
  if (typeof values.answers === 'string') {
    if (modelPath) throw new CliError('evaluate takes --model or --answers, not both');
    if (!data) throw new CliError('evaluate needs --data <file>');
    return evaluateAnswers(values, columns, values.answers, data);
  }
  if (!modelPath) throw new CliError('evaluate needs --model <model.json> or --answers <file>');
  if (!data) throw new CliError('evaluate needs --data <file>');
  const minConfidence = values['min-confidence'] === undefined ? 0 : Number(values['min-confidence']);
  if (!(minConfidence >= 0 && minConfidence < 1))
    throw new CliError(
      `--min-confidence takes a number from 0 to below 1 (0.8 is 80%), not “${values['min-confidence']}”`,
    );
  const threshold = minConfidence > 0;
  inputFile(modelPath);
  const predictionsPath =
    typeof values.predictions === 'string' ? outputFile(values.predictions, '--predictions') : null;
  const raw = values['raw-csv'] === true;
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
  const known = new Set(labels);
  // Predictions go to a file beside the target and take its name only when all went well.
  const partial = predictionsPath ? `${predictionsPath}.partial` : null;
  const fd = partial ? openSync(partial, 'w') : null;
  const truth: string[] = [];
  const predicted: string[] = [];
  const confidences: number[] = [];
  const languageOf: (string | null)[] = [];
  let batch: RowFields[] = [];
  let withLanguage: boolean | null = null;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const answers = (await student.probabilities(rows.map((r) => r.text))).map((p) =>
      answerOf(labels, p, minConfidence),
    );
    if (fd !== null) {
      // The language column is there when the file's first row has a language.
      if (withLanguage === null) {
        withLanguage = rows[0]?.language !== '';
        const header = [
          'text',
          'label',
          'prediction',
          ...(threshold ? ['best_guess', 'confidence'] : []),
          ...(withLanguage ? ['language'] : []),
        ];
        writeSync(fd, toCsv(header, [], { raw }));
      }
      writeSync(
        fd,
        csvRows(
          rows.map((r, i) => {
            const a = answers[i] as (typeof answers)[number];
            return [
              r.text,
              r.label,
              ...(threshold ? [a.sure ? a.label : '', a.label, a.confidence.toFixed(4)] : [a.label]),
              ...(withLanguage ? [r.language] : []),
            ];
          }),
          { raw },
        ),
      );
    }
    for (const a of answers) {
      predicted.push(a.label);
      confidences.push(a.confidence);
    }
  };
  try {
    const { skipped } = await scanData(
      data,
      columns,
      (row) => {
        if (!known.has(row.label))
          throw new CliError(
            `${data} has the label “${row.label}”, which the model does not know (it knows: ${labels.join(', ')})`,
          );
        truth.push(row.label);
        languageOf.push(row.language || null);
        batch.push(row);
      },
      async () => {
        if (batch.length >= EVALUATE_BATCH) await flush();
      },
    );
    await flush();
    if (fd !== null) {
      closeSync(fd);
      renameSync(partial as string, predictionsPath as string);
    }
    // Scores count every row's most likely label; calibration and "not sure" come beside them.
    const correct = predicted.map((p, i) => p === truth[i]);
    const covered = coverageAt(confidences, correct, minConfidence);
    printScores(values, labels, truth, predicted, languageOf, skipped, {
      ece: calibrationOf(confidences, correct).ece,
      ...(threshold
        ? {
            not_sure: {
              min_confidence: minConfidence,
              answered: covered.answered,
              not_sure: confidences.length - covered.answered,
              coverage: covered.coverage,
              accuracy_answered: covered.accuracy,
            },
          }
        : {}),
    });
  } finally {
    for (const e of loaded) await e.dispose();
    if (fd !== null && partial && existsSync(partial)) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(partial, { force: true });
    }
  }
}

/** `simulate-labelling`: active vs random labelling of a pool, from a synthetic start. */
async function simulate(values: Record<string, string | boolean | undefined>, columns: Columns): Promise<void> {
  const need = (name: string) => {
    const v = values[name];
    if (typeof v !== 'string') throw new CliError(`simulate-labelling needs --${name} <file>`);
    return v;
  };
  const budgets = String(values.budgets ?? '25,50,100')
    .split(',')
    .map((b) => Number(b.trim()));
  if (
    budgets.some((b) => !Number.isInteger(b) || b < 1) ||
    budgets.some((b, i) => i > 0 && b <= (budgets[i - 1] as number))
  )
    throw new CliError(`--budgets takes growing whole numbers such as 25,50,100, not “${values.budgets}”`);
  const seeds = Number(values.seeds ?? 3);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
    throw new CliError(`--seeds takes a whole number from 1 to 100, not “${values.seeds}”`);
  const read = async (path: string) => {
    const rows: Labelled[] = [];
    await scanData(path, columns, (r) => void rows.push({ text: r.text, label: r.label }));
    return rows;
  };
  const [synthetic, pool, test] = [await read(need('synthetic')), await read(need('pool')), await read(need('test'))];
  const labels = [...new Set(synthetic.map((r) => r.label))].sort();
  const known = new Set(labels);
  for (const [name, rows] of [
    ['pool', pool],
    ['test', test],
  ] as const) {
    const unknown = rows.find((r) => !known.has(r.label));
    if (unknown)
      throw new CliError(
        `the ${name} file has the label “${unknown.label}”, which the synthetic file does not (it has: ${labels.join(', ')})`,
      );
  }
  const { runs, mean } = simulateOverSeeds(synthetic, pool, test, labels, seeds, { budgets }, (done) =>
    process.stderr.write(`seed ${done} of ${seeds} done\n`),
  );
  const result = {
    budgets,
    seeds,
    pool: pool.length,
    synthetic_macro_f1: mean.synthetic,
    active_macro_f1: mean.active,
    random_macro_f1: mean.random,
    runs,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      `synthetic only ${result.synthetic_macro_f1.toFixed(4)}\n${budgets
        .map(
          (b, i) =>
            `${b} labels: chosen by the student ${result.active_macro_f1[i]?.toFixed(4)}  at random ${result.random_macro_f1[i]?.toFixed(4)}`,
        )
        .join('\n')}\n`,
    );
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  // The generation client, language identification and their data: loaded for `generate` only.
  if (command === 'generate') return (await import('./cli-generate')).generate(rest);
  const { values } = parseArgs({
    args: rest,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      student: { type: 'string' },
      encoder: { type: 'string' },
      dtype: { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      threads: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
      predictions: { type: 'string' },
      answers: { type: 'string' },
      'answer-column': { type: 'string' },
      'min-confidence': { type: 'string' },
      validation: { type: 'string' },
      synthetic: { type: 'string' },
      pool: { type: 'string' },
      test: { type: 'string' },
      budgets: { type: 'string' },
      seeds: { type: 'string' },
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
  if (command === 'simulate-labelling') return simulate(values, columns);
  throw new CliError(
    'usage: cli generate --task project.zip --endpoint URL --model NAME --per-cell N --out samples.jsonl [--concurrency K] | cli train --data F --student ngram|logreg|mlp [--encoder E] [--validation V] --out M | cli evaluate --model M --data F --json [--predictions P [--raw-csv]] [--min-confidence T] | cli evaluate --answers A --data F --json [--answer-column C] | cli simulate-labelling --synthetic S --pool P --test T [--budgets 25,50,100] [--seeds N] [--json]',
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
