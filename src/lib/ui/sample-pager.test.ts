import { describe, expect, it } from 'vitest';
import { storedSample } from '../../../tests/fixtures/stored-sample';
import { statsOf } from '../domain/sample-stats';
import { countFromStats } from './sample-pager.svelte';

const sample = storedSample;

describe('counting a filter from the kept counts', () => {
  const samples = [
    sample(1, {}),
    sample(2, { source: 'human', flags: ['mislabelled'] }),
    sample(3, { label: 'health', split: 'test', source: 'human' }),
    sample(4, { deletedAt: 9, flags: ['rejected'] }),
    sample(5, { deletedAt: 9, source: 'human' }),
    sample(6, { language: 'ha', flags: ['mislabelled'] }),
  ];
  const stats = statsOf(samples);
  // The same filter applied to the samples themselves.
  const byReading = (q: Parameters<typeof countFromStats>[1]) =>
    samples.filter(
      (s) =>
        (q.deleted ? s.deletedAt !== null : s.deletedAt === null) &&
        (q.split === undefined || s.split === q.split) &&
        (q.language === undefined || s.language === q.language) &&
        (q.label === undefined || s.label === q.label) &&
        (q.source === undefined || s.source === q.source) &&
        (q.flag === undefined || s.flags.includes(q.flag)),
    ).length;

  it('answers every filter but a text search, live or removed, as reading the samples would', () => {
    const queries = [
      {},
      { split: 'train' as const },
      { source: 'human' as const },
      { source: 'human' as const, split: 'test' as const },
      { flag: 'mislabelled' },
      { flag: 'mislabelled', language: 'sw' },
      { deleted: true },
      { deleted: true, flag: 'rejected' },
      { deleted: true, source: 'human' as const },
      { label: 'health' },
    ];
    for (const q of queries) expect(countFromStats(stats, q), JSON.stringify(q)).toBe(byReading(q));
    expect(countFromStats(stats, { flag: 'mislabelled' })).toBe(2);
  });

  it('leaves a text search to a count that reads the samples', () => {
    expect(countFromStats(stats, { search: 'text' })).toBeNull();
    expect(countFromStats(stats, { search: '  ' })).toBe(4);
  });
});
