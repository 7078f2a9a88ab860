/**
 * @file `npm run -s cli -- generate`: the app's generation pipeline (prompts and strategies,
 * tolerant parser, quality filters with language identification, quotas per language × label,
 * provenance) against an OpenAI-compatible server (vLLM, llama.cpp's server, Ollama, an API),
 * many requests in flight (jobs/parallel-generation.ts). Samples go to a JSONL file in the app's
 * export format, so the app imports them with their provenance. The file is the checkpoint: a
 * run killed at any moment and started again with the same arguments reads it back (a last line
 * cut short is dropped) and ends with exactly the quotas.
 *
 *   generate --task project.zip|task.json [--task-id ID] --endpoint URL --model NAME
 *            --per-cell N --out samples.jsonl [--concurrency K] [--per-call N] [--seed N]
 *            [--temperature T] [--max-tokens N] [--timeout S] [--stream] [--no-language-check]
 *
 * An API key is read from the environment variable OPENAI_API_KEY only, never from the command
 * line, and never written anywhere.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import languages from 'fasttext.wasm.js/dist/models/language-identification/assets/languages.json';
import { OpenAiGenerator } from '../src/lib/backends/openai-generator';
import { LanguageChecker } from '../src/lib/backends/language-checker';
import { LanguageIdentifier } from '../src/lib/backends/lid';
import { Cld3 } from '../src/lib/backends/cld3';
import { DEFAULT_GENERATION, type GenerationConfig } from '../src/lib/domain/generation';
import { isOwnText } from '../src/lib/domain/language-check';
import type { Sample } from '../src/lib/domain/sample';
import { TaskSchema } from '../src/lib/domain/schemas';
import type { Task } from '../src/lib/domain/task';
import { readBundle } from '../src/lib/files/bundle';
import { samplesToJsonl } from '../src/lib/files/dataset-files';
import { runParallelGeneration, type ParallelProgress } from '../src/lib/jobs/parallel-generation';
import { formatDuration } from '../src/lib/domain/format';
import * as v from 'valibot';
import { CliError, Progress } from './cli-io';

interface Loaded {
  task: Task;
  /** Samples of the task the bundle carried (seeds for demonstrations, own texts for the language check). */
  samples: Sample[];
}

/** The task from a project bundle (the app's export) or a task's JSON (one task, or a list of one). */
function loadTask(path: string, taskId: string | undefined): Loaded {
  if (!existsSync(path) || statSync(path).isDirectory()) throw new CliError(`No such file: ${path}`);
  const bytes = readFileSync(path);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  let tasks: Task[];
  let samples: Sample[] = [];
  if (isZip) {
    const bundle = readBundle(new Uint8Array(bytes));
    tasks = bundle.tasks;
    samples = bundle.samples;
  } else {
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new CliError(`${path} is neither a project bundle (.zip) nor JSON`);
    }
    const list = Array.isArray(raw) ? raw : [raw];
    tasks = list.map((t, i) => {
      const r = v.safeParse(TaskSchema, t);
      if (!r.success)
        throw new CliError(`${path}: task ${i + 1} is not a polyclass task (${r.issues[0]?.message ?? 'invalid'})`);
      return r.output as Task;
    });
  }
  const task = taskId ? tasks.find((t) => t.id === taskId) : tasks.length === 1 ? tasks[0] : undefined;
  if (!task)
    throw new CliError(
      taskId
        ? `${path} has no task with the id ${taskId} (it has: ${tasks.map((t) => `${t.id} “${t.name}”`).join(', ')})`
        : `${path} holds ${tasks.length} tasks: choose one with --task-id (${tasks.map((t) => `${t.id} “${t.name}”`).join(', ')})`,
    );
  return { task, samples: samples.filter((s) => s.taskId === task.id && s.deletedAt === null) };
}

interface Written {
  samples: Pick<Sample, 'text' | 'label' | 'language'>[];
  /** The number of the next call (one more than the highest call the file records). */
  nextCall: number;
}

