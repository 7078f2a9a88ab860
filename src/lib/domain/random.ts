/**
 * @file Seeded pseudo-random numbers, so splits, training and fixtures are reproducible.
 */

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny, fast 32-bit generator; good enough for shuffles and weight init.
 * @param seed any integer; the same seed gives the same sequence on every platform
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills a Float32Array with uniform values in [-scale, scale).
 * @param rng seeded generator
 * @param length number of values
 * @param scale half-width of the interval
 */
export function uniformArray(rng: Rng, length: number, scale: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (rng() * 2 - 1) * scale;
  return out;
}
