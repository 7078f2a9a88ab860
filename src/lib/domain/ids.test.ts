import { describe, expect, it } from 'vitest';
import { firstSeq, orderedId } from './ids';

describe('orderedId', () => {
  it('sorts by time, then by position in the write', () => {
    const ids = [orderedId(2000, 0), orderedId(1000, 11), orderedId(1000, 2), orderedId(1000, 10)];
    expect([...ids].sort()).toEqual([ids[2], ids[3], ids[1], ids[0]]);
  });

  it('is unique for the same time and position', () => {
    expect(orderedId(1, 1)).not.toBe(orderedId(1, 1));
  });

  it('keeps two writes in the same millisecond in the order they were made', () => {
    const a = firstSeq(5000, 3);
    const b = firstSeq(5000, 2);
    expect(b).toBe(a + 3);
    const ids = [...[0, 1, 2].map((i) => orderedId(5000, a + i)), ...[0, 1].map((i) => orderedId(5000, b + i))];
    expect([...ids].sort()).toEqual(ids);
    // A new millisecond starts again at 0.
    expect(firstSeq(5001, 1)).toBe(0);
  });
});
