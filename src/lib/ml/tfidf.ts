/**
 * @file The n-gram student's features: TF-IDF (sublinear term frequency `1 + ln count`, smoothed
 * inverse document frequency `ln((1 + n) / (1 + df)) + 1`, as scikit-learn's `TfidfVectorizer`
 * computes them) over the buckets seen in training, character and word parts L2-normalized
 * apart. The training rows become a matrix of blocks whose entries keep a column and its value
 * in turn, read block by block (from the CLI's temporary file when they do not fit in memory).
 */
import type { NgramConfig } from '../domain/student';
import { countNgrams } from './ngram';
import { unpackCounts, type BlockSpill, type NgramFeatureStore, type PackedBlock } from './ngram-store';

/** The buckets a model knows (ascending: character n-grams, then words) and their weights. */
export interface Vocabulary {
  features: Uint32Array;
  idf: Float32Array;
}

/**
 * The buckets to keep: every bucket seen, or when there are more than `maxFeatures`, the most
 * frequent ones (ties to the smaller bucket), and each one's inverse document frequency.
 * @param df rows per bucket
 * @param rows rows in all
 * @param maxFeatures most buckets kept
 */
export function chooseVocabulary(df: Iterable<[number, number]>, rows: number, maxFeatures: number): Vocabulary {
  let seen: [number, number][] = [...df];
  if (seen.length > maxFeatures) seen = seen.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxFeatures);
  seen.sort((a, b) => a[0] - b[0]);
  const features = Uint32Array.from(seen, (e) => e[0]);
  const idf = Float32Array.from(seen, (e) => Math.log((1 + rows) / (1 + e[1])) + 1);
  return { features, idf };
}

/** The column of each known bucket. */
export function columnsOf(vocabulary: Pick<Vocabulary, 'features'>): Map<number, number> {
  const out = new Map<number, number>();
  vocabulary.features.forEach((h, j) => out.set(h, j));
  return out;
}

let partOf = new Uint8Array(1024);
/** `1 + ln c` for small counts. */
const LOG_COUNT = Float64Array.from({ length: 256 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));

/** Each known bucket's column in an array over every bucket (-1 for the others). */
function denseColumnsOf(vocabulary: Pick<Vocabulary, 'features'>, buckets: number): Int32Array {
  const out = new Int32Array(buckets).fill(-1);
  vocabulary.features.forEach((h, j) => (out[h] = j));
  return out;
}

/**
 * A text's TF-IDF features over a vocabulary: known buckets only, character and word parts each
 * of unit length (an empty part stays empty).
 * @param buckets the text's buckets ({@link countNgrams}, or a store's row)
 * @param counts their counts
 * @param n how many
 * @param columns each known bucket's column ({@link columnsOf}), or an array over every bucket (-1: unknown)
 * @param idf each column's inverse document frequency
 * @param half the first bucket of the word part
 * @param cols receives columns (at least `n` long)
 * @param vals receives values
 * @returns how many features the text has
 */
export function tfidfOf(
  buckets: ArrayLike<number>,
  counts: ArrayLike<number>,
  n: number,
  columns: ReadonlyMap<number, number> | Int32Array,
  idf: Float32Array,
  half: number,
  cols: Uint32Array,
  vals: Float32Array,
): number {
  const dense = columns instanceof Int32Array ? columns : null;
  const map = dense ? null : (columns as ReadonlyMap<number, number>);
  if (partOf.length < n) partOf = new Uint8Array(n * 2);
  let m = 0;
  let charNorm = 0;
  let wordNorm = 0;
  for (let e = 0; e < n; e++) {
    const h = buckets[e] as number;
    const j = dense ? (dense[h] as number) : (map as ReadonlyMap<number, number>).get(h);
    if (j === undefined || j < 0) continue;
    const c = counts[e] as number;
    const v = (c < LOG_COUNT.length ? (LOG_COUNT[c] as number) : 1 + Math.log(c)) * (idf[j] as number);
    const word = h >= half ? 1 : 0;
    if (word) wordNorm += v * v;
    else charNorm += v * v;
    partOf[m] = word;
    cols[m] = j;
    vals[m++] = v;
  }
  const charScale = charNorm > 0 ? 1 / Math.sqrt(charNorm) : 0;
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
  for (let e = 0; e < m; e++) vals[e] = (vals[e] as number) * (partOf[e] ? wordScale : charScale);
  return m;
}

/**
 * A text's TF-IDF features over a vocabulary (see {@link tfidfOf}).
 * @param text the text
 * @param config its n-gram configuration (`weighting: 'tfidf'`)
 * @param columns each known bucket's column
 * @param idf each column's inverse document frequency
 */
export function tfidfOfText(
  text: string,
  config: NgramConfig,
  columns: ReadonlyMap<number, number>,
  idf: Float32Array,
): { cols: Uint32Array; vals: Float32Array; n: number } {
  const counts = countNgrams(text, config);
  const buckets = Uint32Array.from(counts.keys());
  const cols = new Uint32Array(buckets.length);
  const vals = new Float32Array(buckets.length);
  const n = tfidfOf(
    buckets,
    Uint32Array.from(counts.values()),
    buckets.length,
    columns,
    idf,
    config.buckets >>> 1,
    cols,
    vals,
  );
  return { cols, vals, n };
}

