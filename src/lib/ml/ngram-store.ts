/**
 * @file The n-gram counts of many texts, packed: 4 bytes a feature (bucket and count in one
 * 32-bit word) instead of a typed-array pair per text, in blocks of rows, with each bucket's
 * document frequency. Blocks past a memory budget go to a {@link BlockSpill} (a temporary file
 * in the CLI), so training on a file of millions of rows keeps a bounded amount in memory.
 * Counts come out exactly as {@link countNgrams} makes them, so a model trained from the store is
 * the one trained from the texts (`ml/tfidf.ts` turns the counts into the student's features).
 */
import type { NgramConfig } from '../domain/student';
import { countNgrams } from './ngram';

/** Rows of consecutive texts with their features: row r's entries are `offsets[r]` to `offsets[r + 1]`. */
export interface PackedBlock {
  /** Index of the block's first row in the store. */
  first: number;
  rows: number;
  offsets: Uint32Array;
  /**
   * Counts: bucket in the low 24 bits, count in the high 8; count 0 means the next entry is the
   * count. (A TF-IDF block of `ml/tfidf.ts` keeps column and float32 value bits in turn.)
   */
  entries: Uint32Array;
}

/** Where blocks over the memory budget wait: written once, read back each pass. */
export interface BlockSpill {
  /** Keeps a block; blocks are put in order and numbered from 0. */
  put(block: PackedBlock): void;
  /** Blocks put so far (the next block's number). */
  readonly count: number;
  /** Block number `n` as put; its arrays may be reused by the next `take`. */
  take(n: number): PackedBlock;
}

export interface StoreOptions {
  /** Rows a block holds. */
  blockRows?: number;
  /** Bytes of blocks kept in memory before the rest go to `spill`. */
  memoryBytes?: number;
  spill?: BlockSpill;
  /** Distinct buckets past which document frequencies are kept in one array over every bucket. */
  denseAfter?: number;
}

const BUCKET_BITS = 24;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;
const MAX_INLINE_COUNT = 255;

type Slot =
  | { block: PackedBlock }
  | { spilled: number; first: number; rows: number }
  | { released: true; first: number; rows: number };

/** Past this many distinct buckets, document frequencies go to one array over every bucket (less memory than a map). */
const DENSE_DF_AFTER = 1 << 20;

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
  readonly #denseAfter: number;
  readonly #slots: Slot[] = [];
  #inMemory = 0;
  #spilled = 0;
  #y = new Uint16Array(1024);
  #rows = 0;
  #maxFeatures = 0;
  #df: Map<number, number> | null = new Map();
  #denseDf: Uint32Array | null = null;
  // The block being filled.
  #entries = new Words();
  #offsets: number[] = [0];
  #finished = false;

  constructor(config: NgramConfig, options: StoreOptions = {}) {
    if (config.buckets > 1 << BUCKET_BITS) throw new Error(`at most 2^${BUCKET_BITS} buckets`);
    this.config = config;
    this.#blockRows = options.blockRows ?? 65_536;
    this.#memoryBytes = options.memoryBytes ?? Infinity;
    this.#spill = options.spill;
    this.#denseAfter = options.denseAfter ?? DENSE_DF_AFTER;
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

  /** How many rows have each bucket: `[bucket, rows]` for every bucket seen, in no set order. */
  *documentFrequency(): Generator<[number, number]> {
    if (this.#df) yield* this.#df;
    else {
      const df = this.#denseDf as Uint32Array;
      for (let h = 0; h < df.length; h++) if (df[h] !== 0) yield [h, df[h] as number];
    }
  }

  /** Whether document frequencies went to one array over every bucket (a store of very many distinct buckets). */
  get denseFrequencies(): boolean {
    return this.#denseDf !== null;
  }

  /** Where blocks made from this store's go past the same memory budget. */
  get spillOptions(): { spill?: BlockSpill; memoryBytes?: number } {
    return this.#spill ? { spill: this.#spill, memoryBytes: this.#memoryBytes } : {};
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
      if (this.#df) this.#df.set(h, (this.#df.get(h) ?? 0) + 1);
      else {
        const df = this.#denseDf as Uint32Array;
        df[h] = (df[h] as number) + 1;
      }
    }
    if (this.#df && this.#df.size > this.#denseAfter) {
      this.#denseDf = new Uint32Array(this.config.buckets);
      for (const [h, n] of this.#df) this.#denseDf[h] = n;
      this.#df = null;
    }
    this.#maxFeatures = Math.max(this.#maxFeatures, counts.size);
    this.#offsets.push(this.#entries.length);
    if (this.#rows === this.#y.length) {
      const next = new Uint16Array(this.#y.length * 2);
      next.set(this.#y);
      this.#y = next;
    }
    this.#y[this.#rows++] = y;
    if (this.#offsets.length - 1 === this.#blockRows) this.#seal();
  }

  /** Seals the last block: call once every row is added. */
  finish(): void {
    if (this.#finished) return;
    if (this.#offsets.length > 1) this.#seal();
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
    return 'block' in slot
      ? { first: slot.block.first, rows: slot.block.rows }
      : { first: slot.first, rows: slot.rows };
  }

  /**
   * Lets block `b` go from memory once it has been turned into something else (the TF-IDF rows);
   * reading it afterwards is an error.
   * @param b block number
   */
  release(b: number): void {
    const slot = this.#slots[b];
    if (slot && 'block' in slot) this.#slots[b] = { released: true, first: slot.block.first, rows: slot.block.rows };
  }

  /**
   * Block `b`, read back from the spill if it is there (valid until the next spilled block is read).
   * @param b block number
   */
  block(b: number): PackedBlock {
    const slot = this.#slots[b];
    if (!slot) throw new Error(`no block ${b}`);
    if ('block' in slot) return slot.block;
    if ('released' in slot) throw new Error(`block ${b} was released`);
    if (!this.#spill) throw new Error('no spill');
    return this.#spill.take(slot.spilled);
  }

  #seal(): void {
    const rows = this.#offsets.length - 1;
    const block: PackedBlock = {
      first: this.#rows - rows,
      rows,
      offsets: Uint32Array.from(this.#offsets),
      entries: this.#entries.data.slice(0, this.#entries.length),
    };
    this.#entries.length = 0;
    this.#offsets = [0];
    const bytes = block.offsets.byteLength + block.entries.byteLength;
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
 * Unpacks row `r` of a block into buckets and counts, as {@link countNgrams} gives them.
 * @param block the block
 * @param r row within the block
 * @param idx receives buckets (at least `maxFeatures` long)
 * @param counts receives counts
 * @returns how many features the row has
 */
export function unpackCounts(block: PackedBlock, r: number, idx: Uint32Array, counts: Uint32Array): number {
  const { entries } = block;
  const end = block.offsets[r + 1] as number;
  let n = 0;
  for (let e = block.offsets[r] as number; e < end; e++) {
    const word = entries[e] as number;
    const c = word >>> BUCKET_BITS;
    idx[n] = word & BUCKET_MASK;
    counts[n++] = c === 0 ? (entries[++e] as number) : c;
  }
  return n;
}
