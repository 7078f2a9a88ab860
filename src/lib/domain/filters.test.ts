import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkCandidate,
  DEFAULT_FILTERS,
  jaccard,
  migrateRejectionMeta,
  readRejection,
  rejectionMeta,
  TextIndex,
  trigrams,
} from './filters';
import { describeRejection } from '../ui/reasons';

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
    expect(checkCandidate(text, ctx())).toMatchObject({ ok: false, rejection: { reason } });
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
      rejection: { reason: 'duplicate' },
    });
    expect(checkCandidate('Simba imeshinda mechi ya jana usiku!', ctx(index))).toMatchObject({
      rejection: { reason: 'near-duplicate' },
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
      rejection: { reason: 'wrong-language', language: 'English', percent: 93 },
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

describe('rejections', () => {
  it('are stored as a code with its values, and read back in the UI language of today', () => {
    const meta = rejectionMeta({ reason: 'too-short', words: 2, min: 3 });
    expect(meta).toEqual({ rejected: 'too-short', rejectedWith: '{"words":2,"min":3}' });
    expect(readRejection(meta, 'sports')).toEqual({ reason: 'too-short', words: 2, min: 3 });
    expect(describeRejection(readRejection(meta, 'sports'))).toBe('too short: 2 words; at least 3 are needed');
    expect(rejectionMeta({ reason: 'duplicate' })).toEqual({ rejected: 'duplicate' });
    expect(describeRejection(null)).toBe('rejected by a quality filter');
  });

  it('reads the sentences earlier versions stored, in English or French, and migrates them to codes', () => {
    const old = (rejected: string) => ({ generator: 'recorded:x', rejected });
    expect(readRejection(old('too-short: 2 words; at least 3 are needed'), 'sports')).toEqual({
      reason: 'too-short',
      words: 2,
      min: 3,
    });
    expect(readRejection(old('too-long: 1,204 characters; at most 1,000'), 'x')).toEqual({
      reason: 'too-long',
      chars: 1204,
      max: 1000,
    });
    expect(readRejection(old('near-duplicate: 91 % semblable à un texte déjà dans la tâche'), 'x')).toEqual({
      reason: 'near-duplicate',
      percent: 91,
    });
    expect(readRejection(old('wrong-language: identified as Swahili (87% sure)'), 'x')).toEqual({
      reason: 'wrong-language',
      language: 'Swahili',
      percent: 87,
    });
    expect(readRejection(old('label-leak: the text contains its label “sports”'), 'sports')).toEqual({
      reason: 'label-leak',
      label: 'sports',
    });
    expect(migrateRejectionMeta(old('duplicate: the same text is already in the task'), 'x')).toEqual({
      generator: 'recorded:x',
      rejected: 'duplicate',
    });
    expect(migrateRejectionMeta(old('too-short: 1 word; at least 3 are needed'), 'x')).toEqual({
      generator: 'recorded:x',
      rejected: 'too-short',
      rejectedWith: '{"words":1,"min":3}',
    });
    const today = rejectionMeta({ reason: 'near-duplicate', percent: 90 });
    expect(migrateRejectionMeta(today, 'x')).toBe(today);
    expect(migrateRejectionMeta(undefined, 'x')).toBeUndefined();
  });
});

describe('trigram similarity', () => {
  it('is 1 for equal texts and low for unrelated ones', () => {
    expect(jaccard(trigrams('Habari za leo'), trigrams('habari  za LEO'))).toBe(1);
    expect(jaccard(trigrams('Habari za leo'), trigrams('Ina kwana lafiya'))).toBeLessThan(0.1);
  });
});

describe('the near-duplicate index', () => {
  /** Every similarity by brute force, as the index promises to find it. */
  const brute = (texts: string[], query: string) =>
    Math.max(0, ...texts.map((t) => jaccard(trigrams(t), trigrams(query))));

  it('finds exactly what comparing with every text finds, at or above the threshold', () => {
    const words = ['simba', 'yanga', 'mechi', 'jana', 'usiku', 'goli', 'timu', 'kocha', 'bao', 'ligi', 'kuu', 'leo'];
    const sentence = fc.array(fc.constantFrom(...words), { minLength: 3, maxLength: 9 }).map((w) => w.join(' '));
    // Near copies: a word dropped, doubled or changed, so many pairs sit around the threshold.
    const texts = fc.array(sentence, { minLength: 1, maxLength: 40 }).chain((base) =>
      fc
        .array(
          fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 8 }), fc.constantFrom(...words), fc.boolean()),
          { maxLength: 40 },
        )
        .map((edits) => [
          ...base,
          ...edits.map(([i, at, word, drop]) => {
            const w = (base[i] as string).split(' ');
            if (drop && w.length > 1) w.splice(at % w.length, 1);
            else w.splice(at % (w.length + 1), 0, word);
            return w.join(' ');
          }),
        ]),
    );
    fc.assert(
      fc.property(texts, fc.constantFrom(0.6, 0.85, 0.95), (all, t) => {
        const index = new TextIndex(t);
        const added: string[] = [];
        for (const text of all) {
          const expected = brute(added, text);
          const found = index.maxSimilarity(text, 'sw');
          if (expected >= t) expect(found).toBeCloseTo(expected, 12);
          else expect(found).toBeLessThan(t);
          // Asking about a lower similarity than the index was built for compares with every text.
          expect(index.maxSimilarity(text, 'sw', t / 2)).toBeCloseTo(added.length ? expected : 0, 12);
          index.add(text, 'sw');
          added.push(text);
        }
      }),
      { numRuns: 150 },
    );
  });
});
