/**
 * @file An OpenAI-compatible server on this computer as the app's generator (issue 22): the
 * connection check lists the server's models, a generation job runs end to end through the
 * worker against the test server on a loopback address (streamed answers, JSON-schema answers),
 * a remote address is refused with a sentence, a server that is not running is explained; and
 * the CLI's JSONL output imports with every sample's provenance.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGeneratedTexts } from '../../src/lib/domain/parse';
import { startFakeLlmServer, type FakeServer } from '../helpers/fake-llm-server';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi } from './helpers/tasks';
import { importSwahiliRows } from './helpers/steps';

/** Swahili sentences (SIB-200, from the demo's shipped recording), handed out one by one. */
async function swahiliTexts(): Promise<(count: number) => string[]> {
  const recording = JSON.parse(await readFile('public/recordings/demo-news.json', 'utf8')) as {
    answers: { language: string; answer: string }[];
  };
  const pool = recording.answers
    .filter((a) => a.language === 'Swahili')
    .flatMap((a) => parseGeneratedTexts(a.answer).texts);
  let next = 0;
  return (count) => Array.from({ length: count }, () => pool[next++ % pool.length] ?? '');
}

const TASK = {
  name: 'Local server news',
  languages: [{ query: 'swahili', option: /^Swahili \(macrolanguage\) sw/ }],
  labels: [
    { name: 'sports', description: 'Games' },
    { name: 'politics', description: 'Government' },
  ],
};

interface StoredSample {
  id: string;
  text: string;
  label: string;
  language: string;
  source: string;
  jobId: string | null;
  deletedAt: number | null;
  meta?: Record<string, string>;
}

let server: FakeServer;
let app: AppSession;
let dir: string;

beforeAll(async () => {
  server = await startFakeLlmServer({ texts: await swahiliTexts(), model: 'llama3.2:3b' });
  dir = await mkdtemp(join(tmpdir(), 'polyclass-local-server-'));
  app = await openApp('#/tasks');
  await createTaskInUi(app.page, app.baseURL, TASK);
});