/** A block of TF-IDF rows: `entries[2e]` is a column, `entries[2e + 1]` the float32 bits of its value. */
export type TfidfBlock = PackedBlock;

/** The float32 view of a TF-IDF block's entries (values at odd positions). */
export function valuesOf(block: TfidfBlock): Float32Array {
  return new Float32Array(block.entries.buffer, block.entries.byteOffset, block.entries.length);
}

/** Blocks of TF-IDF rows, read one at a time. */
export interface BlockSource {
  readonly blockCount: number;
  /** Block `b` (it may be valid only until the next block is read). */
  block(b: number): TfidfBlock;
}

/** Where a matrix keeps block `b`: in memory, or as the spill's block `spilled`. */
type BlockSlot = { block: TfidfBlock } | { spilled: number; first: number; rows: number };

/** The training rows as TF-IDF, in blocks (kept in memory, or in the store's spill past its budget). */
export class TfidfMatrix implements BlockSource {
  readonly config: NgramConfig;
  readonly vocabulary: Vocabulary;
  readonly rows: number;
  readonly y: Uint16Array;
  /** Rows per column (document frequency over the kept columns). */
  readonly df: Float64Array;
  readonly #blocks: BlockSlot[] = [];
  readonly #spill: BlockSpill | undefined;

  /**
   * Turns a finished store's counts into TF-IDF rows, letting each count block go from memory
   * once turned (the store is used up).
   * @param store the counts (finished)
   * @param maxFeatures most columns kept
   * @param options where blocks go past `memoryBytes`; `shared`: blocks kept in memory are in
   *   shared memory, so threads can read them without a copy
   */
  constructor(
    store: NgramFeatureStore,
    maxFeatures: number,
    options: { spill?: BlockSpill; memoryBytes?: number; shared?: boolean } = {},
  ) {
    this.config = store.config;
    this.rows = store.rows;
    this.y = store.y;
    this.vocabulary = chooseVocabulary(store.documentFrequency(), store.rows, maxFeatures);
    const half = store.config.buckets >>> 1;
    // A store of very many distinct buckets gets an array over every bucket (faster than a map).
    const columns = store.denseFrequencies
      ? denseColumnsOf(this.vocabulary, store.config.buckets)
      : columnsOf(this.vocabulary);
    this.df = new Float64Array(this.vocabulary.features.length);
    this.#spill = options.spill;
    const budget = options.memoryBytes ?? Infinity;
    let inMemory = 0;
    const buckets = new Uint32Array(Math.max(store.maxFeatures, 1));
    const counts = new Uint32Array(buckets.length);
    const cols = new Uint32Array(buckets.length);
    const vals = new Float32Array(buckets.length);
    // One growable buffer of a block's entries: columns, and float32 value bits through a view.
    let words = new Uint32Array(1 << 16);
    let floats = new Float32Array(words.buffer);
    for (let b = 0; b < store.blockCount; b++) {
      const raw = store.block(b);
      const offsets = new Uint32Array(raw.rows + 1);
      let length = 0;
      for (let r = 0; r < raw.rows; r++) {
        const n = tfidfOf(
          buckets,
          counts,
          unpackCounts(raw, r, buckets, counts),
          columns,
          this.vocabulary.idf,
          half,
          cols,
          vals,
        );
        if (length + 2 * n > words.length) {
          const grown = new Uint32Array(Math.max(words.length * 2, length + 2 * n));
          grown.set(words.subarray(0, length));
          words = grown;
          floats = new Float32Array(words.buffer);
        }
        for (let e = 0; e < n; e++) {
          const j = cols[e] as number;
          words[length] = j;
          floats[length + 1] = vals[e] as number;
          length += 2;
          this.df[j] = (this.df[j] as number) + 1;
        }
        offsets[r + 1] = length;
      }
      store.release(b);
      const entries = words.subarray(0, length);
      const bytes = offsets.byteLength + entries.byteLength;
      if (this.#spill && inMemory + bytes > budget) {
        this.#spill.put({ first: raw.first, rows: raw.rows, offsets, entries });
        this.#blocks.push({ spilled: this.#spill.count - 1, first: raw.first, rows: raw.rows });
      } else {
        inMemory += bytes;
        const block: TfidfBlock = options.shared
          ? { first: raw.first, rows: raw.rows, offsets: sharedCopy(offsets), entries: sharedCopy(entries) }
          : { first: raw.first, rows: raw.rows, offsets, entries: entries.slice() };
        this.#blocks.push({ block });
      }
    }
  }

  get blockCount(): number {
    return this.#blocks.length;
  }

  /** Every block, when every one is in memory (so threads can read them), else null. */
  inMemoryBlocks(): TfidfBlock[] | null {
    const blocks: TfidfBlock[] = [];
    for (const slot of this.#blocks) {
      if (!('block' in slot)) return null;
      blocks.push(slot.block);
    }
    return blocks;
  }

  /** Block `b` (a spilled one is valid until the next spilled block is read). */
  block(b: number): TfidfBlock {
    const slot = this.#blocks[b];
    if (!slot) throw new Error(`no block ${b}`);
    if ('block' in slot) return slot.block;
    if (!this.#spill) throw new Error('no spill');
    return this.#spill.take(slot.spilled);
  }
}

/** A copy of `words` in shared memory. */
function sharedCopy(words: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(words.byteLength));
  out.set(words);
  return out;
}
