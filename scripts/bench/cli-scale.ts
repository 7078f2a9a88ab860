/**
 * @file The n-gram student's command line against fastText's, from 2,000 to 200,000 training
 * rows (issue 18): the same file for both (SIB-200 training sentences of all 8 languages first,
 * then shortened copies with words dropped, seeded), scored on SIB-200's test sentences of the 8
 * languages. Each program runs as its own process under GNU `time`, which reports its wall time
 * and peak resident memory; the student's time includes Node and the CLI starting, reading the
 * CSV, featurizing, training and writing the model; it solves its labels on every core (at most 4
 * threads), as fastText trains on every core. fastText: the reference settings of
 * shared/data (`-epoch 50 -lr 0.5 -wordNgrams 2 -minn 2 -maxn 5 -dim 50`), on every core.
 * Target: the student in at most half fastText's time at every size, at most 1 GB at 200,000,
 * accuracy kept.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv } from '../../src/lib/files/csv';
import { createRng } from '../../src/lib/domain/random';
import { computeMetrics } from '../../src/lib/domain/metrics';
import { shuffledIndices } from '../../src/lib/ml/training';
import { shortenedCopy, sibRows } from './cli-memory';
import type { BrowserNgramRow } from './ngram-browser-scale';
import type { CurvePanel } from './page-chart';
import { defaultThreads } from '../ngram-threads';
import { CLI_NODE_ARGS } from '../cli-command';

export const SCALE_SIZES = [2_000, 10_000, 50_000, 200_000] as const;
export const SCALE_TIME_RATIO_TARGET = 0.5;
export const SCALE_MEMORY_TARGET_BYTES = 1e9;

interface Run {
  seconds: number;
  maxRssBytes: number;
  macroF1: number;
}

export interface ScalePoint {
  rows: number;
  student: Run;
  fasttext: Run | null;
}

export interface ScaleFigures {
  threads: { student: number; fasttext: number };
  testRows: number;
  points: ScalePoint[];
}

type Row = { text: string; label: string; language: string };

/** `rows` training rows: the original sentences (in a seeded order) first, then shortened copies. */
function trainingRows(all: readonly Row[], rows: number, seed: number): Row[] {
  const rng = createRng(seed);
  const originals = [...shuffledIndices(all.length, rng)].slice(0, rows).map((i) => all[i] as Row);
  const copies = Array.from({ length: rows - originals.length }, () => shortenedCopy(all, rng));
  return [...originals, ...copies];
}

/** Runs a command under GNU time: its wall seconds and peak resident memory. */
function timed(dir: string, command: string, args: readonly string[]): { seconds: number; maxRssBytes: number } {
  const report = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', report, command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  const last = readFileSync(report, 'utf8').trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(seconds) || !Number.isFinite(kb)) throw new Error(`no timing from GNU time: ${last}`);
  return { seconds: seconds as number, maxRssBytes: (kb as number) * 1024 };
}

const hasFasttext = () => spawnSync('fasttext', [], { encoding: 'utf8' }).error === undefined;
const tag = (label: string) => `__label__${label.replace(/\s+/g, '_')}`;
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

