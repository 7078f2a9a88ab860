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
 * The features of the first n-gram student (classifier files of version 1), kept for reading
 * those files and for text similarity (in-context example choice, the guide's pictures):
 * character 4- to 6-grams within `<word>` marks and word uni- and bigrams in 2^18 buckets,
 * log-scaled counts, one L2 norm.
 */
export const SIMILARITY_NGRAM: NgramConfig = { buckets: 1 << 18, minChar: 4, maxChar: 6, wordBigrams: true };

/**
 * The student's features: TF-IDF of character 1- to 5-grams within word boundaries beside word
 * uni- and bigrams, as scikit-learn's `char_wb` and `word` analyzers make them, each part
 * L2-normalized apart. Hashed into 2^24 buckets (the lower half for character n-grams, the upper
 * for words); training keeps only the buckets it meets, so the file stays small and collisions
 * are rare. Chosen on development data only (`scripts/tune-ngram.ts`, docs/decisions/012).
 */
export const DEFAULT_NGRAM: NgramConfig = {
  buckets: 1 << 24,
  minChar: 1,
  maxChar: 5,
  wordBigrams: true,
  weighting: 'tfidf',
};

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
export function countNgrams(text: string, config: NgramConfig = SIMILARITY_NGRAM): Map<number, number> {
  if (config.weighting === 'tfidf') return countTerms(text, config);
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

/**
 * How often each hashed term occurs in a text, for the TF-IDF student: character n-grams of each
 * word padded with a space on both sides (scikit-learn's `char_wb`, counted in code points, the
 * lone padding space left out) in the lower half of the buckets, words and word bigrams in the
 * upper half. In the order first met.
 * @param text input
 * @param config n-gram ranges and buckets (`weighting: 'tfidf'`)
 */
function countTerms(text: string, config: NgramConfig): Map<number, number> {
  const counts = new Map<number, number>();
  const half = config.buckets >>> 1;
  const mask = half - 1;
  const add = (h: number) => counts.set(h, (counts.get(h) ?? 0) + 1);
  const ws = words(text);
  // Code units of ` word `, and where each code point starts (n-grams are counted in code points).
  let units = new Uint16Array(64);
  let starts = new Uint32Array(65);
  ws.forEach((w, i) => {
    add((fnv1a(w, 1) & mask) | half);
    if (config.wordBigrams && i > 0) add((fnv1a(`${ws[i - 1]} ${w}`, 2) & mask) | half);
    // ` word ` takes w.length + 2 units and at most as many code points, each with its start,
    // plus the end.
    if (starts.length < w.length + 3) {
      units = new Uint16Array(w.length * 2 + 2);
      starts = new Uint32Array(w.length * 2 + 3);
    }
    let u = 0;
    let points = 0;
    units[u++] = 32;
    starts[points++] = 0;
    for (let c = 0; c < w.length; c++) {
      const code = w.charCodeAt(c);
      // The low half of a surrogate pair continues the code point before it.
      if (code < 0xdc00 || code > 0xdfff || c === 0) starts[points++] = u;
      units[u++] = code;
    }
    starts[points++] = u;
    units[u++] = 32;
    starts[points] = u;
    // FNV-1a of each n-gram, grown one code point at a time from each start.
    for (let s = 0; s < points; s++) {
      let h = 0x811c9dc5 ^ 3;
      for (let n = 1; n <= config.maxChar && s + n <= points; n++) {
        for (let at = starts[s + n - 1] as number; at < (starts[s + n] as number); at++) {
          h ^= units[at] as number;
          h = Math.imul(h, 0x01000193);
        }
        if (n < config.minChar || (n === 1 && (s === 0 || s === points - 1))) continue;
        add((h >>> 0) & mask);
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
 * Featurizes a text as version 1 did: counts of hashed n-grams, log-scaled and L2-normalized.
 * @param text input
 * @param config n-gram ranges and buckets
 */
export function featurize(text: string, config: NgramConfig = SIMILARITY_NGRAM): SparseVector {
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
