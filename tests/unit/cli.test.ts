/**
 * @file The CLI contract, run as a user runs it: train and evaluate on the seed paper's data
 * in shared/data, the dense path through the fixture encoder, one-line errors and the tampered
 * classifier files. Part two (`cli-input.test.ts`) has the bad-file corpus and odd inputs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cli, cliWith, ROOT } from '../helpers/cli-run';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { ENCODER_ID } from '../fixtures/models';
import { THREADS_FILE_BYTES, threadsOf } from '../../scripts/ngram-threads';

const PAPER = resolve(ROOT, '../shared/data/paper/topic');
const dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-'));

/** The parts of an n-gram classifier file the tampering tests change. */
interface ClassifierJson {
  labels: string[];
  ngram: { minChar: number; maxChar: number };
  weights: { bias: string };
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
