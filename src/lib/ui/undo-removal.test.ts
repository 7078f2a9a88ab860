import { afterEach, describe, expect, it, vi } from 'vitest';
import { UndoableRemoval } from './undo-removal.svelte';

afterEach(() => {
  vi.useRealTimers();
});

/** A store of records with the removal's two callbacks. */
function store() {
  const records = new Map([['a', { id: 'a', name: 'n-gram' }]]);
  const removal = new UndoableRemoval<{ id: string; name: string }>(
    async (id) => void records.delete(id),
    async (r) => void records.set(r.id, r),
    (error) => error,
    1000,
  );
  return { records, removal };
}

describe('UndoableRemoval', () => {
  it('removes at once and puts the same record back on Undo', async () => {
    const { records, removal } = store();
    const record = records.get('a');
    if (!record) throw new Error('no record');
    await removal.delete(record);
    expect(records.size).toBe(0);
    expect(removal.removed).toBe(record);
    await removal.undo();
    expect(records.get('a')).toBe(record);
    expect(removal.removed).toBeNull();
  });

  it('stops offering Undo after its time', async () => {
    vi.useFakeTimers();
    const { records, removal } = store();
    const record = records.get('a');
    if (!record) throw new Error('no record');
    await removal.delete(record);
    vi.advanceTimersByTime(999);
    expect(removal.removed).toBe(record);
    vi.advanceTimersByTime(1);
    expect(removal.removed).toBeNull();
    await removal.undo();
    expect(records.size).toBe(0);
  });

  it('says why when the record cannot be stored again, and keeps the offer', async () => {
    const removal = new UndoableRemoval<{ id: string }>(
      async () => undefined,
      async () => {
        throw new Error('The disk is full.');
      },
      (error) => `Could not bring it back: ${error}`,
    );
    await removal.delete({ id: 'a' });
    await removal.undo();
    expect(removal.error).toBe('Could not bring it back: The disk is full.');
    expect(removal.removed).toEqual({ id: 'a' });
    removal.dispose();
  });
});
