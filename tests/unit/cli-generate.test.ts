/**
 * @file `cli generate` as a user runs it: against a server on a loopback address, killed at
 * random moments (one of them while a line was being written) and started again with the same
 * arguments, it ends with exactly the quotas, every line whole and no text twice; the language
 * check rejects texts in the wrong language; the file imports into the app with provenance
 * (tests/browser/local-server.spec.ts).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEWS_TASK_RECORD } from '../helpers/news-task';
import { startFakeLlmServer, type FakeServer } from '../helpers/fake-llm-server';

const TASK = NEWS_TASK_RECORD;

let dir: string;
let taskFile: string;
let server: FakeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyclass-cli-generate-'));
  taskFile = join(dir, 'task.json');
  writeFileSync(taskFile, JSON.stringify(TASK));
  server = await startFakeLlmServer({ delayMs: 40 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stderr: string;
}

/** Runs the CLI; with `killWhen`, kills it (SIGKILL) as soon as the output file has that many lines. */
function cli(args: string[], out: string, killWhen?: number, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  // Node itself with tsx's loader: one process, so that a kill kills the run (tsx's own binary
  // starts a second process, which a kill of the first would leave running).
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'generate', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer =
    killWhen === undefined
      ? null
      : setInterval(() => {
          const lines = existsSync(out) ? readFileSync(out, 'utf8').split('\n').length - 1 : 0;
          if (lines >= killWhen) child.kill('SIGKILL');
        }, 5);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stderr });
    }),
  );
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map(
      (l) =>
        JSON.parse(l) as {
          text: string;
          label: string;
          language: string;
          source: string;
          job_id: string;
          provenance: Record<string, string>;
        },
    );

describe('cli generate', () => {
  it('ends with exactly the quotas after being killed and resumed several times', async () => {
    const out = join(dir, 'samples.jsonl');
    const args = [
      ...['--task', taskFile, '--endpoint', server.endpoint, '--model', 'fake-llm'],
      ...['--per-cell', '20', '--concurrency', '4', '--out', out, '--no-language-check'],
    ];
    for (const killAt of [10, 45, 80]) {
      const run = await cli(args, out, killAt);
      expect(run.code).not.toBe(0);
      expect(lines(out).length).toBeGreaterThanOrEqual(killAt);
    }
    // A run killed in the middle of writing a line leaves it cut short.
    appendFileSync(out, '{"text":"half a li');
    const last = await cli(args, out);
    expect(last.stderr).toMatch(/resuming: \d+ samples already in/);
    expect(last.stderr).toContain('done: 120 samples');
    expect(last.code).toBe(0);
    const rows = lines(out);
    expect(rows).toHaveLength(120);
    const perCell = new Map<string, number>();
    for (const r of rows) perCell.set(`${r.label}/${r.language}`, (perCell.get(`${r.label}/${r.language}`) ?? 0) + 1);
    expect(perCell.size).toBe(6);
    expect([...perCell.values()].every((n) => n === 20)).toBe(true);
    expect(new Set(rows.map((r) => r.text)).size).toBe(120);
    // One run id across resumes, provenance on every line.
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(1);
    expect(rows.every((r) => r.source === 'synthetic' && r.provenance.generator === 'fake-llm')).toBe(true);
    // Started again once more: nothing to do, nothing written.
    const again = await cli(args, out);
    expect(again.code).toBe(0);
    expect(lines(out)).toHaveLength(120);
  });

  it('rejects texts in the wrong language, and says which cells it gave up on', async () => {
    const english = await startFakeLlmServer({
      texts: (count, answer) =>
        Array.from(
          { length: count },
          (_, i) =>
            `The minister said on Tuesday that the new hospital number ${answer * 10 + i} will open next month in the capital.`,
        ),
    });
    try {
      const out = join(dir, 'english.jsonl');
      const run = await cli(
        [
          ...['--task', taskFile, '--endpoint', english.endpoint, '--model', 'fake-llm'],
          ...['--per-cell', '2', '--concurrency', '4', '--out', out],
        ],
        out,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/gave up on .*sports × sw/);
      expect(run.stderr).toMatch(/[1-9]\d* rejected/);
      expect(existsSync(out) ? lines(out) : []).toEqual([]);
    } finally {
      await english.close();
    }
  });

  it('refuses bad arguments with one line, and reads the API key from the environment only', async () => {
    const out = join(dir, 'none.jsonl');
    const missing = await cli(['--task', taskFile, '--endpoint', server.endpoint, '--out', out], out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--model is required');
    const bad = await cli(
      ['--task', taskFile, '--endpoint', 'localhost:8000', '--model', 'm', '--per-cell', '2', '--out', out],
      out,
    );
    expect(bad.stderr).toContain('--endpoint must be an http(s) address');
    const key = await cli(
      [
        '--task',
        taskFile,
        '--endpoint',
        server.endpoint,
        '--model',
        'm',
        '--per-cell',
        '2',
        '--out',
        out,
        '--api-key',
        'sk-x',
      ],
      out,
    );
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/api-key/);
    // A second run on a file another live process writes to is refused (this test's process
    // stands for it); a lock left by a killed run is taken over (the test above).
    writeFileSync(`${out}.lock`, String(process.pid));
    const twice = await cli(
      ['--task', taskFile, '--endpoint', server.endpoint, '--model', 'fake-llm', '--per-cell', '2', '--out', out],
      out,
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`another run (process ${process.pid}) is writing to ${out}`);
  });
});
