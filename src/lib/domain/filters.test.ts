import { describe, expect, it } from 'vitest';
import { checkCandidate, DEFAULT_FILTERS, describeRejection, jaccard, TextIndex, trigrams } from './filters';

const ctx = (index = new TextIndex()) => ({ label: 'sports', language: 'sw', index });

describe('checkCandidate', () => {
  it('accepts a good text', () => {
    expect(checkCandidate('Simba imeshinda mechi ya jana usiku.', ctx())).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty'],
    ['Goli!', 'too-short'],
    ['neno '.repeat(300), 'too-long'],
    ['Timu ya sports imeshinda leo.', 'label-leak'],
  ])('rejects %j as %s', (text, reason) => {
    expect(checkCandidate(text, ctx())).toMatchObject({ ok: false, reason });
  });

  it('does not see a label inside another word', () => {
    expect(checkCandidate('Wanasportsmen walikimbia mbio ndefu.', ctx())).toEqual({ ok: true });
  });

  it('counts characters for scripts without spaces', () => {
    expect(checkCandidate('ทีมฟุตบอลชนะการแข่งขันเมื่อวานนี้', ctx())).toEqual({ ok: true });
  });

  it('finds exact duplicates up to case and spacing, and near duplicates in the same language', () => {
    const index = new TextIndex();
    index.add('Simba imeshinda mechi ya jana usiku.', 'sw');
    expect(checkCandidate('  simba imeshinda MECHI ya jana usiku. ', ctx(index))).toMatchObject({
      reason: 'duplicate',
    });
    expect(checkCandidate('Simba imeshinda mechi ya jana usiku!', ctx(index))).toMatchObject({
      reason: 'near-duplicate',
    });
    expect(checkCandidate('Simba imeshinda mechi ya jana usiku!', { ...ctx(index), language: 'ha' })).toEqual({
      ok: true,
    });
    expect(checkCandidate('Yanga imepoteza mchezo wa kirafiki.', ctx(index))).toEqual({ ok: true });
  });

  it('rejects another language only when the identifier knows the language', () => {
    const wrong = { matches: false, detected: 'English', confidence: 0.93 };
    expect(checkCandidate('The team won the match last night.', { ...ctx(), languageCheck: wrong })).toEqual({
      ok: false,
      reason: 'wrong-language',
      detail: 'identified as English (93% sure)',
    });
    expect(checkCandidate('The team won the match last night.', { ...ctx(), languageCheck: null })).toEqual({
      ok: true,
    });
    expect(
      checkCandidate(
        'The team won the match.',
        { ...ctx(), languageCheck: wrong },
        { ...DEFAULT_FILTERS, language: false },
      ),
    ).toEqual({
      ok: true,
    });
  });
});

describe('describeRejection', () => {
  it('names the reason in words and keeps the detail', () => {
    expect(describeRejection('label-leak: the text contains its label “sports”')).toBe(
      'names its label: the text contains its label “sports”',
    );
    expect(describeRejection('near-duplicate')).toBe('near duplicate');
    expect(describeRejection(undefined)).toBe('rejected by a quality filter');
  });
});

describe('trigram similarity', () => {
  it('is 1 for equal texts and low for unrelated ones', () => {
    expect(jaccard(trigrams('Habari za leo'), trigrams('habari  za LEO'))).toBe(1);
    expect(jaccard(trigrams('Habari za leo'), trigrams('Ina kwana lafiya'))).toBeLessThan(0.1);
  });
});
