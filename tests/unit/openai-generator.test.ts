/**
 * @file The OpenAI-compatible generator and the parallel runner against a real server on a
 * loopback address (tests/helpers/fake-llm-server.ts): streamed and whole answers, JSON-schema
 * answers honoured or refused, rate limits with `retry-after`, server errors, dropped
 * connections, and exact quotas with many requests in flight.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../../src/lib/backends/generator';
import { OpenAiGenerator } from '../../src/lib/backends/openai-generator';
import { AppError } from '../../src/lib/domain/errors';
import { DEFAULT_GENERATION } from '../../src/lib/domain/generation';
import { cellKey } from '../../src/lib/domain/generation-plan';
import { parseGeneratedTexts } from '../../src/lib/domain/parse';
import { buildGenerationMessages, TEXTS_SCHEMA } from '../../src/lib/domain/prompts';
import type { Sample } from '../../src/lib/domain/sample';
import { runParallelGeneration, type ParallelOptions } from '../../src/lib/jobs/parallel-generation';
import { NEWS_TASK_RECORD } from '../helpers/news-task';
import { startFakeLlmServer, type FakeServer } from '../helpers/fake-llm-server';

const TASK = NEWS_TASK_RECORD;

const messages = (count: number) =>
  buildGenerationMessages({
    task: TASK,
    label: TASK.labels[0] ?? { name: 'sports', description: '' },
    language: TASK.languages[0] ?? { code: 'sw', name: 'Swahili' },
    count,
    demonstrations: [],
    hint: null,
    contrast: null,
  });

const OPTS = { temperature: 0.4, topP: 0.9, maxTokens: 512, jsonSchema: TEXTS_SCHEMA };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const generatorFor = (s: FakeServer, extra: Partial<ConstructorParameters<typeof OpenAiGenerator>[0]> = {}) =>
  new OpenAiGenerator({ endpoint: s.endpoint, model: s.options.model, client: OpenAI, ...extra });

describe('OpenAiGenerator', () => {
  it('gets whole and streamed answers, asking for JSON-schema answers, with token counts', async () => {
    server = await startFakeLlmServer();
    for (const stream of [false, true]) {
      const generator = generatorFor(server, { stream });
      await generator.load(() => {});
      let usage = 0;
      const raw = await collect(generator.chat(messages(4), OPTS, undefined, (u) => (usage = u.completionTokens)));
      expect(parseGeneratedTexts(raw).texts).toHaveLength(4);
      expect(usage).toBeGreaterThan(0);
      expect(generator.constrained).toBe(true);
    }
    expect(server.stats).toMatchObject({ chats: 2, withSchema: 2, streamed: 1 });
  });

  it('asks without response_format once a server refuses it, and parses the free answer', async () => {
    server = await startFakeLlmServer({ schema: false });
    const generator = generatorFor(server);
    const first = await collect(generator.chat(messages(3), OPTS));
    expect(parseGeneratedTexts(first).texts).toHaveLength(3);
    expect(generator.constrained).toBe(false);
    await collect(generator.chat(messages(3), OPTS));
    // One refused request, then two answered without the schema.
    expect(server.stats.chats).toBe(3);
    expect(server.stats.withSchema).toBe(0);
  });

  it('waits out rate limits, and retries server errors and dropped connections', async () => {
    server = await startFakeLlmServer({ retryAfter: 0.2 });
    server.faults.push('429', '500', 'drop');
    const generator = generatorFor(server);
    const started = Date.now();
    const raw = await collect(generator.chat(messages(2), OPTS));
    expect(parseGeneratedTexts(raw).texts).toHaveLength(2);
    expect(server.stats.faults).toBe(3);
    // retry-after: 0.2 s was honoured.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('says when the server is not there, when it lacks the model, and when it keeps failing', async () => {
    server = await startFakeLlmServer();
    const missingModel = generatorFor(server, { model: 'llama-70b' });
    await expect(missingModel.load(() => {})).rejects.toThrow(/has no model “llama-70b”. It has: fake-llm/);

    const failing = generatorFor(server, { maxRetries: 1 });
    server.faults.push('500', '500');
    const error = await collect(failing.chat(messages(2), OPTS)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('server-refused');
    expect((error as AppError).message).toContain('(500)');

    // A server slower than the client waits: said in words, not as a hang.
    server.options.delayMs = 400;
    const slow = generatorFor(server, { timeoutMs: 100, maxRetries: 0 });
    const late = await collect(slow.chat(messages(2), OPTS)).catch((e: unknown) => e);
    expect((late as AppError).code).toBe('server-unreachable');
    expect((late as AppError).message).toContain('took too long to answer');
    server.options.delayMs = 0;

    const endpoint = server.endpoint;
    await server.close();
    server = undefined;
    const gone = new OpenAiGenerator({ endpoint, model: 'fake-llm', client: OpenAI, maxRetries: 0 });
    const down = await gone.load(() => {}).catch((e: unknown) => e);
    expect((down as AppError).code).toBe('server-unreachable');
    expect((down as AppError).message).toContain(`No answer from ${endpoint}`);
  });
});

describe('runParallelGeneration', () => {
  /** A run of `perCell` samples a cell on the test server; options as given. */
  const run = (s: FakeServer, perCell: number, options: Partial<ParallelOptions> = {}) =>
    runParallelGeneration({
      task: TASK,
      seeds: [],
      config: {
        ...DEFAULT_GENERATION,
        perCell,
        filters: { ...DEFAULT_GENERATION.filters, language: false },
        generator: { kind: 'openai', endpoint: s.endpoint, model: 'fake-llm' },
      },
      generator: generatorFor(s),
      concurrency: 4,
      runId: 'run',
      written: [],
      firstCall: 0,
      write: () => {},
      ...options,
    });

  it('fills every quota exactly with many requests in flight, through faults, with provenance', async () => {
    server = await startFakeLlmServer({ delayMs: 20 });
    server.faults.push('429', '500', 'drop', 'not-json');
    const out: Sample[] = [];
    const result = await run(server, 12, {
      concurrency: 8,
      runId: 'run-1',
      write: (samples) => void out.push(...samples),
    });
    expect(result.done).toBe(72);
    expect(result.stuck).toEqual([]);
    expect(out).toHaveLength(72);
    const perCell = new Map<string, number>();
    for (const s of out) perCell.set(cellKey(s), (perCell.get(cellKey(s)) ?? 0) + 1);
    expect([...perCell.values()]).toEqual([12, 12, 12, 12, 12, 12]);
    expect(new Set(out.map((s) => s.text)).size).toBe(72);
    expect(server.stats.maxInFlight).toBeGreaterThan(1);
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(8);
    expect(out[0]).toMatchObject({ source: 'synthetic', split: 'train', jobId: 'run-1', deletedAt: null });
    expect(out[0]?.meta).toMatchObject({
      generator: 'fake-llm',
      template: expect.any(String),
      seed: expect.any(String),
    });
    // Every call used its own seed.
    expect(new Set(out.map((s) => s.meta?.seed)).size).toBeGreaterThan(10);
  });

  it('continues from what was written, to the same quotas', async () => {
    server = await startFakeLlmServer();
    const first: Sample[] = [];
    const controller = new AbortController();
    await run(server, 10, {
      write: (samples) => {
        first.push(...samples);
        if (first.length >= 20) controller.abort();
      },
      signal: controller.signal,
    });
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(first.length).toBeLessThan(60);
    const second: Sample[] = [];
    const result = await run(server, 10, {
      written: first,
      firstCall: 100,
      write: (samples) => void second.push(...samples),
    });
    expect(result.done).toBe(60);
    expect(first.length + second.length).toBe(60);
    expect(new Set([...first, ...second].map((s) => s.text)).size).toBe(60);
  });

  it('stops with the server’s error after calls in a row fail, keeping what was written', async () => {
    server = await startFakeLlmServer();
    server.faults.push(...Array.from({ length: 40 }, () => '500' as const));
    const error = await run(server, 5, {
      generator: generatorFor(server, { maxRetries: 0 }),
      concurrency: 2,
      maxFailuresInARow: 3,
    }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('server-refused');
  });
});
