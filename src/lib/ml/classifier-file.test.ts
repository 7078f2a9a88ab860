import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './classifier-file';

/** `btoa` over the bytes as character codes: the encoding the files have always had. */
const reference = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('toBase64', () => {
  it('writes what btoa writes, for every length and byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(toBase64(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(toBase64(new Uint8Array([]))).toBe('');
    expect(toBase64(new Uint8Array([255, 254, 253, 0]))).toBe('//79AA==');
  });

  it('encodes a view of a larger buffer, not the whole buffer', () => {
    const all = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
    const view = all.subarray(5, 16);
    expect(toBase64(view)).toBe(reference(view));
  });
});
