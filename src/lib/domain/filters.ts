/**
 * @file Quality filters for generated texts. Each rejection is a code with the numbers behind
 * it (`{ reason: 'too-short', words: 2, min: 3 }`), stored as such on the sample, so a rejected
 * text reads in whatever language the UI is in today; rejected texts are kept (marked) so they
 * can be inspected and restored.
 */
import { normalizeText } from './text-hash';

export const REJECT_REASONS = {
  empty: 'empty',
  'too-short': 'too short',
  'too-long': 'too long',
  duplicate: 'duplicate',
  'near-duplicate': 'near duplicate',
  'wrong-language': 'wrong language',
  'label-leak': 'names its label',
  'revision-rejected': 'rejected on revision',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

export interface FilterConfig {
  /** Fewer words than this is too short (one-word "texts" teach nothing). */
  minWords: number;
  /** More characters than this is too long (a model rambling, or several texts run together). */
  maxChars: number;
  /** Character-trigram Jaccard similarity at or above which a text is a near duplicate. */
  nearDuplicate: number;
  /** Reject texts that contain their own label's name. */
  labelLeak: boolean;
  /** Reject texts identified as another language (when the language is known to the identifier). */
  language: boolean;
}

/** Defaults from the seed paper's recipe: drop very short/long lines and duplicates. */
export const DEFAULT_FILTERS: FilterConfig = {
  minWords: 3,
  maxChars: 1_000,
  nearDuplicate: 0.85,
  labelLeak: true,
  language: true,
};

/** Why a text was rejected, with the values a sentence about it needs. */
export type Rejection =
  | { reason: 'empty' | 'duplicate' | 'revision-rejected' }
  | { reason: 'too-short'; words: number; min: number }
  | { reason: 'too-long'; chars: number; max: number }
  | { reason: 'near-duplicate'; percent: number }
  | { reason: 'label-leak'; label: string }
  | { reason: 'wrong-language'; language: string; percent: number };

export type FilterVerdict = { ok: true } | { ok: false; rejection: Rejection };

const reject = (rejection: Rejection): FilterVerdict => ({ ok: false, rejection });

/** Character trigrams of the normalized text, padded so short words count. */
export function trigrams(text: string): Set<string> {
  const t = ` ${normalizeText(text)} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

/** Jaccard similarity of two sets. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** One language's texts in a {@link TextIndex}. */
interface LanguageTexts {
  /** Each text's trigrams as ranks, highest (newest) first. */
  sets: Int32Array[];
  /**
   * (rank, size class) → the texts of that size class holding that trigram among the first
   * trigrams of their order, as pairs (text, the trigram's position in it), flattened.
   */
  prefixes: Map<number, number[]>;
  /** Per text, the query that last looked at it, and the trigrams that query has found it shares. */
  seen: Uint32Array;
  shared: Int32Array;
  /** Per text, how many trigrams it has (read often: kept apart from the sets). */
  sizes: Int32Array;
}

/**
 * The texts a task already has, for exact and near duplicate checks. Near duplicates are
 * looked for among texts of the same language (translations are not duplicates).
 *
 * Exact and sub-quadratic (prefix filtering, as in AllPairs/PPJoin): trigrams are ranked in one
 * order, the rarest first. Two sets with Jaccard similarity ≥ t always share a trigram among the
 * first |x| − ⌈t·|x|⌉ + 1 of each's order, so each text is listed under those (rare) trigrams
 * only, and a query verifies only the texts listed under its own first trigrams that also pass
 * the size bound t·|A| ≤ |B| ≤ |A| / t. Similarities below the threshold are not all computed.
 * A trigram first seen ranks above every other (rarest); whenever the index has doubled, every
 * rank is set again from how many texts hold each trigram, and the lists rebuilt.
 */
export class TextIndex {
  readonly #exact = new Set<string>();
  readonly #ranks = new Map<string, number>();
  readonly #languages = new Map<string, LanguageTexts>();
  #query = 0;
  #texts = 0;
  #rankedAt = 0;
  /** The last text's trigrams: a text is usually checked, then added. */
  #last: { text: string; grams: Set<string> } | null = null;

  /**
   * @param threshold the smallest similarity queries ask about (the filter's `nearDuplicate`);
   *   asking about a lower one falls back to comparing with every text of the language
   */
  constructor(readonly threshold = DEFAULT_FILTERS.nearDuplicate) {}

  add(text: string, language: string): void {
    this.#exact.add(normalizeText(text));
    const grams = this.#trigrams(text);
    const ranks = new Int32Array(grams.size);
    let i = 0;
    for (const g of grams) {
      let r = this.#ranks.get(g);
      if (r === undefined) {
        r = this.#ranks.size;
        this.#ranks.set(g, r);
      }
      ranks[i++] = r;
    }
    ranks.sort().reverse();
    let lang = this.#languages.get(language);
    if (!lang) {
      lang = {
        sets: [],
        prefixes: new Map(),
        seen: new Uint32Array(64),
        shared: new Int32Array(64),
        sizes: new Int32Array(64),
      };
      this.#languages.set(language, lang);
    }
    const id = lang.sets.length;
    lang.sets.push(ranks);
    if (lang.seen.length <= id) {
      const seen = new Uint32Array(lang.seen.length * 2);
      seen.set(lang.seen);
      lang.seen = seen;
      lang.shared = new Int32Array(seen.length);
      const sizes = new Int32Array(seen.length);
      sizes.set(lang.sizes);
      lang.sizes = sizes;
    }
    lang.sizes[id] = ranks.length;
    this.#list(lang, id);
    if (++this.#texts >= 2 * Math.max(this.#rankedAt, MIN_TEXTS_TO_RANK)) this.#rank();
  }

  /**
   * Texts are listed by size class (sizes within a factor 1/threshold share one), so a query
   * reads only the lists of sizes its similarity bound allows.
   */
  #sizeClass(size: number): number {
    const t = Math.min(Math.max(this.threshold, 0.05), 0.99);
    return Math.min(SIZE_CLASSES - 1, Math.floor(Math.log(Math.max(size, 1)) / -Math.log(t)));
  }

  /** Lists a text under the first trigrams of its order. */
  #list(lang: LanguageTexts, id: number): void {
    const ranks = lang.sets[id] as Int32Array;
    for (let j = 0; j < prefixLength(ranks.length, this.threshold); j++) {
      const r = ranks[j] as number;
      const key = r * SIZE_CLASSES + this.#sizeClass(ranks.length);
      const list = lang.prefixes.get(key);
      if (list) list.push(id, j);
      else lang.prefixes.set(key, [id, j]);
    }
  }

  /** Ranks every trigram by how many texts hold it (fewest highest), then re-sorts and re-lists. */
  #rank(): void {
    const n = this.#ranks.size;
    const held = new Uint32Array(n);
    for (const lang of this.#languages.values())
      for (const set of lang.sets) for (const r of set) held[r] = (held[r] as number) + 1;
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (held[b] as number) - (held[a] as number) || a - b,
    );
    const next = new Int32Array(n);
    order.forEach((old, i) => (next[old] = i));
    for (const [gram, r] of this.#ranks) this.#ranks.set(gram, next[r] as number);
    for (const lang of this.#languages.values()) {
      lang.prefixes.clear();
      lang.sets.forEach((set, id) => {
        for (let j = 0; j < set.length; j++) set[j] = next[set[j] as number] as number;
        set.sort().reverse();
        this.#list(lang, id);
      });
    }
    this.#rankedAt = this.#texts;
  }

  #trigrams(text: string): Set<string> {
    if (this.#last?.text !== text) this.#last = { text, grams: trigrams(text) };
    return this.#last.grams;
  }

  has(text: string): boolean {
    return this.#exact.has(normalizeText(text));
  }

  /**
   * The highest similarity to a text of the language when it is at least `atLeast`; otherwise
   * some number below `atLeast` (0 when the language has no text).
   * @param atLeast the similarity that matters (default: the index's threshold)
   */
  maxSimilarity(text: string, language: string, atLeast = this.threshold): number {
    const lang = this.#languages.get(language);
    if (!lang) return 0;
    // Trigrams never added rank above every known one: they come first and match nothing.
    const grams = this.#trigrams(text);
    const known: number[] = [];
    for (const g of grams) {
      const r = this.#ranks.get(g);
      if (r !== undefined) known.push(r);
    }
    const a = Int32Array.from(known).sort().reverse();
    const size = grams.size;
    if (atLeast < this.threshold) {
      let best = 0;
      for (const b of lang.sets) best = Math.max(best, sortedJaccard(a, size, b, 0));
      return best;
    }
    // Trigrams the index does not know come first in the query's order: skip their positions.
    const unknown = size - a.length;
    const probe = prefixLength(size, atLeast) - unknown;
    const query = ++this.#query;
    const { seen, shared, sets, sizes } = lang;
    const candidates: number[] = [];
    const smallest = this.#sizeClass(Math.ceil(atLeast * size - 1e-9));
    const largest = this.#sizeClass(Math.floor(size / atLeast + 1e-9));
    for (let i = 0; i < probe; i++) {
      const left = size - (i + unknown) - 1;
      for (let c = smallest; c <= largest; c++) {
        const list = lang.prefixes.get((a[i] as number) * SIZE_CLASSES + c);
        if (!list) continue;
        for (let e = 0; e < list.length; e += 2) {
          const id = list[e] as number;
          if (seen[id] !== query) {
            seen[id] = query;
            const n = sizes[id] as number;
            // Size bound; a text failing it is marked so it is never counted again.
            if (n < atLeast * size - 1e-9 || n * atLeast > size + 1e-9) {
              shared[id] = -1;
              continue;
            }
            shared[id] = 0;
            candidates.push(id);
          } else if ((shared[id] as number) < 0) continue;
          // Position bound (PPJoin): every trigram both share before this one has been counted,
          // so at most `shared + 1 + min(what follows in each)` can be shared in all.
          const n = sizes[id] as number;
          const needed = Math.ceil((atLeast / (1 + atLeast)) * (size + n) - 1e-9);
          const most = (shared[id] as number) + 1 + Math.min(left, n - (list[e + 1] as number) - 1);
          shared[id] = most >= needed ? (shared[id] as number) + 1 : -1;
        }
      }
    }
    let best = 0;
    for (const id of candidates)
      if ((shared[id] as number) > 0) best = Math.max(best, sortedJaccard(a, size, sets[id] as Int32Array, atLeast));
    return best;
  }
}

/** Size classes of the lists (enough for texts of tens of thousands of trigrams at 0.85). */
const SIZE_CLASSES = 64;

/** Below this many texts, trigrams keep the order they were first seen in. */
const MIN_TEXTS_TO_RANK = 32;

/** How many of a set's first elements must meet another's for Jaccard ≥ t: |x| − ⌈t·|x|⌉ + 1. */
function prefixLength(size: number, t: number): number {
  return size - Math.ceil(t * size - 1e-9) + 1;
}

/**
 * Jaccard similarity of a query and an indexed set, both ranks sorted highest first; the query
 * has `size` trigrams in all, `a` being those the index knows. Gives up (0) as soon as the
 * similarity can no longer reach `atLeast`.
 */
function sortedJaccard(a: Int32Array, size: number, b: Int32Array, atLeast: number): number {
  const needed = Math.ceil((atLeast / (1 + atLeast)) * (size + b.length) - 1e-9);
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (inter + Math.min(a.length - i, b.length - j) < needed) return 0;
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x > y) i++;
    else j++;
  }
  return inter / (size + b.length - inter);
}

/** What the language identifier said about a text; null when it cannot judge this language. */
export type LanguageCheck = { matches: boolean; detected: string; confidence: number } | null;

export interface FilterContext {
  label: string;
  language: string;
  index: TextIndex;
  /** Language identification for this text, or null when unavailable or unknown for the language. */
  languageCheck?: LanguageCheck;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs every filter on one candidate, cheapest first.
 * @param text the candidate
 * @param ctx its label, language, the texts already kept, and language identification
 * @param config thresholds
 */
export function checkCandidate(
  text: string,
  ctx: FilterContext,
  config: FilterConfig = DEFAULT_FILTERS,
): FilterVerdict {
  const t = text.trim();
  if (!t) return reject({ reason: 'empty' });
  const words = t.split(/\s+/u).length;
  // Scripts written without spaces (Thai, Chinese, Japanese…) count characters instead.
  const spaceless = words === 1 && t.length >= 12;
  if (words < config.minWords && !spaceless) return reject({ reason: 'too-short', words, min: config.minWords });
  if (t.length > config.maxChars) return reject({ reason: 'too-long', chars: t.length, max: config.maxChars });
  if (ctx.index.has(t)) return reject({ reason: 'duplicate' });
  const similarity = ctx.index.maxSimilarity(t, ctx.language, config.nearDuplicate);
  if (similarity >= config.nearDuplicate)
    return reject({ reason: 'near-duplicate', percent: Math.round(similarity * 100) });
  if (config.labelLeak) {
    const label = normalizeText(ctx.label);
    if (
      label.length >= 3 &&
      new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(label)}([^\\p{L}\\p{N}]|$)`, 'u').test(normalizeText(t))
    )
      return reject({ reason: 'label-leak', label: ctx.label });
  }
  if (config.language && ctx.languageCheck && !ctx.languageCheck.matches)
    return reject({
      reason: 'wrong-language',
      language: ctx.languageCheck.detected,
      percent: Math.round(ctx.languageCheck.confidence * 100),
    });
  return { ok: true };
}