function studentRun(dir: string, train: string, test: string): Run {
  const model = join(dir, 'student.json');
  const cli = CLI_NODE_ARGS;
  const fit = timed(dir, process.execPath, [...cli, 'train', '--data', train, '--student', 'ngram', '--out', model]);
  const scored = spawnSync(process.execPath, [...cli, 'evaluate', '--model', model, '--data', test, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (scored.status !== 0) throw new Error(`the CLI's evaluate failed: ${scored.stderr}`);
  const { macro_f1 } = JSON.parse(scored.stdout) as { macro_f1: number };
  return { seconds: fit.seconds, maxRssBytes: fit.maxRssBytes, macroF1: macro_f1 };
}

function fasttextRun(dir: string, train: readonly Row[], test: readonly Row[], labels: readonly string[]): Run {
  const trainFile = join(dir, 'ft-train.txt');
  const testFile = join(dir, 'ft-test.txt');
  writeFileSync(trainFile, train.map((r) => `${tag(r.label)} ${oneLine(r.text)}`).join('\n'));
  writeFileSync(testFile, test.map((r) => oneLine(r.text)).join('\n'));
  const model = join(dir, 'ft-model');
  const fit = timed(dir, 'fasttext', [
    ...['supervised', '-input', trainFile, '-output', model],
    ...['-epoch', '50', '-lr', '0.5', '-wordNgrams', '2', '-minn', '2', '-maxn', '5', '-dim', '50'],
    ...['-thread', String(cpus().length), '-verbose', '0'],
  ]);
  const p = spawnSync('fasttext', ['predict', `${model}.bin`, testFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.status !== 0) throw new Error(`fasttext predict failed: ${p.stderr}`);
  const byTag = new Map(labels.map((l) => [tag(l), l]));
  const predicted = p.stdout
    .trim()
    .split('\n')
    .map((line) => byTag.get(line.trim()) ?? '');
  return {
    seconds: fit.seconds,
    maxRssBytes: fit.maxRssBytes,
    macroF1: computeMetrics(
      labels,
      test.map((r) => r.label),
      predicted,
    ).macroF1,
  };
}

/**
 * The student's CLI and fastText at each size, one size after the other (the student first).
 * @param sizes training rows per point
 */
export function cliScaleFigures(sizes: readonly number[] = SCALE_SIZES): ScaleFigures {
  const all = sibRows('train');
  const test = sibRows('test');
  const labels = [...new Set(all.map((r) => r.label))].sort();
  const dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-scale-'));
  const withFasttext = hasFasttext();
  try {
    const testCsv = join(dir, 'test.csv');
    writeFileSync(
      testCsv,
      toCsv(
        ['text', 'label', 'language'],
        test.map((r) => [r.text, r.label, r.language]),
      ),
    );
    const points = sizes.map((rows): ScalePoint => {
      const train = trainingRows(all, rows, rows);
      const trainCsv = join(dir, 'train.csv');
      writeFileSync(
        trainCsv,
        toCsv(
          ['text', 'label', 'language'],
          train.map((r) => [r.text, r.label, r.language]),
        ),
      );
      const student = studentRun(dir, trainCsv, testCsv);
      const fasttext = withFasttext ? fasttextRun(dir, train, test, labels) : null;
      console.log(
        `  ${rows} rows: student ${student.seconds.toFixed(1)} s, ${(student.maxRssBytes / 1e6).toFixed(0)} MB, F1 ${student.macroF1.toFixed(3)}; fastText ${fasttext ? `${fasttext.seconds.toFixed(1)} s, ${(fasttext.maxRssBytes / 1e6).toFixed(0)} MB, F1 ${fasttext.macroF1.toFixed(3)}` : 'not installed'}`,
      );
      return { rows, student, fasttext };
    });
    return { threads: { student: defaultThreads(), fasttext: cpus().length }, testRows: test.length, points };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the picture of the scale curves goes (linked from BENCHMARKS.md). */
export const SCALE_CHART = 'bench/scale-curves.png';

/**
 * The curves as uPlot panels: time and peak memory against training rows, the student's CLI
 * beside fastText's, and the student in the browser (§14) where that section ran.
 */
export function scaleCurvePanels(figures: ScaleFigures, browser: readonly BrowserNgramRow[] | null): CurvePanel[] {
  const rows = figures.points;
  const withFasttext = rows.filter((p) => p.fasttext !== null);
  const student = { label: 'n-gram student (CLI)', color: '#0b5cad' };
  const fasttext = { label: 'fastText (CLI)', color: '#a4161a', dash: [6, 4] };
  const inBrowser = { label: 'n-gram student (Chromium)', color: '#12672f', dash: [2, 3] };
  const measuredBrowser = (browser ?? []).filter((r) => r.peakBytes !== null);
  return [
    {
      title: 'Training time',
      xLabel: 'training rows',
      yLabel: 'seconds',
      series: [
        { ...student, points: rows.map((p) => [p.rows, p.student.seconds]) },
        { ...fasttext, points: withFasttext.map((p) => [p.rows, p.fasttext?.seconds ?? 0]) },
        ...(browser?.length
          ? [{ ...inBrowser, points: browser.map((r): [number, number] => [r.samples, r.trainMs / 1000]) }]
          : []),
      ],
    },
    {
      title: 'Peak memory',
      xLabel: 'training rows',
      yLabel: 'MB',
      series: [
        { ...student, points: rows.map((p) => [p.rows, p.student.maxRssBytes / 1e6]) },
        { ...fasttext, points: withFasttext.map((p) => [p.rows, (p.fasttext?.maxRssBytes ?? 0) / 1e6]) },
        ...(measuredBrowser.length
          ? [
              {
                ...inBrowser,
                points: measuredBrowser.map((r): [number, number] => [r.samples, (r.peakBytes ?? 0) / 1e6]),
              },
            ]
          : []),
      ],
    },
  ];
}

export function cliScaleMarkdown(figures: ScaleFigures | null, chart: boolean): string {
  if (!figures) return '';
  const ratio = (p: ScalePoint) => (p.fasttext ? p.student.seconds / p.fasttext.seconds : null);
  const met = figures.points.every((p) => (ratio(p) ?? Infinity) <= SCALE_TIME_RATIO_TARGET);
  const largest = figures.points.at(-1);
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  return `## 16. The n-gram student's CLI vs fastText's, 2,000 to 200,000 rows

The same file for both at each size: SIB-200 training sentences of all 8 languages (7 labels) first, then shortened copies with words dropped, seeded; scored on SIB-200's ${figures.testRows.toLocaleString('en')} test sentences of the 8 languages (\`scripts/bench/cli-scale.ts\`). Each program runs as its own process under GNU \`time\` (wall time, peak resident memory). Student: \`npm run -s cli -- train --student ngram\` with its defaults, its labels solved on ${figures.threads.student} threads (its default: every core, at most 4; the student is the same on any number); its time includes Node and the CLI starting (the TypeScript loader too), reading the CSV, featurizing, training, calibrating and writing the model. fastText: \`supervised -epoch 50 -lr 0.5 -wordNgrams 2 -minn 2 -maxn 5 -dim 50 -thread ${figures.threads.fasttext}\` (every core of this machine). Target (issue 18): the student in at most ${SCALE_TIME_RATIO_TARGET}× fastText's time at every size, at most ${(SCALE_MEMORY_TARGET_BYTES / 1e9).toFixed(0)} GB at 200,000 rows, accuracy kept. Time target ${met ? '**met**' : '**not met**'} at every size measured; peak memory at ${largest?.rows.toLocaleString('en')} rows: ${largest ? mb(largest.student.maxRssBytes) : '–'}.

| rows | student, s | fastText, s | time ratio (student / fastText) | student peak memory | fastText peak memory | student macro-F1 | fastText macro-F1 |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${figures.points.map((p) => `| ${p.rows.toLocaleString('en')} | ${p.student.seconds.toFixed(1)} | ${p.fasttext?.seconds.toFixed(1) ?? 'not installed'} | ${ratio(p)?.toFixed(2) ?? '–'}× | ${mb(p.student.maxRssBytes)} | ${p.fasttext ? mb(p.fasttext.maxRssBytes) : '–'} | ${p.student.macroF1.toFixed(3)} | ${p.fasttext?.macroF1.toFixed(3) ?? '–'} |`).join('\n')}
${chart ? `\n![Training time and peak memory against training rows, log scales: the n-gram student's CLI, fastText's CLI and the student in Chromium](${SCALE_CHART})\n` : ''}`;
}
