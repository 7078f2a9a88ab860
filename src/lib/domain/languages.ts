/**
 * @file Every ISO 639-3 language (from the `iso-639-3` package: ~7,900 entries), searchable
 * by name or code, with the code we store (ISO 639-1 where one exists, as BCP-47 prefers)
 * and the writing direction.
 */
import { iso6393 } from 'iso-639-3';
import type { TaskLanguage } from './task';

export interface LanguageEntry extends TaskLanguage {
  /** Three-letter ISO 639-3 code. */
  iso6393: string;
}

let all: LanguageEntry[] | null = null;

/** Living and constructed languages (historical and special codes are left out). */
export function allLanguages(): LanguageEntry[] {
  all ??= iso6393
    .filter((l) => (l.type === 'living' || l.type === 'constructed') && l.scope !== 'special')
    .map((l) => ({ code: l.iso6391 ?? l.iso6393, name: l.name, iso6393: l.iso6393 }));
  return all;
}

/**
 * Finds languages by code (exact, any form) or by name (prefix first, then anywhere).
 * @param query what the user typed
 * @param limit most results to return
 */
export function searchLanguages(query: string, limit = 20): LanguageEntry[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return [];
  const exact: LanguageEntry[] = [];
  const prefix: LanguageEntry[] = [];
  const inside: LanguageEntry[] = [];
  for (const l of allLanguages()) {
    const name = l.name.toLocaleLowerCase();
    if (l.code === q || l.iso6393 === q) exact.push(l);
    else if (name.startsWith(q) || name.split(/[\s(,-]+/).some((w) => w.startsWith(q))) prefix.push(l);
    else if (name.includes(q)) inside.push(l);
  }
  const byLength = (a: LanguageEntry, b: LanguageEntry) => a.name.length - b.name.length;
  return [...exact, ...prefix.sort(byLength), ...inside.sort(byLength)].slice(0, limit);
}

/** The language with this stored or ISO 639-3 code, if any. */
export function findLanguage(code: string): LanguageEntry | undefined {
  const c = code.trim().toLocaleLowerCase().split(/[-_]/)[0] ?? '';
  return allLanguages().find((l) => l.code === c || l.iso6393 === c);
}

/**
 * Languages usually written right to left (Arabic, Hebrew, Syriac, Thaana, N'Ko and
 * Adlam-script languages among them), by ISO 639-1 and 639-3 code.
 */
const RTL = new Set([
  'ar',
  'ara',
  'arb',
  'arz',
  'ary',
  'arq',
  'apc',
  'apd',
  'acm',
  'ajp',
  'aeb',
  'afb',
  'ars',
  'acq',
  'ayl',
  'ayp',
  'shu',
  'he',
  'heb',
  'yi',
  'yid',
  'ydd',
  'yih',
  'fa',
  'fas',
  'pes',
  'prs',
  'ur',
  'urd',
  'ps',
  'pus',
  'pbt',
  'pbu',
  'pst',
  'sd',
  'snd',
  'ug',
  'uig',
  'dv',
  'div',
  'ckb',
  'syr',
  'aii',
  'cld',
  'azb',
  'bal',
  'bcc',
  'bgp',
  'bqi',
  'glk',
  'lrc',
  'luz',
  'mzn',
  'sdh',
  'khw',
  'ks',
  'kas',
  'nqo',
  'skr',
  'hnd',
  'brh',
  'ota',
  'haz',
  'tly',
  'trw',
  'wbl',
]);

/** Right-to-left scripts, as BCP-47 script subtags. */
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg', 'mand', 'samr']);

/**
 * Writing direction for a language tag: the language's usual script, unless a script subtag
 * says otherwise (`pa-Arab` is right to left, `ha` left to right).
 */
export function directionOf(code: string): 'ltr' | 'rtl' {
  const [base = '', ...rest] = code.trim().toLocaleLowerCase().split(/[-_]/);
  const script = rest.find((s) => s.length === 4);
  if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return RTL.has(base) ? 'rtl' : 'ltr';
}
