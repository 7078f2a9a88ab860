/**
 * @file A small OpenAI-compatible chat server on a loopback address, for tests and benchmarks of
 * the OpenAI-compatible generator, the CLI's `generate` and the app's local-server generator. It
 * answers generation prompts with made-up, all-different texts (as many as asked), streamed or
 * not, honours or refuses `response_format`, and misbehaves on request: 429 with `retry-after`,
 * 500, a dropped connection, slow answers. CORS is open (as llama.cpp's server), or closed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = '429' | '500' | 'drop' | 'not-json';

export interface FakeServerOptions {
  /** The model the server has (and lists at /v1/models). */
  model?: string;
  /** Milliseconds before each chat answer. */
  delayMs?: number;
  /** Whether `response_format` is accepted (else: 400, as servers without it answer). */
  schema?: boolean;
  /** Whether browsers may call it from other origins. */
  cors?: boolean;
  /** Seconds a 429 asks the client to wait. */
  retryAfter?: number;
  /** Writes the texts instead of made-up words (e.g. English for every language). */
  texts?: ((count: number, answer: number) => string[]) | null;
}

export interface FakeServer {
  /** The API's base address, `http://127.0.0.1:<port>/v1`. */
  endpoint: string;
  origin: string;
  options: Required<FakeServerOptions>;
  /** Faults for the next chat requests, in order. */
  faults: Fault[];
  stats: { chats: number; maxInFlight: number; withSchema: number; streamed: number; faults: number };
  close(): Promise<void>;
}

const SYLLABLES = ['ka', 'mi', 'to', 'ru', 'se', 'no', 'pa', 'vu', 'ze', 'lo', 'bi', 'fe', 'gu', 'ha', 'jo', 'wu'];

/** A made-up word from a number: every text differs in most of its words. */
function word(n: number): string {
  let out = '';
  let x = n;
  for (let i = 0; i < 3; i++) {
    out += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length) + 7 * (i + 1);
  }
  return out;
}

/** A stream of numbers that does not repeat for a long while (a linear congruential generator). */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

export async function startFakeLlmServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const opts: Required<FakeServerOptions> = {
    model: 'fake-llm',
    delayMs: 0,
    schema: true,
    cors: true,
    retryAfter: 0.05,
    texts: null,
    ...options,
  };
  const faults: Fault[] = [];
  const stats = { chats: 0, maxInFlight: 0, withSchema: 0, streamed: 0, faults: 0 };
  let inFlight = 0;
  let served = 0;

  const cors = (res: ServerResponse) => {
    if (!opts.cors) return;
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    cors(res);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const chat = async (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.parse(await readBody(req)) as {
      messages: { role: string; content: string }[];
      stream?: boolean;
      response_format?: unknown;
      seed?: number;
    };
    stats.chats++;
    const fault = faults.shift();
    if (fault) stats.faults++;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === '429')
      return json(res, 429, { error: { message: 'Too many requests' } }, { 'retry-after': String(opts.retryAfter) });
    if (fault === '500') return json(res, 500, { error: { message: 'The server had an error' } });
    if (body.response_format) {
      if (!opts.schema) return json(res, 400, { error: { message: 'response_format is not supported' } });
      stats.withSchema++;
    }
    const prompt = body.messages.map((m) => m.content).join('\n');
    // A classification prompt (domain/llm-classify.ts): one of its classes, by the text.
    const classes = /Give each text exactly one of these classes:\n((?:- .+\n?)+)/.exec(prompt)?.[1];
    const classifying = classes
      ? JSON.stringify({
          label:
            classes
              .trim()
              .split('\n')
              .map((l) => l.slice(2).split(':')[0]?.trim() ?? '')[
              (body.messages[body.messages.length - 1]?.content.length ?? 0) % classes.trim().split('\n').length
            ] ?? '',
        })
      : null;
    const count = Number(/Write (\d+) new, different texts/.exec(prompt)?.[1] ?? 3);
    const next = numbers(1 + served++ * 7919 + (body.seed ?? 0));
    const texts =
      opts.texts?.(count, served) ??
      Array.from({ length: count }, () =>
        Array.from({ length: 8 + (next() % 6) }, () => word(next() % 100_000)).join(' '),
      );
    const content =
      fault === 'not-json' ? 'Sorry, I cannot help with that.' : (classifying ?? JSON.stringify({ texts }));
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    try {
      if (opts.delayMs > 0) await new Promise((r) => setTimeout(r, opts.delayMs));
    } finally {
      inFlight--;
    }
    const usage = { prompt_tokens: prompt.length >> 2, completion_tokens: content.length >> 2, total_tokens: 0 };
    const base = { id: `chat-${served}`, created: Math.floor(Date.now() / 1000), model: opts.model };
    if (!body.stream) {
      return json(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage,
      });
    }
    stats.streamed++;
    cors(res);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    for (let i = 0; i < content.length; i += 24)
      send({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: content.slice(i, i + 24) }, finish_reason: null }],
      });
    send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    res.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'OPTIONS') {
      cors(res);
      res.writeHead(opts.cors ? 204 : 405);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/v1/models')
      return json(res, 200, { object: 'list', data: [{ id: opts.model, object: 'model', owned_by: 'test' }] });
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      chat(req, res).catch((error: unknown) => json(res, 500, { error: { message: (error as Error).message } }));
      return;
    }
    json(res, 404, { error: { message: `No route ${req.method} ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    endpoint: `${origin}/v1`,
    origin,
    options: opts,
    faults,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
