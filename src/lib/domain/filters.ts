/**
 * @file Quality filters for generated texts. Each rejection has a reason the user can read,
 * and rejected texts are kept (marked) so they can be inspected and restored.
 */
import { message } from '../i18n/messages';
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

export type FilterVerdict = { ok: true } | { ok: false; reason: RejectReason; detail: string };

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
  if (!t) return { ok: false, reason: 'empty', detail: message('filter.empty') };
  const words = t.split(/\s+/u).length;
  // Scripts written without spaces (Thai, Chinese, Japanese…) count characters instead.
  const spaceless = words === 1 && t.length >= 12;
  if (words < config.minWords && !spaceless)
    return {
      ok: false,
      reason: 'too-short',
      detail: message('filter.tooShort', { words, min: config.minWords }),
    };
  if (t.length > config.maxChars)
    return {
      ok: false,
      reason: 'too-long',
      detail: message('filter.tooLong', { chars: t.length, max: config.maxChars }),
    };
  if (ctx.index.has(t)) return { ok: false, reason: 'duplicate', detail: message('filter.duplicate') };
  const similarity = ctx.index.maxSimilarity(t, ctx.language);
  if (similarity >= config.nearDuplicate)
    return {
      ok: false,
      reason: 'near-duplicate',
      detail: message('filter.nearDuplicate', { percent: Math.round(similarity * 100) }),
    };
  if (config.labelLeak) {
    const label = normalizeText(ctx.label);
    if (
      label.length >= 3 &&
      new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(label)}([^\\p{L}\\p{N}]|$)`, 'u').test(normalizeText(t))
    )
      return { ok: false, reason: 'label-leak', detail: message('filter.labelLeak', { label: ctx.label }) };
  }
  if (config.language && ctx.languageCheck && !ctx.languageCheck.matches)
    return {
      ok: false,
      reason: 'wrong-language',
      detail: message('filter.wrongLanguage', {
        language: ctx.languageCheck.detected,
        percent: Math.round(ctx.languageCheck.confidence * 100),
      }),
    };
  return { ok: true };
}

/**
 * A stored rejection (`reason: detail`, as samples keep it in `meta.rejected`) in words:
 * "label-leak: the text contains…" → "names its label: the text contains…".
 */
export function describeRejection(stored: string | undefined): string {
  if (!stored) return message('reject.unknown');
  const at = stored.indexOf(':');
  const code = at >= 0 ? stored.slice(0, at) : stored;
  const detail = at >= 0 ? stored.slice(at + 1).trim() : '';
  const name = code in REJECT_REASONS ? message(`reject.${code as RejectReason}`) : code;
  return detail ? message('reject.withDetail', { reason: name, detail }) : name;
}