/** Keys of a rejected sample's `meta`: the reason code, and its values as JSON. */
export const REJECTION_META = { reason: 'rejected', values: 'rejectedWith' } as const;

/** The `meta` entries that record a rejection on a sample. */
export function rejectionMeta(r: Rejection): Record<string, string> {
  const { reason, ...values } = r;
  return Object.keys(values).length
    ? { [REJECTION_META.reason]: reason, [REJECTION_META.values]: JSON.stringify(values) }
    : { [REJECTION_META.reason]: reason };
}

const isReason = (code: string): code is RejectReason => Object.hasOwn(REJECT_REASONS, code);

/** Numbers in a sentence, in order ("2 words; at least 3" → [2, 3]; "1,000" → 1000). */
const numbersIn = (text: string) =>
  [...text.matchAll(/\d[\d,.\u202f\u00a0 ]*/g)].map((m) => Number(m[0].replace(/[^\d]/g, '')));

/**
 * A rejection as a sample stores it, or null when it records none. Reads today's form (a code
 * and its values) and the form of versions before it (`"too-short: 2 words; at least 3 are
 * needed"`, a sentence in the UI language of the day), whose numbers are read back.
 * @param label the sample's label (a label leak is always of the sample's own label)
 */
export function readRejection(meta: Readonly<Record<string, string>> | undefined, label: string): Rejection | null {
  const stored = meta?.[REJECTION_META.reason];
  if (stored === undefined) return null;
  const at = stored.indexOf(':');
  const code = (at >= 0 ? stored.slice(0, at) : stored).trim();
  if (!isReason(code)) return null;
  const json = meta?.[REJECTION_META.values];
  if (at < 0 && json !== undefined) {
    try {
      const values = JSON.parse(json) as Record<string, unknown>;
      if (values !== null && typeof values === 'object') return fromValues(code, values, label);
    } catch {
      // A damaged value: the reason alone still reads.
    }
  }
  if (at < 0) return fromValues(code, {}, label);
  // The form before codes: the detail was a sentence; its numbers are what it said.
  const detail = stored.slice(at + 1);
  const n = numbersIn(detail);
  const language = /(?:identified as|identifié comme) (.+?) \(/.exec(detail)?.[1];
  return fromValues(code, { words: n[0], min: n[1], chars: n[0], max: n[1], percent: n.at(-1), language }, label);
}

function fromValues(reason: RejectReason, v: Record<string, unknown>, label: string): Rejection {
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const str = (x: unknown, fallback: string) => (typeof x === 'string' ? x : fallback);
  switch (reason) {
    case 'too-short':
      return { reason, words: num(v.words), min: num(v.min) };
    case 'too-long':
      return { reason, chars: num(v.chars), max: num(v.max) };
    case 'near-duplicate':
      return { reason, percent: num(v.percent) };
    case 'label-leak':
      return { reason, label: str(v.label, label) };
    case 'wrong-language':
      return { reason, language: str(v.language, '?'), percent: num(v.percent) };
    default:
      return { reason };
  }
}

/**
 * A sample's `meta` with a rejection in today's form (a code and its values), from either
 * form; unchanged when it records none or already has today's form. For the database
 * migration and bundles made by earlier versions.
 */
export function migrateRejectionMeta(
  meta: Readonly<Record<string, string>> | undefined,
  label: string,
): Record<string, string> | undefined {
  const stored = meta?.[REJECTION_META.reason];
  if (!meta || stored === undefined || !stored.includes(':')) return meta;
  const rejection = readRejection(meta, label);
  const { [REJECTION_META.reason]: _old, [REJECTION_META.values]: _values, ...rest } = meta;
  return rejection
    ? { ...rest, ...rejectionMeta(rejection) }
    : { ...rest, [REJECTION_META.reason]: stored.split(':')[0] ?? '' };
}
