import { describe, expect, it } from 'vitest';
import { cosine, PROBE_TEXTS, probeSeparation } from './probe-texts';

describe('cosine', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite, 0 for a zero vector', () => {
    const a = Float32Array.from([1, 2, 3]);
    expect(cosine(a, Float32Array.from([2, 4, 6]))).toBeCloseTo(1, 6);
    expect(cosine(Float32Array.from([1, 0]), Float32Array.from([0, 1]))).toBe(0);
    expect(cosine(a, Float32Array.from([-1, -2, -3]))).toBeCloseTo(-1, 6);
    expect(cosine(a, new Float32Array(3))).toBe(0);
  });
});

describe('probe texts', () => {
  it('start with the English reference and include exactly one unrelated sentence', () => {
    expect(PROBE_TEXTS[0]?.lang).toBe('en');
    expect(PROBE_TEXTS.filter((p) => p.unrelated)).toHaveLength(1);
  });
});

describe('probeSeparation', () => {
  it('compares translations (excluding the reference itself) with the unrelated sentence', () => {
    const sims = [
      { unrelated: false, similarity: 1 },
      { unrelated: false, similarity: 0.8 },
      { unrelated: false, similarity: 0.6 },
      { unrelated: true, similarity: 0.3 },
    ];
    expect(probeSeparation(sims)).toBeCloseTo(0.4, 10);
    expect(probeSeparation(sims.slice(0, 3))).toBe(0);
  });
});
