/**
 * @file The CLI contract, run as a user runs it: train and evaluate on the seed paper's data
 * in shared/data, the dense path through the fixture encoder, one-line errors, and every import
 * file of the bad-file corpus (`tests/fixtures/bad-files.ts`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { calibrationOf } from '../../src/lib/domain/metrics';
import { BAD_FILES } from '../fixtures/bad-files';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { ENCODER_ID } from '../fixtures/models';
import { THREADS_FILE_BYTES, threadsOf } from '../../scripts/ngram-threads';

const ROOT = resolve(__dirname, '../..');
const PAPER = resolve(ROOT, '../shared/data/paper/topic');
const dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-'));

/** The parts of an n-gram classifier file the tampering tests change. */
interface ClassifierJson {
  labels: string[];
  ngram: { minChar: number; maxChar: number };
  weights: { bias: string };
}

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/cli.ts'), ...args],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ...env },
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

describe('cli', () => {
  it('trains the n-gram student on the paper’s synthetic Swahili topics and evaluates it on human test data', () => {
    const model = join(dir, 'ngram.json');
    const trained = cli(
      'train',
      '--data',
      join(PAPER, 'sw-train_full.csv'),
      '--label-column',
      'intent',
      '--student',
      'ngram',
      '--out',
      model,
    );
    expect(trained.status, trained.stderr).toBe(0);
    const predictions = join(dir, 'pred.csv');
    const ev = cli(
      'evaluate',
      '--model',
      model,
      '--data',
      join(PAPER, 'sw-test.csv'),
      '--label-column',
      'intent',
      '--json',
      '--predictions',
      predictions,
    );
    expect(ev.status, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as {
      accuracy: number;
      macro_f1: number;
      per_class: Record<string, { support: number }>;
      confusion_matrix: { labels: string[] };
    };
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['accuracy', 'macro_f1', 'per_class', 'per_language', 'confusion_matrix']),
    );
    expect(result.confusion_matrix.labels).toHaveLength(7);
    // fastText trained on the same synthetic file scores 0.479 here (shared/data/paper/README.md).
    expect(result.macro_f1).toBeGreaterThan(0.479);
    const [low, high] = (result as unknown as { ci95: { macro_f1: [number, number] } }).ci95.macro_f1;
    expect(low).toBeLessThan(result.macro_f1);
    expect(high).toBeGreaterThan(result.macro_f1);
    const rows = Papa.parse<Record<string, string>>(readFileSync(predictions, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(Object.keys(rows[0] ?? {})).toEqual(['text', 'label', 'prediction']);
    expect(rows).toHaveLength(Object.values(result.per_class).reduce((a, c) => a + c.support, 0));
  });

  it('trains a logistic-regression head on the fixture encoder, loaded from a local folder', () => {
    const data = join(dir, 'small.jsonl');
    const texts = [
      'mpira wa miguu',
      'timu imeshinda',
      'goli la ushindi',
      'rais amehutubia',
      'uchaguzi mkuu',
      'bunge jipya',
    ];
    writeFileSync(
      data,
      texts.map((t, i) => JSON.stringify({ text: t, label: i < 3 ? 'sports' : 'politics', language: 'sw' })).join('\n'),
    );
    const model = join(dir, 'logreg.json');
    const trained = cli(
      'train',
      '--data',
      data,
      '--student',
      'logreg',
      '--encoder',
      join(FIXTURE_MODELS_DIR, ENCODER_ID),
      '--out',
      model,
    );
    expect(trained.status, trained.stderr).toBe(0);
    const ev = cli('evaluate', '--model', model, '--data', data, '--json');
    expect(ev.status, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { accuracy: number; per_language: Record<string, number> };
    expect(result.accuracy).toBeGreaterThanOrEqual(0.5);
    expect(Object.keys(result.per_language)).toEqual(['sw']);
  });

  it('solves the n-gram student’s labels on several threads into the student one thread makes', () => {
    const train = (name: string, threads: string, env: Record<string, string> = {}) => {
      const model = join(dir, name);
      const stats = join(dir, `${name}.stats`);
      const r = cliWith(
        { POLYCLASS_CLI_STATS: stats, ...env },
        ...['train', '--data', join(PAPER, 'sw-train_full.csv'), '--label-column', 'intent'],
        ...['--threads', threads, '--out', model],
      );
      expect(r.status, r.stderr).toBe(0);
      const file = JSON.parse(readFileSync(model, 'utf8')) as { training: { createdAt?: string } };
      delete file.training.createdAt;
      const used = JSON.parse(readFileSync(stats, 'utf8')) as { spilledBlocks: number; solverThreads: number };
      return { file, used: { spilledBlocks: used.spilledBlocks, solverThreads: used.solverThreads } };
    };
    const one = train('threads-1.json', '1');
    expect(one.used).toEqual({ spilledBlocks: 0, solverThreads: 1 });
    const three = train('threads-3.json', '3');
    expect(three.used).toEqual({ spilledBlocks: 0, solverThreads: 3 });
    expect(three.file).toEqual(one.file);
    // Every block in the temporary file (the count block and the TF-IDF block made from it):
    // solved on the main thread, so the threads cost no memory for blocks read back.
    const spilled = train('threads-spilled.json', '2', { POLYCLASS_CLI_FEATURE_MEMORY: '1' });
    expect(spilled.used).toEqual({ spilledBlocks: 2, solverThreads: 1 });
    expect(spilled.file).toEqual(one.file);
  });

  it('starts threads by default only for a data file up to 64 MB, and as many as --threads asks whatever the size', () => {
    expect(threadsOf(undefined, 1000, 4)).toBe(4);
    expect(threadsOf(undefined, THREADS_FILE_BYTES, 4)).toBe(4);
    // Past 64 MB its features may not fit in memory, and threads would add their heaps to the peak.
    expect(threadsOf(undefined, THREADS_FILE_BYTES + 1, 4)).toBe(1);
    expect(threadsOf('3', THREADS_FILE_BYTES + 1, 4)).toBe(3);
    expect(threadsOf(' 2 ', 1000, 4)).toBe(2);
    for (const bad of ['0', '65', '1.5', 'many', ''])
      expect(() => threadsOf(bad, 1000, 4)).toThrow('--threads must be a whole number from 1 to 64');
  });

  it.each([
    [
      ['train', '--data', join(PAPER, 'sw-test.csv'), '--threads', '0', '--out', 'x.json'],
      '--threads must be a whole number from 1 to 64, not “0”',
    ],
    [['evaluate', '--model', 'nope.json', '--data', 'x.csv', '--json'], 'polyclass: No such file: nope.json'],
    [
      ['train', '--data', join(PAPER, 'sw-test.csv'), '--label-column', 'category', '--out', 'x.json'],
      'has no column “category”',
    ],
    [
      ['train', '--data', join(PAPER, 'sw-test.csv'), '--student', 'bert', '--out', 'x.json'],
      '--student must be ngram, logreg or mlp',
    ],
    [['frobnicate'], 'usage: cli generate'],
    [['frobnicate'], '| cli train --data F'],
  ])('fails with one clear line: %j', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('refuses test data with a label the model does not know', () => {
    const model = join(dir, 'ngram2.json');
    expect(
      cli('train', '--data', join(PAPER, 'sw-train_full.csv'), '--label-column', 'intent', '--out', model).status,
    ).toBe(0);
    const data = join(dir, 'odd.csv');
    writeFileSync(data, 'text,intent\nMvua kubwa leo,weather\n');
    const r = cli('evaluate', '--model', model, '--data', data, '--label-column', 'intent', '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has the label “weather”, which the model does not know');
  });

  it('guards formulas in the predictions CSV unless --raw-csv', () => {
    const data = join(dir, 'formulas.csv');
    writeFileSync(
      data,
      'text,label\nMvua kubwa leo,weather\nJua kali leo,weather\nTimu imeshinda,sports\n"=HYPERLINK(""http://x.example"")",sports\n',
    );
    const model = join(dir, 'formulas.json');
    expect(cli('train', '--data', data, '--out', model).status).toBe(0);
    const guarded = join(dir, 'guarded.csv');
    expect(cli('evaluate', '--model', model, '--data', data, '--json', '--predictions', guarded).status).toBe(0);
    expect(readFileSync(guarded, 'utf8')).toContain(`"'=HYPERLINK(""http://x.example"")"`);
    const raw = join(dir, 'raw.csv');
    expect(cli('evaluate', '--model', model, '--data', data, '--json', '--predictions', raw, '--raw-csv').status).toBe(
      0,
    );
    expect(readFileSync(raw, 'utf8')).toContain(`"=HYPERLINK(""http://x.example"")"`);
    expect(readFileSync(raw, 'utf8')).not.toContain("'=");
  });

  it.each([
    [['--seed', ''], '--seed must be a whole number from 0 to 4294967295, not “”'],
    [['--seed=-1'], '--seed must be a whole number from 0 to 4294967295, not “-1”'],
    [['--seed', '99999999999999999999'], 'not “99999999999999999999”'],
    [['--seed', '1.5'], 'not “1.5”'],
    [['--out', '/nonexistent-polyclass-folder/m.json'], 'the folder /nonexistent-polyclass-folder does not exist'],
  ])('refuses %j in one line, before reading any data', (args, text) => {
    const data = join(dir, 'seed.csv');
    writeFileSync(data, 'text,label\nMvua kubwa leo,weather\nTimu imeshinda,sports\n');
    const r = cli('train', '--data', data, '--out', join(dir, 'seed.json'), ...args);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(text);
  });

  it('counts the rows it skipped for having no label', () => {
    const data = join(dir, 'unlabelled.csv');
    writeFileSync(data, 'text,label\nMvua kubwa leo,weather\nJua kali,\nTimu imeshinda,sports\nMechi ya leo,\n');
    const r = cli('train', '--data', data, '--out', join(dir, 'unlabelled.json'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `Trained a ngram student on 2 samples (2 labels); skipped 2 rows (2 with no label); wrote ${join(dir, 'unlabelled.json')}. Confidences not calibrated (too few rows held out).`,
    );
  });

  it('says a folder is not a file, for --data and --model', () => {
    expect(cli('train', '--data', dir, '--out', join(dir, 'x.json')).stderr).toBe(
      `polyclass: ${dir} is a folder, not a file`,
    );
    expect(cli('evaluate', '--model', dir, '--data', dir, '--json').stderr).toBe(
      `polyclass: ${dir} is a folder, not a file`,
    );
  });

  it('refuses a label JavaScript reserves, in one line', () => {
    const data = join(dir, 'reserved.csv');
    writeFileSync(data, 'text,label\nMvua kubwa leo,__proto__\nTimu imeshinda,sports\nRais amehutubia,constructor\n');
    const r = cli('train', '--data', data, '--out', join(dir, 'reserved.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `polyclass: ${data} has the label “__proto__”, a name JavaScript reserves (like constructor, toString or __proto__): rename it in the file`,
    );
  });

  it.each([
    [
      'a character range far out of bounds',
      (f: ClassifierJson) => ((f.ngram.minChar = -1_000_000), (f.ngram.maxChar = 1_000_000)),
      'field “ngram.minChar”: should be 1 or more',
    ],
    [
      'weights that are not base64',
      (f: ClassifierJson) => (f.weights.bias = '!!not base64!!'),
      'field “weights.bias”: is not base64 data',
    ],
    [
      'a bias shorter than the label count',
      (f: ClassifierJson) => (f.weights.bias = Buffer.from(new Float32Array([0.1]).buffer).toString('base64')),
      '“weights.bias” holds 1 number',
    ],
    [
      'a label JavaScript reserves',
      (f: ClassifierJson) => (f.labels[0] = 'constructor'),
      'field “labels.0”: is a name JavaScript reserves',
    ],
  ])('refuses a tampered classifier file (%s) with one line and status 1', (_what, tamper, text) => {
    const data = join(dir, 'small.csv');
    writeFileSync(
      data,
      'text,label\nMvua kubwa leo,weather\nJua kali leo,weather\nTimu imeshinda,sports\nMechi ya leo,sports\n',
    );
    const model = join(dir, 'small.json');
    expect(cli('train', '--data', data, '--out', model).status).toBe(0);
    const file = JSON.parse(readFileSync(model, 'utf8')) as ClassifierJson;
    tamper(file);
    const bad = join(dir, 'tampered.json');
    writeFileSync(bad, JSON.stringify(file));
    const r = cli('evaluate', '--model', bad, '--data', data, '--json');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(text);
    expect(r.stdout).toBe('');
  });
});

describe('the bad-file corpus, through the CLI', () => {
  const withCli = BAD_FILES.filter((b) => b.target === 'import');

  it('says what the CLI does with every import file', () => {
    expect(withCli.filter((b) => !b.cli).map((b) => b.what)).toEqual([]);
  });

  it.each(withCli.map((b) => [b.what, b] as const))('%s', (_what, bad) => {
    const file = join(dir, `corpus-${bad.file.name}`);
    writeFileSync(file, bad.file.content);
    const r = cli('train', '--data', file, '--out', join(dir, 'corpus.json'));
    expect(r.status, r.stderr).toBe(bad.cli?.status);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(bad.cli?.stderr.replace('{file}', file));
  });
});

describe('cli input handling', () => {
  it('reads a repeated column it does not use without a word on stderr', () => {
    const data = join(dir, 'notes.csv');
    writeFileSync(data, 'text,label,note,note\nMvua kubwa leo,weather,a,b\nTimu imeshinda,sports,c,d\n');
    const r = cli('train', '--data', data, '--out', join(dir, 'notes.json'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `Trained a ngram student on 2 samples (2 labels); wrote ${join(dir, 'notes.json')}. Confidences not calibrated (too few rows held out).`,
    );
  });

  it('stops at the 1,001st label, asking whether the label column is the right one', () => {
    const data = join(dir, 'swapped.csv');
    const rows = Array.from({ length: 1_200 }, (_, i) => `sports,Sentensi ya ${i}`);
    writeFileSync(data, `text,label\n${rows.join('\n')}\n`);
    const r = cli('train', '--data', data, '--out', join(dir, 'swapped.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `polyclass: ${data} has more than 1,000 different labels: is “label” the label column? (--label-column)`,
    );
  });

  it('evaluates the rows it can read and reports the skipped ones in the JSON and on stderr', () => {
    const train = join(dir, 'eval-train.csv');
    writeFileSync(train, 'text,label\nMvua kubwa leo,weather\nJua kali leo,weather\nTimu imeshinda,sports\n');
    const model = join(dir, 'eval.json');
    expect(cli('train', '--data', train, '--out', model).status).toBe(0);
    const test = join(dir, 'eval-test.jsonl');
    writeFileSync(
      test,
      Buffer.concat([
        Buffer.from('{"text": "Mvua leo", "label": "weather"}\n{"text": {"nested": "object"}, "label": "sports"}\n'),
        Buffer.from(
          [...'{"text": "Caf', 0xe9, ...'", "label": "sports"}\n'].map((c) =>
            typeof c === 'number' ? c : c.charCodeAt(0),
          ),
        ),
        Buffer.from('{"text": "Timu ya leo", "label": "sports"}\n'),
      ]),
    );
    const r = cli('evaluate', '--model', model, '--data', test, '--json');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { count: number; skipped_rows: Record<string, number> };
    expect(result.count).toBe(2);
    expect(result.skipped_rows).toEqual({ 'wrong-type': 1, 'invalid-utf8': 1 });
    expect(r.stderr).toContain('Evaluated 2 rows; skipped 2 rows (');
  });

  it('scores a file of outside answers (GPT-4 on SIB-200) with the same JSON, and names what it could not use', () => {
    const sib = resolve(ROOT, '../shared/data/sib200/eng_Latn');
    const r = cli(
      'evaluate',
      '--answers',
      join(sib, 'gpt4_zero_shot.tsv'),
      '--data',
      join(sib, 'test.tsv'),
      '--label-column',
      'category',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      count: number;
      macro_f1: number;
      ci95: { macro_f1: [number, number] };
      per_class: Record<string, unknown>;
      answers: Record<string, unknown>;
    };
    expect(result.count).toBe(204);
    expect(Object.keys(result.per_class)).toHaveLength(7);
    // Every test sentence has its answer; those naming no label or several count as wrong.
    expect(result.answers).toMatchObject({ column: 'gpt-4', answered: 204, missing: 0, unmatched_rows: 0 });
    expect(result.answers.invalid).toBeGreaterThan(0);
    // The data's README gives 0.743 when the first label an answer names is taken; reading an
    // answer that names two labels as wrong can only score lower, and not by much.
    expect(result.macro_f1).toBeLessThanOrEqual(0.743);
    expect(result.macro_f1).toBeGreaterThan(0.68);
    expect(result.ci95.macro_f1[0]).toBeLessThan(result.macro_f1);
    expect(r.stderr).toContain('204 of 204 test rows answered;');

    const bare = join(dir, 'answers-no-text.csv');
    writeFileSync(bare, 'label,answer\nsports,sports\n');
    const refused = cli('evaluate', '--answers', bare, '--data', join(sib, 'test.tsv'), '--label-column', 'category');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/no (answer|text) column/);
    expect(refused.stderr.split('\n')).toHaveLength(1);
  });

  it('says "not sure" below --min-confidence: the share answered and its accuracy, empty predictions', () => {
    const model = join(dir, 'ngram-unsure.json');
    const train = join(PAPER, 'sw-train_full.csv');
    expect(cli('train', '--data', train, '--label-column', 'intent', '--out', model).status).toBe(0);
    const test = join(PAPER, 'sw-test.csv');
    const predictions = join(dir, 'unsure-pred.csv');
    const r = cli(
      'evaluate',
      '--model',
      model,
      '--data',
      test,
      '--label-column',
      'intent',
      '--json',
      '--predictions',
      predictions,
      '--min-confidence',
      '0.7',
    );
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      accuracy: number;
      count: number;
      ece: number;
      not_sure: {
        min_confidence: number;
        answered: number;
        not_sure: number;
        coverage: number;
        accuracy_answered: number;
      };
    };
    const rows = Papa.parse<Record<string, string>>(readFileSync(predictions, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(Object.keys(rows[0] ?? {})).toEqual(['text', 'label', 'prediction', 'best_guess', 'confidence']);
    const answered = rows.filter((row) => row.prediction !== '');
    // The JSON's figures are the file's: rows at or above 0.7 answered, the others left empty.
    expect(result.not_sure.answered).toBe(answered.length);
    expect(result.not_sure.not_sure).toBe(rows.length - answered.length);
    for (const row of rows) expect(row.prediction === '').toBe(Number(row.confidence) < 0.7);
    expect(result.not_sure.coverage).toBeCloseTo(answered.length / rows.length, 9);
    expect(result.not_sure.accuracy_answered).toBeCloseTo(
      answered.filter((row) => row.prediction === row.label).length / answered.length,
      9,
    );
    // Surer answers are right more often than all of them together.
    expect(result.not_sure.accuracy_answered).toBeGreaterThan(result.accuracy);
    // The calibration error is the one the file's confidences show (given to 4 decimals).
    expect(result.ece).toBeCloseTo(
      calibrationOf(
        rows.map((row) => Number(row.confidence)),
        rows.map((row) => row.best_guess === row.label),
      ).ece,
      3,
    );
    // Accuracy still counts every row's best guess.
    expect(result.accuracy).toBeCloseTo(rows.filter((row) => row.best_guess === row.label).length / rows.length, 9);
    expect(cli('evaluate', '--model', model, '--data', test, '--min-confidence', '80').stderr).toContain(
      '--min-confidence takes a number from 0 to below 1',
    );
  });

  it('simulates labelling a pool: chosen by the student and at random, after each budget', () => {
    const write = (name: string, rows: { text: string; label: string }[]) => {
      const path = join(dir, name);
      writeFileSync(path, Papa.unparse(rows, { columns: ['text', 'label'] }));
      return path;
    };
    const topic = (t: string) =>
      /mpira|timu|bao/.test(t) ? 'sports' : /rais|bunge|kura/.test(t) ? 'politics' : 'health';
    const make = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => {
        const words = [
          ['mpira', 'timu', 'bao'],
          ['rais', 'bunge', 'kura'],
          ['dawa', 'hospitali', 'homa'],
        ][i % 3] as string[];
        const text = `${words[i % 3]} ${words[(i + 1) % 3]} habari ${tag}${i}`;
        return { text, label: topic(text) };
      });
    const r = cli(
      'simulate-labelling',
      '--synthetic',
      write('sim-syn.csv', make(30, 's')),
      '--pool',
      write('sim-pool.csv', make(60, 'p')),
      '--test',
      write('sim-test.csv', make(30, 't')),
      '--budgets',
      '5,10',
      '--seeds',
      '2',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      budgets: number[];
      seeds: number;
      pool: number;
      active_macro_f1: number[];
      random_macro_f1: number[];
      runs: { active: number[] }[];
    };
    expect(out).toMatchObject({ budgets: [5, 10], seeds: 2, pool: 60 });
    expect(out.runs).toHaveLength(2);
    expect(out.active_macro_f1[0]).toBeCloseTo(((out.runs[0]?.active[0] ?? 0) + (out.runs[1]?.active[0] ?? 0)) / 2, 12);
    expect(out.random_macro_f1).toHaveLength(2);
    expect(
      cli('simulate-labelling', '--synthetic', 'a.csv', '--pool', 'b.csv', '--test', 'c.csv', '--budgets', '50,25')
        .stderr,
    ).toBe('polyclass: --budgets takes growing whole numbers such as 25,50,100, not “50,25”');
  });

  it('calibrates on --validation rows when there are at least 30, and says which it used', () => {
    const human = readFileSync(join(PAPER, 'sw-train_human_parsed.csv'), 'utf8').split('\n');
    const validation = join(dir, 'validation.csv');
    writeFileSync(validation, human.slice(0, 41).join('\n'));
    const few = join(dir, 'validation-few.csv');
    writeFileSync(few, human.slice(0, 11).join('\n'));
    const train = (extra: string[]) =>
      cli(
        'train',
        '--data',
        join(PAPER, 'sw-train_full.csv'),
        '--label-column',
        'intent',
        '--out',
        join(dir, 'cal.json'),
        ...extra,
      );
    const on = train(['--validation', validation]);
    expect(on.status, on.stderr).toBe(0);
    expect(on.stderr).toContain('Confidences calibrated on 40 validation rows.');
    expect(
      (JSON.parse(readFileSync(join(dir, 'cal.json'), 'utf8')) as { calibration: unknown }).calibration,
    ).toMatchObject({
      fittedOn: 'validation',
      texts: 40,
    });
    const short = train(['--validation', few]);
    expect(short.stderr).toMatch(
      /Confidences calibrated on [\d,]+ leave-one-out estimates \(.*validation-few\.csv has fewer than 30 usable rows\)\./,
    );
  });

  it('leaves no predictions file behind when evaluation fails part-way', () => {
    const data = join(dir, 'late-unknown.csv');
    writeFileSync(data, 'text,label\nMvua kubwa leo,weather\nTimu imeshinda,sports\nUchaguzi,politics\n');
    const train = join(dir, 'two-labels.csv');
    writeFileSync(train, 'text,label\nMvua kubwa leo,weather\nTimu imeshinda,sports\n');
    const model = join(dir, 'two-labels.json');
    expect(cli('train', '--data', train, '--out', model).status).toBe(0);
    const predictions = join(dir, 'late-pred.csv');
    const r = cli('evaluate', '--model', model, '--data', data, '--json', '--predictions', predictions);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has the label “politics”, which the model does not know');
    expect(existsSync(predictions)).toBe(false);
    expect(existsSync(`${predictions}.partial`)).toBe(false);
  });
});

describe('cli temporary files', () => {
  it('leaves no temporary feature file behind, even when killed part-way', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'polyclass-cli-tmp-'));
    const data = join(dir, 'killed.csv');
    // Over 10 MB: the CLI shows progress, which it starts once its feature file is open.
    const rows = Array.from(
      { length: 260_000 },
      (_, i) => `Sentensi ya ${i} kuhusu ${i % 2 ? 'mpira' : 'siasa'},${i % 2 ? 'sports' : 'politics'}`,
    );
    writeFileSync(data, `text,label\n${rows.join('\n')}\n`);
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(ROOT, 'scripts/cli.ts'),
        'train',
        '--data',
        data,
        '--out',
        join(dir, 'killed.json'),
      ],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    await new Promise<void>((done) => child.stderr.once('data', () => done()));
    // The hardest way to end: SIGKILL to tsx and the CLI alike, no handler runs.
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    expect(readdirSync(tmp).filter((f) => f.startsWith('polyclass-'))).toEqual([]);
  });
});