/**
 * What earlier runs wrote to the output file. A last line cut short (the run was killed while
 * writing it) is removed from the file; every other line must be a sample of this task.
 */
function readWritten(path: string, task: Task, seed: number): Written {
  if (!existsSync(path)) return { samples: [], nextCall: 0 };
  const content = readFileSync(path, 'utf8');
  const end = content.lastIndexOf('\n') + 1;
  if (end < content.length) truncateSync(path, Buffer.byteLength(content.slice(0, end)));
  const samples: Written['samples'] = [];
  let nextCall = 0;
  const labels = new Set(task.labels.map((l) => l.name));
  const codes = new Set(task.languages.map((l) => l.code));
  content
    .slice(0, end)
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let row: { text?: unknown; label?: unknown; language?: unknown; provenance?: { seed?: unknown } | null };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        throw new CliError(`${path}, line ${i + 1}: not JSON; this is not a file this command wrote`);
      }
      const { text, label, language } = row;
      if (typeof text !== 'string' || typeof label !== 'string' || typeof language !== 'string')
        throw new CliError(
          `${path}, line ${i + 1}: no text, label and language; this is not a file this command wrote`,
        );
      if (!labels.has(label) || !codes.has(language))
        throw new CliError(
          `${path}, line ${i + 1}: the label “${label}” or language “${language}” is not the task's; choose another --out`,
        );
      samples.push({ text, label, language });
      const call = Number(row.provenance?.seed) - seed;
      if (Number.isSafeInteger(call) && call >= nextCall) nextCall = call + 1;
    });
  return { samples, nextCall };
}

/**
 * Refuses a second run on the same output file while the first still runs (two writers would
 * interleave their lines): a lock file with the writer's process id, taken over when that
 * process is gone (a kill leaves the file behind).
 * @returns a function that removes the lock
 */
