import { describe, expect, it } from 'vitest';
import { AnswerMatches } from './answer-matches';

describe('answer sets matched for the Evaluate view', () => {
  const items = [
    { sampleId: 's1', text: 'Mechi imeahirishwa' },
    { sampleId: 's2', text: 'Bunge limepitisha sheria' },
  ];
  const labels = ['sports', 'politics'];
  const set = {
    rows: [
      { id: null, text: 'Mechi imeahirishwa', answer: 'This is about sports.' },
      { id: 's2', text: null, answer: '{"label": "politics"}' },
    ],
  };

  it('matches a set once while it, the test texts and the labels stay the same', () => {
    const matches = new AnswerMatches();
    const first = matches.of(set, items, labels);
    expect(first.predictions).toEqual(['sports', 'politics']);
    // Same set, items and labels (a new but equal label list): the same result, not worked out again.
    expect(matches.of(set, items, [...labels])).toBe(first);
    // Other test texts: matched again.
    const fewer = matches.of(set, items.slice(0, 1), labels);
    expect(fewer).not.toBe(first);
    expect(fewer.predictions).toEqual(['sports']);
    // Other labels: matched again ("sports" is no longer one).
    expect(matches.of(set, items, ['politics', 'health']).predictions).toEqual([null, 'politics']);
    // A set read again from storage (a new record): matched again, to the same answers.
    const reread = matches.of(structuredClone(set), items, labels);
    expect(reread).not.toBe(first);
    expect(reread.predictions).toEqual(first.predictions);
  });
});
