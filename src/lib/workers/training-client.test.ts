import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RpcMessage } from './rpc';

/** A stand-in for the training worker: records its name, the calls it got, and whether it was stopped. */
class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  readonly calls: number[] = [];
  terminated = false;
  constructor(
    readonly url: string,
    readonly options: { name: string },
  ) {
    super();
    FakeWorker.made.push(this);
  }
  postMessage(msg: { type: string; id: number }) {
    if (msg.type === RpcMessage.call) this.calls.push(msg.id);
  }
  /** Answers the oldest open call. */
  answer() {
    const id = this.calls.shift();
    this.dispatchEvent(new MessageEvent('message', { data: { type: RpcMessage.result, id, payload: null } }));
  }
  terminate() {
    this.terminated = true;
  }
}

const names = () => FakeWorker.made.map((w) => w.options.name);

describe('trainingWorker', () => {
  beforeEach(() => {
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
    vi.resetModules();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts on the cpu build and keeps one worker for processor work', async () => {
    const { trainingWorker } = await import('./training-client');
    const a = trainingWorker('wasm');
    expect(trainingWorker()).toBe(a);
    expect(names()).toEqual(['polyclass-training']);
  });

  it('moves to a gpu worker when WebGPU is asked for, and stays there', async () => {
    const { trainingWorker } = await import('./training-client');
    const cpu = trainingWorker('wasm');
    const gpu = trainingWorker('webgpu');
    expect(gpu).not.toBe(cpu);
    expect(names()).toEqual(['polyclass-training', 'polyclass-training-gpu']);
    // The idle cpu worker is stopped at once; processor work now goes to the gpu worker, which runs it too.
    expect(FakeWorker.made[0]?.terminated).toBe(true);
    expect(trainingWorker('wasm')).toBe(gpu);
    expect(FakeWorker.made).toHaveLength(2);
  });

  it('lets a busy cpu worker finish its call before stopping it', async () => {
    const { trainingWorker } = await import('./training-client');
    const pending = trainingWorker('wasm').call('proposeToLabel', { taskId: 't', count: 1 });
    trainingWorker('webgpu');
    const [cpu] = FakeWorker.made;
    expect(cpu?.terminated).toBe(false);
    cpu?.answer();
    await expect(pending).resolves.toBeNull();
    trainingWorker('webgpu');
    expect(cpu?.terminated).toBe(true);
  });

  it('moves to a worker started for a server on this computer, and keeps it for work that needs none', async () => {
    const { trainingWorker } = await import('./training-client');
    const plain = trainingWorker('wasm');
    const server = 'http://localhost:11434';
    const reaching = trainingWorker('wasm', server);
    expect(reaching).not.toBe(plain);
    // Its script's address names the server (the policy it runs under then lets it reach that origin only).
    expect(new URL(FakeWorker.made[1]?.url ?? '', 'http://x').searchParams.get('server')).toBe(server);
    expect(new URL(FakeWorker.made[0]?.url ?? '', 'http://x').searchParams.has('server')).toBe(false);
    expect(FakeWorker.made[0]?.terminated).toBe(true);
    // Work that talks to no server stays there; another server needs another worker.
    expect(trainingWorker('wasm')).toBe(reaching);
    expect(trainingWorker('wasm', server)).toBe(reaching);
    const other = trainingWorker('wasm', 'http://127.0.0.1:8080');
    expect(other).not.toBe(reaching);
    expect(FakeWorker.made).toHaveLength(3);
    // WebGPU and a server at once: one worker on the gpu build that reaches the server.
    trainingWorker('webgpu', server);
    expect(names().at(-1)).toBe('polyclass-training-gpu');
    expect(new URL(FakeWorker.made.at(-1)?.url ?? '', 'http://x').searchParams.get('server')).toBe(server);
  });
});
