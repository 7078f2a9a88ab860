import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { AppError } from '../domain/errors';
import { RpcClient, serve, type ClientEndpoint, type Handlers } from './rpc';

type Requests = {
  double: { req: { values: number[] }; res: Float32Array; progress: { done: number } };
  wait: { req: null; res: 'finished'; progress: never };
  fail: { req: null; res: null; progress: never };
};

const handlers: Handlers<Requests> = {
  async double({ values }, ctx) {
    const out = new Float32Array(values.length);
    values.forEach((v, i) => {
      out[i] = v * 2;
      ctx.progress({ done: i + 1 });
    });
    ctx.transfer(out.buffer);
    return out;
  },
  wait: (_req, ctx) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('finished'), 5_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new AppError('aborted', 'Cancelled.'));
      });
    }),
  async fail() {
    throw new AppError('model-file-missing', 'The model x is missing the file tokenizer.json.', {
      file: 'tokenizer.json',
    });
  },
};

const channels: MessageChannel[] = [];

/** A client and a server joined by a real MessageChannel; `crash()` fires the worker's error event. */
function connect() {
  const channel = new MessageChannel();
  channels.push(channel);
  serve<Requests>(channel.port2 as unknown as Parameters<typeof serve>[0], handlers);
  channel.port2.start();
  const errors = new EventTarget();
  const endpoint: ClientEndpoint = {
    postMessage: (m, t) => channel.port1.postMessage(m, t),
    addEventListener: (type: string, listener: (e: never) => void) =>
      type === 'message'
        ? channel.port1.addEventListener('message', listener as never)
        : errors.addEventListener(type, listener as never),
  };
  const client = new RpcClient<Requests>(endpoint, 'worker.data');
  channel.port1.start();
  return { client, crash: () => errors.dispatchEvent(new Event('error')) };
}

afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('RpcClient and serve', () => {
  it('answers a typed call and reports progress on the way', async () => {
    const { client } = connect();
    const progress: number[] = [];
    const result = await client.call('double', { values: [1, 2, 3] }, { onProgress: (p) => progress.push(p.done) });
    expect(Array.from(result)).toEqual([2, 4, 6]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('keeps concurrent calls apart', async () => {
    const { client } = connect();
    const [a, b] = await Promise.all([
      client.call('double', { values: [1] }),
      client.call('double', { values: [5, 6] }),
    ]);
    expect(Array.from(a)).toEqual([2]);
    expect(Array.from(b)).toEqual([10, 12]);
  });

  it('rebuilds typed errors from the worker', async () => {
    const { client } = connect();
    await expect(client.call('fail', null)).rejects.toMatchObject({
      name: 'AppError',
      code: 'model-file-missing',
      details: { file: 'tokenizer.json' },
    });
  });

  it('cancels a running call through its signal', async () => {
    const { client } = connect();
    const controller = new AbortController();
    const pending = client.call('wait', null, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('fails pending and later calls with a clear message when the worker dies', async () => {
    const { client, crash } = connect();
    const pending = client.call('wait', null);
    crash();
    await expect(pending).rejects.toMatchObject({
      code: 'worker-crashed',
      message: expect.stringContaining('The data worker stopped unexpectedly'),
    });
    expect(client.crashed).toBe(true);
    await expect(client.call('double', { values: [1] })).rejects.toMatchObject({ code: 'worker-crashed' });
  });
});

describe('RpcClient types', () => {
  it('types each call by its request map entry', () => {
    const { client } = connect();
    expectTypeOf(client.call<'double'>)
      .parameter(1)
      .toEqualTypeOf<{ values: number[] }>();
    expectTypeOf(client.call<'double'>).returns.resolves.toEqualTypeOf<Float32Array>();
    expectTypeOf(client.call<'wait'>).returns.resolves.toEqualTypeOf<'finished'>();
    // @ts-expect-error: unknown request kinds do not compile
    void client.call('nope', null).catch(() => undefined);
  });
});
