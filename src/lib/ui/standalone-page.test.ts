/**
 * @file The Train view's standalone page export: what it said last is forgotten when the view
 * follows another task, unless a build is still running (its progress is still true).
 */
import { describe, expect, it, vi } from 'vitest';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';

/** Resolves the data worker's pending build. */
let finish: (() => void) | null = null;

vi.mock('../workers/data-client', () => ({
  dataWorker: () => ({
    call: () =>
      new Promise((resolve) => {
        finish = () => resolve({ blob: new Blob(['zip']), fileName: 'demo-page.zip' });
      }),
  }),
}));
vi.mock('./download', () => ({ download: vi.fn() }));

const { StandaloneExport } = await import('./standalone-page.svelte');

describe('standalone page export', () => {
  it('keeps a running build on another task, and forgets a finished one', async () => {
    const record = classifierRecordFor('task-1', ['a', 'b']);
    const pageExport = new StandaloneExport();
    const running = pageExport.run({ name: 'Demo' }, record, null);
    expect(pageExport.busy).toBe(true);
    pageExport.forget();
    expect(pageExport.busy).toBe(true);
    expect(pageExport.message?.text).toContain('0 of 1 files');
    finish?.();
    await running;
    expect(pageExport.message?.text).toContain('demo-page.zip');
    pageExport.forget();
    expect(pageExport.message).toBeNull();
  });
});
