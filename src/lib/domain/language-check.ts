/**
 * @file The wrong-language check's rules (decision 015), pure: how language identifiers'
 * verdicts on a text combine into "in the task language or not", and what a task learns from
 * its own texts about how an identifier sees one of its languages (CLD3 takes most Yoruba
 * written with tone marks for Vietnamese; a task with Yoruba texts learns that and accepts it).
 */
import { findLanguage } from './languages';

export type IdentifierName = 'cld3' | 'lid176';

/** One identifier's verdict on a text. */
export interface Verdict {
  by: IdentifierName;
  /** The language it names (ISO 639-1 where one exists), `und` when it cannot tell. */
  code: string;
  confidence: number;
  /** Confident enough to reject a text on its word. */
  sure: boolean;
}

/** Codes an identifier gives a task language's own texts (besides the language's own code), per identifier. */
export type SeenAs = Partial<Record<IdentifierName, readonly string[]>>;

/** Individual languages the identifiers name by their macrolanguage, and codes they spell otherwise. */
const SAME_AS: Record<string, string> = {
  swh: 'sw',
  arb: 'ar',
  pes: 'fa',
  prs: 'fa',
  zsm: 'ms',
  cmn: 'zh',
  ekk: 'et',
  lvs: 'lv',
  uzn: 'uz',
  npi: 'ne',
  nob: 'no',
  nno: 'no',
  als: 'sq',
  khk: 'mn',
  kmr: 'ku',
  ckb: 'ku',
  ydd: 'yi',
  plt: 'mg',
  tl: 'fil',
  iw: 'he',
  hbs: 'sr',
};

const keys = new Map<string, string>();

/**
 * A language's code as the identifiers compare it: the stored code, macrolanguage for an
 * individual one (kept once worked out: every verdict on every text asks).
 */
export function languageKey(code: string): string {
  let key = keys.get(code);
  if (key === undefined) {
    const base = code.trim().toLocaleLowerCase().split(/[-_]/)[0] ?? '';
    const entry = findLanguage(base);
    const stored = entry?.code ?? base;
    key = SAME_AS[entry?.iso6393 ?? ''] ?? SAME_AS[stored] ?? stored;
    keys.set(code, key);
  }
  return key;
}

/**
 * Whether a text is in the target language, from the verdicts of the identifiers that know it:
 * in it when a sure verdict names it (or a code the task's own texts of it are often given);
 * not in it when a sure verdict names another language (the surest one is reported); and, when
 * no verdict is sure, in it (a short or mixed text is not rejected on a guess).
 */
export function judgeLanguage(
  verdicts: readonly Verdict[],
  target: string,
  seenAs: SeenAs = {},
): { matches: boolean; verdict: Verdict | null } {
  const key = languageKey(target);
  const sure = verdicts.filter((v) => v.sure);
  const names = (v: Verdict) => languageKey(v.code) === key || (seenAs[v.by] ?? []).includes(languageKey(v.code));
  const yes = sure.find(names);
  if (yes) return { matches: true, verdict: yes };
  const no = [...sure].sort((a, b) => b.confidence - a.confidence)[0];
  return no ? { matches: false, verdict: no } : { matches: true, verdict: null };
}

/** Own texts of a language needed before the task learns how identifiers see it. */
export const MIN_OWN_TEXTS = 10;
/** Share of a language's own texts an identifier must give another code before that code counts as the language. */
export const SEEN_AS_SHARE = 0.2;

/**
 * What a task learns from its own texts of one language (seed and human-written, never test):
 * per identifier, the codes other than the language's own that it gives at least
 * {@link SEEN_AS_SHARE} of them, surely, except the task's other languages (a text in one of
 * those must still be caught).
 * @param verdicts one list per own text
 * @param others the task's other languages
 */