afterAll(async () => {
  await app?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an OpenAI-compatible server on this computer', () => {
  it('refuses an address that is not this computer’s, and explains a server that does not answer', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/generate`);
    await page.getByLabel(/An OpenAI-compatible server on this computer/).check();
    const panel = page.getByTestId('local-server');
    await panel.getByLabel('Server address').fill('https://api.example.com/v1');
    await panel.getByLabel('Model name on the server').fill('llama3.2:3b');
    const problem = panel.getByTestId('server-address-problem');
    expect(await problem.textContent()).toContain(
      'https://api.example.com/v1 is not on this computer. polyclass talks only to a server on this computer',
    );
    expect(await page.getByRole('button', { name: 'Start generating' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Check the connection' }).isDisabled()).toBe(true);

    // A port where nothing listens.
    await panel.getByLabel('Server address').fill('http://127.0.0.1:9/v1');
    expect(await problem.count()).toBe(0);
    await panel.getByRole('button', { name: 'Check the connection' }).click();
    const said = panel.getByTestId('server-check');
    await said.waitFor();
    expect(await said.getAttribute('role')).toBe('alert');
    expect(await said.textContent()).toContain(
      'No answer from http://127.0.0.1:9/v1. Either the server is not running',
    );
    expect(await said.textContent()).toContain(`OLLAMA_ORIGINS=${baseURL}`);
    // Another address: the answer about the last one goes away.
    await panel.getByLabel('Server address').fill('http://localhost:11434/v1');
    expect(await said.count()).toBe(0);
  });

  it('checks the connection and runs a generation job end to end', async () => {
    const { page, baseURL } = app;
    const before = app.requests.length;
    await page.goto(`${baseURL}/#/generate`);
    await page.getByLabel(/An OpenAI-compatible server on this computer/).check();
    const panel = page.getByTestId('local-server');
    await panel.getByLabel('Server address').fill(`${server.endpoint}/`);
    await panel.getByRole('button', { name: 'Check the connection' }).click();
    await panel
      .getByTestId('server-check')
      .filter({ hasText: 'The server answers and has 1 model: llama3.2:3b.' })
      .waitFor();
    // The server's only model is filled in.
    expect(await panel.getByLabel('Model name on the server').inputValue()).toBe('llama3.2:3b');
    await page.getByLabel('Samples per label and language').fill('4');
    await page.getByRole('button', { name: 'Start generating' }).click();
    await expect
      .poll(() => page.getByTestId('gen-message').textContent(), { timeout: 90_000 })
      .toBe('Done: every label and language has its samples.');
    const good = (await readStore<StoredSample>(page, 'samples')).filter(
      (s) => s.jobId !== null && s.deletedAt === null,
    );
    expect(good).toHaveLength(8);
    expect(good.every((s) => s.meta?.generator === 'llama3.2:3b' && s.source === 'synthetic')).toBe(true);
    // The app streams (the answer shows as it comes) and asks for JSON-schema answers.
    expect(server.stats.streamed).toBeGreaterThan(0);
    expect(server.stats.withSchema).toBe(server.stats.chats);
    // Nothing went anywhere but the app's server and the LLM server on this computer.
    const hosts = new Set(
      app.requests
        .slice(before)
        .filter((u) => /^https?:/.test(u))
        .map((u) => new URL(u).host),
    );
    expect([...hosts].sort()).toEqual([new URL(baseURL).host, new URL(server.origin).host].sort());
  });

  it('imports the CLI’s JSONL output with every sample’s provenance', async () => {
    const { page, baseURL } = app;
    const taskFile = join(dir, 'task.json');
    await writeFile(
      taskFile,
      JSON.stringify({
        id: 'cli-task',
        name: TASK.name,
        description: '',
        languages: [{ code: 'sw', name: 'Swahili' }],
        labels: TASK.labels,
        createdAt: 0,
        updatedAt: 0,
      }),
    );
    const out = join(dir, 'samples.jsonl');
    const code = await new Promise<number | null>((resolve) =>
      spawn(
        process.execPath,
        [
          ...['--import', 'tsx', 'scripts/cli.ts', 'generate', '--task', taskFile, '--endpoint', server.endpoint],
          ...['--model', 'llama3.2:3b', '--per-cell', '3', '--concurrency', '4', '--out', out, '--quiet'],
        ],
        { stdio: 'ignore' },
      ).on('exit', resolve),
    );
    expect(code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);

    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('File to import').setInputFiles(out);
    await panel.getByLabel('Split of rows without one').selectOption('train');
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Import' }).click();
    await panel.getByTestId('import-summary').filter({ hasText: '6 imported' }).waitFor();
    const imported = (await readStore<StoredSample>(page, 'samples')).filter(
      (s) => s.jobId === null && s.deletedAt === null,
    );
    expect(imported).toHaveLength(6);
    for (const s of imported) {
      expect(s.source).toBe('synthetic');
      expect(s.meta).toMatchObject({
        generator: 'llama3.2:3b',
        template: expect.any(String),
        seed: expect.any(String),
      });
    }
  });

  it('answers as an LLM evaluator in Evaluate, offered ticked while the server answers', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    await importSwahiliRows(
      page,
      [
        { text: 'Timu ya taifa imeshinda mechi ya jana kwa mabao mawili.', label: 'sports' },
        { text: 'Bunge limepitisha sheria mpya ya uchaguzi leo.', label: 'politics' },
        { text: 'Mchezaji huyo amefunga bao katika dakika ya mwisho.', label: 'sports' },
        { text: 'Rais amekutana na viongozi wa vyama vya upinzani.', label: 'politics' },
      ],
      'test',
    );
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByTestId('test-set').filter({ hasText: '4 test texts' }).waitFor();
    await page.getByLabel(/An OpenAI-compatible server on this computer/).check();
    const panel = page.getByTestId('local-server');
    await panel.getByLabel('Server address').fill(server.endpoint);
    await panel.getByLabel('Model name on the server').fill('llama3.2:3b');
    const llm = page.getByTestId('llm-evaluators');
    await expect.poll(() => llm.getByLabel(/Zero-shot/).isChecked(), { timeout: 30_000 }).toBe(true);
    expect(await llm.getByTestId('zero-shot-why').count()).toBe(0);
    const before = server.stats.chats;
    await page.getByRole('button', { name: 'Run every evaluator' }).click();
    await expect
      .poll(() => page.getByTestId('eval-message').textContent(), { timeout: 90_000 })
      .toBe('Done: every evaluator has its scores.');
    const runs = (
      await readStore<{ id: string; kind: string; evaluators: { spec: { kind: string }; status: string }[] }>(
        page,
        'evalRuns',
      )
    ).filter((r) => r.kind === 'compare');
    const llmDone = runs.flatMap((r) => r.evaluators).filter((e) => e.spec.kind === 'llm' && e.status === 'done');
    // Zero-shot, and with the task's synthetic samples as examples (the job above wrote some).
    expect(llmDone).toHaveLength(2);
    // One question per test text and evaluator.
    expect(server.stats.chats - before).toBe(8);

    // A server that stops answering: the evaluator is offered unticked, with the reason.
    const down = `http://127.0.0.1:9/v1`;
    await panel.getByLabel('Server address').fill(down);
    await llm
      .getByTestId('zero-shot-why')
      .filter({ hasText: `the server at ${down} does not answer` })
      .waitFor();
    expect(await llm.getByLabel(/Zero-shot/).isChecked()).toBe(false);
  });
});
