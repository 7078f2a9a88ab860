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

/**
 * The texts a task already has, for exact and near duplicate checks. Near duplicates are
 * looked for among texts of the same language (translations are not duplicates).
 */
export class TextIndex {
  readonly #exact = new Set<string>();
  readonly #grams = new Map<string, Set<string>[]>();

  add(text: string, language: string): void {
    this.#exact.add(normalizeText(text));
    const list = this.#grams.get(language) ?? [];
    list.push(trigrams(text));
    this.#grams.set(language, list);
  }

  has(text: string): boolean {
    return this.#exact.has(normalizeText(text));
  }

  /** Highest similarity to any text of the language (0 when there is none). */
  maxSimilarity(text: string, language: string): number {
    const grams = trigrams(text);
    let best = 0;
    for (const other of this.#grams.get(language) ?? []) best = Math.max(best, jaccard(grams, other));
    return best;
  }
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
  const similarity = ctx.index.maxSimilarity(t, ctx.language);
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
