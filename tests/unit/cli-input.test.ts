/**
 * @file The CLI contract, part two, run as a user runs it: every import file of the bad-file
 * corpus (`tests/fixtures/bad-files.ts`), odd input files, outside answers, "not sure",
 * labelling simulation, calibration, and no files left behind. Part one is `cli.test.ts` (two
 * files, so two test workers share the CLI's many runs).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cli, CLI_NODE_ARGS, ROOT } from '../helpers/cli-run';
import { calibrationOf } from '../../src/lib/domain/metrics';
import { BAD_FILES } from '../fixtures/bad-files';

const PAPER = resolve(ROOT, '../shared/data/paper/topic');
const dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-'));

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
      [...CLI_NODE_ARGS, 'train', '--data', data, '--out', join(dir, 'killed.json')],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    await new Promise<void>((done) => child.stderr.once('data', () => done()));
    // The hardest way to end: SIGKILL, no handler runs.
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    expect(readdirSync(tmp).filter((f) => f.startsWith('polyclass-'))).toEqual([]);
  });
});
