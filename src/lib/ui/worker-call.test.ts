import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors';
import { WorkerCall } from './worker-call.svelte';

/** Work that ends when its signal aborts (as a worker call does), or when `finish` is called. */
function pending<T>() {
  let finish!: (value: T) => void;
  const work = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => reject(new AppError('aborted', 'Stopped after 3 of 10.')));
    });
  return { work, finish: (value: T) => finish(value) };
}

describe('WorkerCall', () => {
  it('runs, then says it is done with the result', async () => {
    const call = new WorkerCall();
    const { work, finish } = pending<number>();
    const result = call.run(work);
    expect(call.running).toBe(true);
    expect(call.outcome).toBeNull();
    finish(42);
    expect(await result).toBe(42);
    expect(call).toMatchObject({ running: false, outcome: 'done', error: null });
  });

  it('turns a failure into its sentence', async () => {
    const call = new WorkerCall({ cancelled: () => 'never said' });
    const result = await call.run(() => Promise.reject(new AppError('model-invalid', 'The model is broken.')));
    expect(result).toBeUndefined();
    expect(call).toMatchObject({ running: false, outcome: 'failed', error: 'The model is broken.' });
  });

  it('says a cancel in the caller’s words, given the cancel’s own message', async () => {
    const call = new WorkerCall({ cancelled: (e) => `Cancelled (${e.message})` });
    const { work } = pending<number>();
    const result = call.run(work);
    call.cancel();
    expect(call.cancelling).toBe(true);
    expect(await result).toBeUndefined();
    expect(call).toMatchObject({
      running: false,
      cancelling: false,
      outcome: 'cancelled',
      error: 'Cancelled (Stopped after 3 of 10.)',
    });
    const second = pending<number>();
    const again = call.run(second.work, () => null);
    call.cancel();
    await again;
    expect(call).toMatchObject({ outcome: 'cancelled', error: null });
  });

  it('cancels a call still running when another starts; the first one’s end changes nothing', async () => {
    const call = new WorkerCall({ cancelled: () => 'stopped' });
    const first = pending<string>();
    const one = call.run(first.work);
    const second = pending<string>();
    const two = call.run(second.work);
    expect(await one).toBeUndefined();
    expect(call).toMatchObject({ running: true, outcome: null, error: null });
    second.finish('b');
    expect(await two).toBe('b');
    expect(call).toMatchObject({ running: false, outcome: 'done', error: null });
  });

  it('cancels the caller’s way, telling it whether the call still runs', async () => {
    const seen: boolean[] = [];
    let still: () => boolean = () => true;
    const call = new WorkerCall({
      cancel: (controller, stillRunning) => {
        still = stillRunning;
        seen.push(stillRunning());
        controller.abort();
      },
    });
    const { work } = pending<number>();
    const result = call.run(work);
    call.cancel();
    call.cancel(); // asked twice: the second changes nothing
    await result;
    seen.push(still());
    expect(seen).toEqual([true, false]);
    call.reset();
    expect(call).toMatchObject({ outcome: null, error: null });
  });

  it('says the failure, the cancel or what was done, in the line under the action', async () => {
    const call = new WorkerCall({ cancelled: () => 'Stopped.' });
    expect(call.message(null)).toBeNull();
    await call.run(() => Promise.reject(new AppError('model-network', 'It broke.')));
    // The failure keeps its code: the view offers the fix for it.
    expect(call.message('Saved x.csv.')).toEqual({ text: 'It broke.', error: true, code: 'model-network' });
    const { work } = pending<number>();
    const stopped = call.run(work);
    call.cancel();
    await stopped;
    expect(call.message('Saved x.csv.')).toEqual({ text: 'Stopped.', error: false, code: null });
    await call.run(() => Promise.resolve(1));
    expect(call.message('Saved x.csv.')).toEqual({ text: 'Saved x.csv.', error: false, code: null });
  });
});
