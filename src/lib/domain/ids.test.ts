import { describe, expect, it } from 'vitest';
import { orderedId } from './ids';

describe('orderedId', () => {
  it('sorts by time, then by position in the write', () => {
    const ids = [orderedId(2000, 0), orderedId(1000, 11), orderedId(1000, 2), orderedId(1000, 10)];
    expect([...ids].sort()).toEqual([ids[2], ids[3], ids[1], ids[0]]);
  });

  it('is unique for the same time and position', () => {
    expect(orderedId(1, 1)).not.toBe(orderedId(1, 1));
  });
});
