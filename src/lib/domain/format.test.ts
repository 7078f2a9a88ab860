import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 kB'],
    [118_000_000, '118 MB'],
    [2_147_483_648, '2.1 GB'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it('uses ms below a second and s above', () => {
    expect(formatDuration(849.6)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('–');
  });
});