function lockOutput(out: string): () => void {
  const lock = `${out}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lock, 'utf8'));
      let alive: boolean;
      try {
        alive = Number.isSafeInteger(pid) && pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new CliError(`another run (process ${pid}) is writing to ${out}; wait for it or stop it first`);
      rmSync(lock, { force: true });
    }
  }
  throw new CliError(`cannot lock ${out} (${lock} keeps coming back)`);
}

function wholeNumber(value: string | undefined, option: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new CliError(`${option} is required`);
    return fallback;
  }
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new CliError(`${option} must be a whole number from ${min} to ${max}, not “${value}”`);
  return n;
}

const rate = (p: ParallelProgress) =>
  `${p.done}/${p.total} samples · ${p.rejected} rejected · ${p.calls} calls${p.failed ? ` (${p.failed} failed)` : ''} · ${p.inFlight} in flight · ${p.perMinute.toFixed(1)}/min${p.etaSeconds !== null ? ` · ETA ${formatDuration(p.etaSeconds * 1000)}` : ''}`;

export async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      task: { type: 'string' },
      'task-id': { type: 'string' },
      endpoint: { type: 'string' },
      model: { type: 'string' },
      'per-cell': { type: 'string' },
      'per-call': { type: 'string' },
      concurrency: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      timeout: { type: 'string' },
      stream: { type: 'boolean' },
      'no-language-check': { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  for (const required of ['task', 'endpoint', 'model', 'out'] as const)
    if (!values[required]) throw new CliError(`--${required} is required`);
  const endpoint = (values.endpoint ?? '').replace(/\/+$/, '');
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`--endpoint must be an http(s) address such as http://localhost:8000/v1, not “${endpoint}”`);
  }
  const model = values.model ?? '';
  const out = values.out ?? '';
  if (existsSync(out) && statSync(out).isDirectory()) throw new CliError(`--out ${out} is a folder, not a file`);
  const { task, samples } = loadTask(values.task ?? '', values['task-id']);
  const temperature = values.temperature === undefined ? DEFAULT_GENERATION.temperature : Number(values.temperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)
    throw new CliError(`--temperature must be a number from 0 to 2, not “${values.temperature}”`);
  const languageCheck = !values['no-language-check'];
  const config: GenerationConfig = {
    ...DEFAULT_GENERATION,
    perCell: wholeNumber(values['per-cell'], '--per-cell', 1, 1_000_000),
    perCall: wholeNumber(values['per-call'], '--per-call', 1, 50, DEFAULT_GENERATION.perCall),
    seed: wholeNumber(values.seed, '--seed', 0, 2 ** 31, DEFAULT_GENERATION.seed),
    maxTokens: wholeNumber(values['max-tokens'], '--max-tokens', 16, 100_000, DEFAULT_GENERATION.maxTokens),
    temperature,
    filters: { ...DEFAULT_GENERATION.filters, language: languageCheck },
    generator: { kind: 'openai', endpoint, model },
  };
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 1, 1024, 8);
  const timeoutS = wholeNumber(values.timeout, '--timeout', 1, 86_400, 600);
  // The same arguments name the same run: its samples carry one id across resumes.
  const runId = `cli-${createHash('sha256')
    .update(JSON.stringify([task.id, endpoint, model, config.seed]))
    .digest('hex')
    .slice(0, 16)}`;

  const unlock = lockOutput(out);
  process.once('exit', unlock);
  const written = readWritten(out, task, config.seed);
  const progress = new Progress(!values.quiet);
  progress.line(
    written.samples.length
      ? `resuming: ${written.samples.length} samples already in ${out}`
      : `generating for “${task.name}”: ${task.labels.length} labels × ${task.languages.length} languages × ${config.perCell}`,
  );
  const generator = new OpenAiGenerator({
    endpoint,
    model,
    apiKey: process.env.OPENAI_API_KEY,
    stream: values.stream === true,
    maxRetries: 6,
    timeoutMs: timeoutS * 1000,
    client: OpenAI,
  });
  await generator.load(() => {});

  let identifyLanguage: ((text: string, code: string) => ReturnType<LanguageChecker['check']>) | undefined;
  if (languageCheck) {
    const [lid, cld3] = await Promise.all([
      LanguageIdentifier.load({}, languages).catch(() => null),
      Cld3.load().catch(() => null),
    ]);
    const checker = await LanguageChecker.forTask(lid, cld3, task.languages, samples.filter(isOwnText));
    const unchecked = task.languages.filter((l) => checker.knownBy(l.code).length === 0).map((l) => l.name);
    if (unchecked.length) progress.line(`no language check for: ${unchecked.join(', ')} (no identifier knows them)`);
    identifyLanguage = (text, code) => checker.check(text, code);
  }

  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    progress.line('stopping: waiting for the requests in flight (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const fd = openSync(out, 'a');
  try {
    const result = await runParallelGeneration({
      task,
      seeds: samples.filter((s) => s.split === 'seed'),
      config,
      generator,
      concurrency,
      runId,
      written: written.samples,
      firstCall: written.nextCall,
      // One write per call: whole lines, appended; a kill can only cut the last one short.
      write: (good) => {
        const bytes = Buffer.from(samplesToJsonl(good));
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      },
      identifyLanguage,
      onProgress: (p) => progress.update(p.total ? p.done / p.total : 1, `generate: ${rate(p)}`),
      signal: controller.signal,
    });
    progress.line(`generate: ${rate(result)}`);
    if (result.stopped) {
      progress.line(`stopped; run the same command again to continue from ${out}`);
      process.exitCode = 130;
    } else if (result.stuck.length) {
      throw new CliError(
        `gave up on ${result.stuck.map((c) => `${c.label} × ${c.language}`).join(', ')}: calls in a row yielded no usable text (see the rejections above); ${out} keeps what was accepted`,
      );
    } else {
      progress.line(
        `done: ${result.done} samples in ${out} (${generator.constrained ? 'JSON-schema answers' : 'free answers, parsed'})`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