export function learnSeenAs(
  verdicts: readonly (readonly Verdict[])[],
  target: string,
  others: readonly string[],
): SeenAs {
  if (verdicts.length < MIN_OWN_TEXTS) return {};
  const key = languageKey(target);
  const excluded = new Set([key, 'und', ...others.map(languageKey)]);
  const counts = new Map<IdentifierName, Map<string, number>>();
  for (const list of verdicts)
    for (const v of list) {
      if (!v.sure) continue;
      const code = languageKey(v.code);
      if (excluded.has(code)) continue;
      const byCode = counts.get(v.by) ?? new Map<string, number>();
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
      counts.set(v.by, byCode);
    }
  const out: SeenAs = {};
  for (const [by, byCode] of counts) {
    const codes = [...byCode].filter(([, n]) => n >= SEEN_AS_SHARE * verdicts.length).map(([c]) => c);
    if (codes.length) out[by] = codes.sort();
  }
  return out;
}

/** lid.176's labels and their ISO codes (its `languages.json`), as one set. */
export function lidKnownCodes(knownCodes: Record<string, { alpha3: string; alpha2: string | null }>): Set<string> {
  const known = new Set<string>();
  for (const [raw, codes] of Object.entries(knownCodes)) {
    known.add(raw);
    known.add(codes.alpha3);
    if (codes.alpha2) known.add(codes.alpha2);
  }
  return known;
}

/** Whether lid.176 (its codes as {@link lidKnownCodes} gives them) can recognise a task language. */
export function lidKnows(known: ReadonlySet<string>, code: string): boolean {
  const base = code.toLocaleLowerCase().split(/[-_]/)[0] ?? '';
  return known.has(base) || known.has(findLanguage(base)?.iso6393 ?? '');
}

/** The languages CLD3 names (its `task_context_params`), ISO 639-1 where one exists (`iw` is Hebrew). */
export const CLD3_CODES: readonly string[] = [
  'af',
  'am',
  'ar',
  'az',
  'be',
  'bg',
  'bn',
  'bs',
  'ca',
  'ceb',
  'co',
  'cs',
  'cy',
  'da',
  'de',
  'el',
  'en',
  'eo',
  'es',
  'et',
  'eu',
  'fa',
  'fi',
  'fil',
  'fr',
  'fy',
  'ga',
  'gd',
  'gl',
  'gu',
  'ha',
  'haw',
  'hi',
  'hmn',
  'hr',
  'ht',
  'hu',
  'hy',
  'id',
  'ig',
  'is',
  'it',
  'iw',
  'ja',
  'jv',
  'ka',
  'kk',
  'km',
  'kn',
  'ko',
  'ku',
  'ky',
  'la',
  'lb',
  'lo',
  'lt',
  'lv',
  'mg',
  'mi',
  'mk',
  'ml',
  'mn',
  'mr',
  'ms',
  'mt',
  'my',
  'ne',
  'nl',
  'no',
  'ny',
  'pa',
  'pl',
  'ps',
  'pt',
  'ro',
  'ru',
  'sd',
  'si',
  'sk',
  'sl',
  'sm',
  'sn',
  'so',
  'sq',
  'sr',
  'st',
  'su',
  'sv',
  'sw',
  'ta',
  'te',
  'tg',
  'th',
  'tr',
  'uk',
  'ur',
  'uz',
  'vi',
  'xh',
  'yi',
  'yo',
  'zh',
  'zu',
];

const CLD3_KEYS = new Set(CLD3_CODES.map(languageKey));

/**
 * Which identifiers know a task language (none: its texts are not checked).
 * @param lidKnowsCode whether lid.176 knows a code
 * @param cld3 whether CLD3 is there
 */
export function identifiersFor(
  code: string,
  lidKnowsCode: ((code: string) => boolean) | null,
  cld3: boolean,
): IdentifierName[] {
  const out: IdentifierName[] = [];
  if (cld3 && CLD3_KEYS.has(languageKey(code))) out.push('cld3');
  if (lidKnowsCode && (lidKnowsCode(code) || lidKnowsCode(languageKey(code)))) out.push('lid176');
  return out;
}

/** Whether a sample is one of the task's own texts the check learns from: a seed, or human-written training or validation text (never test). */
export const isOwnText = (s: { split: string; source: string }): boolean =>
  s.split === 'seed' || ((s.split === 'train' || s.split === 'validation') && s.source === 'human');
