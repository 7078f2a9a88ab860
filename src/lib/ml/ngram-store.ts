/**
 * @file The n-gram features of many texts, packed: 4 bytes a feature (bucket and count in one
 * 32-bit word, the text's norm kept once) instead of a typed-array pair per text, in blocks of
 * rows. Blocks past a memory budget go to a {@link BlockSpill} (a temporary file in the CLI), so
 * training on a file of millions of rows keeps a bounded amount in memory. Values come out
 * exactly as {@link featurize} makes them, so a model trained from the store is the one trained
 * from the texts.
 */
import type { NgramConfig } from '../domain/student';
import { countNgrams, countsNorm } from './ngram';

/** Rows of consecutive texts with their features: row r's entries are `offsets[r]` to `offsets[r + 1]`. */
export interface PackedBlock {
  /** Index of the block's first row in the store. */
  first: number;
  rows: number;
  offsets: Uint32Array;
  /** Bucket in the low 24 bits, count in the high 8; count 0 means the next entry is the count. */
  entries: Uint32Array;
  /** Each row's L2 norm of log-scaled counts. */
  norms: Float64Array;
}

/** Where blocks over the memory budget wait: written once, read back each pass. */
export interface BlockSpill {
  /** Keeps a block; blocks are put in order and numbered from 0. */
  put(block: PackedBlock): void;
  /** Block number `n` as put; its arrays may be reused by the next `take`. */
  take(n: number): PackedBlock;
}

export interface StoreOptions {
  /** Rows a block holds. */
  blockRows?: number;
  /** Bytes of blocks kept in memory before the rest go to `spill`. */
  memoryBytes?: number;
  spill?: BlockSpill;
}

const BUCKET_BITS = 24;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;
const MAX_INLINE_COUNT = 255;

/** `fround(1 + ln c)` for small counts: the value {@link featurize} stores before dividing by the norm. */
const LOG_COUNT = Float64Array.from({ length: MAX_INLINE_COUNT + 1 }, (_, c) =>
  c === 0 ? 0 : Math.fround(1 + Math.log(c)),
);

type Slot = { block: PackedBlock } | { spilled: number; first: number; rows: number };

/** A growable array of 32-bit words. */
class Words {
  data = new Uint32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export class NgramFeatureStore {
  readonly config: NgramConfig;
  readonly #blockRows: number;
  readonly #memoryBytes: number;
  readonly #spill: BlockSpill | undefined;
  readonly #slots: Slot[] = [];
  #inMemory = 0;
  #spilled = 0;
  #y = new Uint16Array(1024);
  #rows = 0;
  #maxFeatures = 0;
  // The block being filled.
  #entries = new Words();
  #offsets: number[] = [0];
  #norms: number[] = [];
  #finished = false;

  constructor(config: NgramConfig, options: StoreOptions = {}) {
    if (config.buckets > 1 << BUCKET_BITS) throw new Error(`at most 2^${BUCKET_BITS} buckets`);
    this.config = config;
    this.#blockRows = options.blockRows ?? 65_536;
    this.#memoryBytes = options.memoryBytes ?? Infinity;
    this.#spill = options.spill;
  }

  /** Rows added. */
  get rows(): number {
    return this.#rows;
  }

  /** The class index of every row. */
  get y(): Uint16Array {
    return this.#y.subarray(0, this.#rows);
  }

  /** Most features any row has (the size of scratch arrays for {@link unpackRow}). */
  get maxFeatures(): number {
    return this.#maxFeatures;
  }

  get blockCount(): number {
    return this.#slots.length;
  }

  /** Blocks written to the spill. */
  get spilledBlocks(): number {
    return this.#spilled;
  }

  /**
   * Adds a text and its class.
   * @param text the text
   * @param y its class index
   */
  add(text: string, y: number): void {
    if (this.#finished) throw new Error('the store is finished');
    const counts = countNgrams(text, this.config);
    for (const [h, c] of counts) {
      if (c <= MAX_INLINE_COUNT) this.#entries.push(h | (c << BUCKET_BITS));
      else {
        this.#entries.push(h);
        this.#entries.push(c);
      }
    }
    this.#maxFeatures = Math.max(this.#maxFeatures, counts.size);
    this.#norms.push(countsNorm(counts.values()));
    this.#offsets.push(this.#entries.length);
    if (this.#rows === this.#y.length) {
      const next = new Uint16Array(this.#y.length * 2);
      next.set(this.#y);
      this.#y = next;
    }
    this.#y[this.#rows++] = y;
    if (this.#norms.length === this.#blockRows) this.#seal();
  }

  /** Seals the last block: call once every row is added. */
  finish(): void {
    if (this.#finished) return;
    if (this.#norms.length > 0) this.#seal();
    this.#finished = true;
    this.#entries = new Words();
  }

  /**
   * Gives every row a new class index (labels are often known only once a file is read).
   * @param map old index → new index
   */
  remapClasses(map: ArrayLike<number>): void {
    for (let i = 0; i < this.#rows; i++) this.#y[i] = map[this.#y[i] as number] as number;
  }

  /**
   * Where block `b` starts and how many rows it has.
   * @param b block number
   */
  range(b: number): { first: number; rows: number } {
    const slot = this.#slots[b];
    if (!slot) throw new Error(`no block ${b}`);
    return 'block' in slot ? { first: slot.block.first, rows: slot.block.rows } : slot;
  }

  /**
   * Block `b`, read back from the spill if it is there (valid until the next spilled block is read).
   * @param b block number
   */
  block(b: number): PackedBlock {
    const slot = this.#slots[b];
    if (!slot) throw new Error(`no block ${b}`);
    if ('block' in slot) return slot.block;
    if (!this.#spill) throw new Error('no spill');
    return this.#spill.take(slot.spilled);
  }

  #seal(): void {
    const rows = this.#norms.length;
    const block: PackedBlock = {
      first: this.#rows - rows,
      rows,
      offsets: Uint32Array.from(this.#offsets),
      entries: this.#entries.data.slice(0, this.#entries.length),
      norms: Float64Array.from(this.#norms),
    };
    this.#entries.length = 0;
    this.#offsets = [0];
    this.#norms = [];
    const bytes = block.offsets.byteLength + block.entries.byteLength + block.norms.byteLength;
    if (this.#spill && this.#inMemory + bytes > this.#memoryBytes) {
      this.#spill.put(block);
      this.#slots.push({ spilled: this.#spilled++, first: block.first, rows });
    } else {
      this.#inMemory += bytes;
      this.#slots.push({ block });
    }
  }
}

/**
 * Unpacks row `r` of a block into buckets and values, as {@link featurize} gives them.
 * @param block the block
 * @param r row within the block
 * @param idx receives buckets (at least `maxFeatures` long)
 * @param val receives values
 * @returns how many features the row has
 */
export function unpackRow(block: PackedBlock, r: number, idx: Uint32Array, val: Float32Array): number {
  const { entries } = block;
  const norm = block.norms[r] as number;
  const end = block.offsets[r + 1] as number;
  let n = 0;
  for (let e = block.offsets[r] as number; e < end; e++) {
    const word = entries[e] as number;
    const c = word >>> BUCKET_BITS;
    idx[n] = word & BUCKET_MASK;
    val[n++] = (c === 0 ? Math.fround(1 + Math.log(entries[++e] as number)) : (LOG_COUNT[c] as number)) / norm;
  }
  return n;
}
