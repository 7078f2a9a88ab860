/**
 * @file The packed n-gram feature store gives exactly the counts `countNgrams` gives, and a
 * model trained from it is the same whether its blocks (counts and TF-IDF rows) stay in memory
 * or go to the CLI's temporary file.
 */
import { describe, expect, it } from 'vitest';
import { FileSpill } from '../../scripts/cli-io';
import { DEFAULT_NGRAM, countNgrams } from '../../src/lib/ml/ngram';
import { NgramFeatureStore, unpackCounts } from '../../src/lib/ml/ngram-store';
import { ngramStepsOn, trainNgram } from '../../src/lib/ml/ngram-student';
import { runToEnd } from '../../src/lib/ml/training';

const TEXTS = [
  'Timu ya taifa imeshinda mechi ya leo',
  'Bunge limepitisha sheria mpya ya kodi',
  'Hospitali mpya imefunguliwa mjini',
  // One word 300 times: a count over 255 takes the store's long form.
  Array.from({ length: 300 }, () => 'goli').join(' '),
  'Ὦ ξεῖν’, ἀγγέλλειν Λακεδαιμονίοις ὅτι τῇδε κείμεθα',
  'ሰላም ለዓለም ሁሉ',
  '',
];

function storeOf(texts: readonly string[], y: readonly number[], options = {}) {
  const store = new NgramFeatureStore(DEFAULT_NGRAM, options);
  texts.forEach((t, i) => store.add(t, y[i] as number));
  store.finish();
  return store;
}

describe('the n-gram feature store', () => {
  it('unpacks every row to exactly what countNgrams gives, counts over 255 included', () => {
    const store = storeOf(
      TEXTS,
      TEXTS.map(() => 0),
      { blockRows: 3 },
    );
    expect(store.blockCount).toBe(3);
    const idx = new Uint32Array(store.maxFeatures);
    const counts = new Uint32Array(store.maxFeatures);
    const df = new Map<number, number>();
    TEXTS.forEach((text, i) => {
      const b = Math.floor(i / 3);
      const n = unpackCounts(store.block(b), i - store.range(b).first, idx, counts);
      const x = countNgrams(text, DEFAULT_NGRAM);
      expect(n).toBe(x.size);
      expect([...idx.subarray(0, n)]).toEqual([...x.keys()]);
      expect([...counts.subarray(0, n)]).toEqual([...x.values()]);
      for (const h of x.keys()) df.set(h, (df.get(h) ?? 0) + 1);
    });
    expect(new Map(store.documentFrequency())).toEqual(df);
    // Past a number of buckets the frequencies move to one array: the same numbers.
    const dense = storeOf(
      TEXTS,
      TEXTS.map(() => 0),
      { denseAfter: 10 },
    );
    expect(new Map(dense.documentFrequency())).toEqual(df);
  });

  it('trains the same model with its blocks in a temporary file as in memory', () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `mechi goli timu ${i}` : i % 3 === 1 ? `bunge sheria kura ${i}` : `hospitali dawa daktari ${i}`,
    );
    const y = texts.map((_, i) => i % 3);
    const labels = ['health', 'politics', 'sports'];
    const spill = new FileSpill();
    try {
      const spilled = storeOf(texts, y, { blockRows: 64, memoryBytes: 0, spill });
      expect(spilled.spilledBlocks).toBe(5);
      const inMemory = storeOf(texts, y, { blockRows: 64 });
      const a = runToEnd(ngramStepsOn(spilled, labels, { seed: 3, epochs: 5 }));
      // Count blocks and TF-IDF blocks both went to the file.
      expect(spill.count).toBe(10);
      const b = runToEnd(ngramStepsOn(inMemory, labels, { seed: 3, epochs: 5 }));
      expect(spill.bytes).toBeGreaterThan(0);
      expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
      expect([...a.bias]).toEqual([...b.bias]);
      expect(a.temperature).toBe(b.temperature);
    } finally {
      spill.dispose();
    }
  });

  it('trains the same model when document frequencies and columns are kept in arrays over every bucket', () => {
    const texts = Array.from({ length: 90 }, (_, i) => `${['goli timu', 'kura bunge', 'dawa daktari'][i % 3]} ${i}`);
    const y = texts.map((_, i) => i % 3);
    const labels = ['health', 'politics', 'sports'];
    const dense = storeOf(texts, y, { denseAfter: 0 });
    expect(dense.denseFrequencies).toBe(true);
    const sparse = storeOf(texts, y);
    expect(sparse.denseFrequencies).toBe(false);
    const a = runToEnd(ngramStepsOn(dense, labels, { seed: 2 }));
    const b = runToEnd(ngramStepsOn(sparse, labels, { seed: 2 }));
    expect([...a.features]).toEqual([...b.features]);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
  });

  it('trains from texts what it trains from a one-block store of the same texts', () => {
    const texts = Array.from({ length: 120 }, (_, i) => `${i % 2 ? 'goli timu' : 'kura bunge'} ${i}`);
    const names = texts.map((_, i) => (i % 2 ? 'sports' : 'politics'));
    const labels = ['politics', 'sports'];
    const fromTexts = trainNgram(texts, names, labels, { seed: 5, epochs: 4 });
    const store = storeOf(
      texts,
      names.map((n) => labels.indexOf(n)),
    );
    const fromStore = runToEnd(ngramStepsOn(store, labels, { seed: 5, epochs: 4 }));
    expect(Buffer.from(fromTexts.weights.buffer).equals(Buffer.from(fromStore.weights.buffer))).toBe(true);
  });
});
