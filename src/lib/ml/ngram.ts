/**
 * @file Hashed character and word n-gram features (fastText-style subwords): no vocabulary,
 * no download, any script. Character n-grams of each word with boundary marks capture
 * morphology, which matters most for low-resource, morphologically rich languages.
 */
import type { NgramConfig } from '../domain/student';

export interface SparseVector {
  idx: Uint32Array;
  val: Float32Array;
}

/**
 * 2^18 buckets keeps collisions rare for a few thousand texts while the weights stay a few MB.
 * Character 4- to 6-grams were chosen on development data only (SIB-200 dev splits and a 20%
 * hold-out of the seed paper's synthetic training files): they beat 2–5 (fastText's setting) by
 * 0.014 mean dev macro-F1 on SIB-200 and 0.007 on the paper's files. `scripts/tune-ngram.ts`
 * reruns the comparison.
 */
export const DEFAULT_NGRAM: NgramConfig = { buckets: 1 << 18, minChar: 4, maxChar: 6, wordBigrams: true };

/** FNV-1a, 32 bits. */
function fnv1a(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Words of a text: lower-cased, NFC, split on anything that is not a letter, mark or digit. */
export function words(text: string): string[] {
  return text
    .normalize('NFC')
    .toLocaleLowerCase('und')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * How often each hashed n-gram occurs in a text, in the order first met (the order matters:
 * sums over features are taken in it).
 * @param text input
 * @param config n-gram ranges and buckets
 */
export function countNgrams(text: string, config: NgramConfig = DEFAULT_NGRAM): Map<number, number> {
  const counts = new Map<number, number>();
  const mask = config.buckets - 1;
  const add = (feature: string, seed: number) => {
    const h = fnv1a(feature, seed) & mask;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  };
  const ws = words(text);
  ws.forEach((w, i) => {
    add(w, 1);
    if (config.wordBigrams && i > 0) add(`${ws[i - 1]} ${w}`, 2);
    const marked = `<${w}>`;
    const chars = [...marked];
    for (let n = config.minChar; n <= config.maxChar; n++) {
      for (let s = 0; s + n <= chars.length; s++) {
        if (n === chars.length) continue; // the whole marked word is already a feature
        add(chars.slice(s, s + n).join(''), 3);
      }
    }
  });
  return counts;
}

/** The L2 norm of a text's log-scaled counts (1 when it has none), as {@link featurize} divides by. */
export function countsNorm(counts: Iterable<number>): number {
  let norm = 0;
  for (const c of counts) {
    const v = 1 + Math.log(c);
    norm += v * v;
  }
  return Math.sqrt(norm) || 1;
}

/**
 * Featurizes a text: counts of hashed n-grams, log-scaled and L2-normalized.
 * @param text input
 * @param config n-gram ranges and buckets
 */
export function featurize(text: string, config: NgramConfig = DEFAULT_NGRAM): SparseVector {
  const counts = countNgrams(text, config);
  const idx = new Uint32Array(counts.size);
  const val = new Float32Array(counts.size);
  const norm = countsNorm(counts.values());
  let k = 0;
  for (const [h, c] of counts) {
    idx[k] = h;
    val[k] = 1 + Math.log(c);
    k++;
  }
  for (let i = 0; i < val.length; i++) val[i] = (val[i] as number) / norm;
  return { idx, val };
}

/**
 * A text's n-gram features folded into a small dense vector (bucket mod `dim`), L2-normalized:
 * a no-download stand-in for an embedding where only similarity and a linear head are needed.
 */
export function foldedNgrams(text: string, dim = 1024): Float32Array {
  const sparse = featurize(text);
  const out = new Float32Array(dim);
  sparse.idx.forEach((h, k) => (out[h % dim] = (out[h % dim] as number) + (sparse.val[k] as number)));
  let norm = 0;
  for (const v of out) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < dim; d++) out[d] = (out[d] as number) / norm;
  return out;
}
