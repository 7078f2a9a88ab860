import { describe, expect, it } from 'vitest';
import { identifiersFor, judgeLanguage, languageKey, learnSeenAs, type Verdict } from './language-check';

const v = (by: Verdict['by'], code: string, confidence: number, sure = true): Verdict => ({
  by,
  code,
  confidence,
  sure,
});

describe('language check rules', () => {
  it('compares individual languages with the macrolanguage the identifiers name', () => {
    expect(languageKey('swh')).toBe('sw');
    expect(languageKey('sw')).toBe('sw');
    expect(languageKey('arb')).toBe('ar');
    expect(languageKey('ha-NG')).toBe('ha');
    expect(languageKey('tl')).toBe('fil');
  });

  it('accepts on a sure verdict for the language, rejects on a sure verdict for another, and lets unsure texts through', () => {
    expect(judgeLanguage([v('cld3', 'sw', 0.99)], 'swh').matches).toBe(true);
    // One identifier sure of the language is enough, even if another is sure of something else.
    expect(judgeLanguage([v('cld3', 'en', 0.95), v('lid176', 'sw', 0.8)], 'sw').matches).toBe(true);
    const rejected = judgeLanguage([v('cld3', 'ha', 0.92), v('lid176', 'en', 0.7)], 'sw');
    expect(rejected).toEqual({ matches: false, verdict: v('cld3', 'ha', 0.92) });
    // An unsure verdict naming the language does not save a text another identifier is sure of.
    expect(judgeLanguage([v('cld3', 'ha', 0.95), v('lid176', 'sw', 0.12, false)], 'sw').matches).toBe(false);
    expect(judgeLanguage([v('cld3', 'ha', 0.6, false)], 'sw')).toEqual({ matches: true, verdict: null });
    // A code the task's own texts are often given counts as the language, for that identifier only.
    expect(judgeLanguage([v('cld3', 'vi', 0.97)], 'yo', { cld3: ['vi'] }).matches).toBe(true);
    expect(judgeLanguage([v('lid176', 'vi', 0.97)], 'yo', { cld3: ['vi'] }).matches).toBe(false);
  });

  it('learns the codes an identifier gives a language’s own texts, but never another task language', () => {
    const yoruba = [
      ...Array.from({ length: 8 }, () => [v('cld3', 'vi', 0.95), v('lid176', 'yo', 0.9)]),
      ...Array.from({ length: 3 }, () => [v('cld3', 'ig', 0.95), v('lid176', 'yo', 0.9)]),
      [v('cld3', 'yo', 0.99)],
      [v('cld3', 'az', 0.5, false)],
    ];
    expect(learnSeenAs(yoruba, 'yo', ['ha'])).toEqual({ cld3: ['vi', 'ig'].sort() });
    // Igbo is another language of the task: its texts must still be caught.
    expect(learnSeenAs(yoruba, 'yo', ['ig'])).toEqual({ cld3: ['vi'] });
    // Too few own texts to learn from.
    expect(learnSeenAs(yoruba.slice(0, 9), 'yo', [])).toEqual({});
  });

  it('says which identifiers know a language', () => {
    const lidKnows = (c: string) => ['en', 'sw', 'yo'].includes(c);
    expect(identifiersFor('ha', lidKnows, true)).toEqual(['cld3']);
    expect(identifiersFor('swh', lidKnows, true)).toEqual(['cld3', 'lid176']);
    expect(identifiersFor('yo', lidKnows, false)).toEqual(['lid176']);
    expect(identifiersFor('gn', lidKnows, true)).toEqual([]);
  });
});
