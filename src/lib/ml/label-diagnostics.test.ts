import { describe, expect, it } from 'vitest';
import { createRng } from '../domain/random';
import { cosine } from '../domain/probe-texts';
import {
  crossLabelDuplicates,
  findMislabelled,
  searchCrossLabelDuplicates,
  labelOverlap,
  ngramOutOfFoldSteps,
  ngramOutOfFoldWith,
  scoreMislabels,
  thinLanguages,
} from './label-diagnostics';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import { trainNgram } from './ngram-student';

const LABELS = ['sports', 'politics', 'health', 'science'];

/** Clustered embeddings (one centre per label, noisy) with a share of labels flipped at random. */
function planted(n: number, noise: number, seed: number) {
  const rng = createRng(seed);
  const dim = 24;
  const centres = LABELS.map(() => Float32Array.from({ length: dim }, () => rng() * 2 - 1));
  const xs: Float32Array[] = [];
  const truth: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % LABELS.length;
    xs.push(Float32Array.from(centres[c] as Float32Array, (v) => v + (rng() - 0.5) * 1.4));
    truth.push(LABELS[c] as string);
  }
  const ys = [...truth];
  const flipped = new Set<number>();
  while (flipped.size < Math.round(n * noise)) {
    const i = Math.floor(rng() * n);
    if (flipped.has(i)) continue;
    const others = LABELS.filter((l) => l !== truth[i]);
    ys[i] = others[Math.floor(rng() * others.length)] as string;
    flipped.add(i);
  }
  return { xs, ys, truth, flipped };
}

describe('label diagnostics', () => {
  it.each([1, 2, 3])('finds at least 80% of planted label flips among the top 2×noise flags (seed %i)', (seed) => {
    const { xs, ys, truth, flipped } = planted(400, 0.1, seed);
    const flags = findMislabelled(xs, ys, LABELS, { seed });
    const top = flags.slice(0, 2 * flipped.size);
    const found = top.filter((f) => flipped.has(f.index));
    expect(found.length / flipped.size).toBeGreaterThanOrEqual(0.8);
    // Where a flip is found, the suggestion is mostly the true label.
    const right = found.filter((f) => f.suggested === truth[f.index]).length;
    expect(right / found.length).toBeGreaterThanOrEqual(0.8);
    for (const f of flags) expect(f.suggested).not.toBe(f.given);
  });

  it('ranks first the given label furthest below its usual confidence, not the widest margin', () => {
    const p = (...v: number[]) => Float64Array.from(v);
    const probs = [p(0.9, 0.1), p(0.9, 0.1), p(0.9, 0.1), p(0.3, 0.7), p(0.6, 0.4), p(0.6, 0.4), p(0.85, 0.15)];
    const ys = ['a', 'a', 'a', 'a', 'b', 'b', 'b'];
    // Usual confidence: a = 3.0 / 4 = 0.75, b = 0.95 / 3. Sample 3 ("a" at 0.3, margin 0.4) is
    // further below its usual than sample 6 ("b" at 0.15, margin 0.7).
    const ranked = scoreMislabels(probs, ys, ['a', 'b']);
    expect(ranked.map((c) => c.index)).toEqual([3, 6, 4, 5]);
    expect(ranked[0]?.score).toBeCloseTo(1 - 0.3 / 0.75, 9);
    expect(ranked[1]?.score).toBeCloseTo(1 - 0.15 / (0.95 / 3), 9);
    expect(ranked[1]).toMatchObject({ given: 'b', suggested: 'a', pGiven: 0.15, pSuggested: 0.85 });
  });

  it('flags nothing worth much on clean labels', () => {
    const { xs, truth } = planted(400, 0, 4);
    const flags = findMislabelled(xs, truth, LABELS);
    expect(flags.length).toBeLessThan(20);
  });

  it('finds near-duplicates across labels, overlapping labels and thin languages', () => {
    const a = Float32Array.from([1, 0, 0]);
    const b = Float32Array.from([0.99, 0.05, 0]);
    const c = Float32Array.from([0, 1, 0]);
    expect(crossLabelDuplicates([a, b, c], ['sports', 'politics', 'sports'])).toEqual([
      { a: 0, b: 1, similarity: expect.closeTo(0.9987, 3) as number },
    ]);
    expect(crossLabelDuplicates([a, b], ['sports', 'sports'])).toEqual([]);
    const overlap = labelOverlap([a, b, c], ['sports', 'politics', 'health'], ['sports', 'politics', 'health']);
    expect(overlap[0]).toMatchObject({ a: 'sports', b: 'politics' });
    const samples = [
      ...Array.from({ length: 40 }, () => ({ language: 'sw', text: 'Timu ya taifa ilishinda mechi ya jana.' })),
      ...Array.from({ length: 38 }, () => ({ language: 'ha', text: 'Kungiyar kasa ta lashe wasan jiya.' })),
      ...Array.from({ length: 9 }, () => ({ language: 'yo', text: 'Ẹgbẹ́ wa borí.' })),
    ];
    expect(thinLanguages(samples)).toEqual([{ language: 'yo', count: 9, meanLength: 14, fewer: true, shorter: true }]);
    // A task language with no sample at all is reported too, and does not skew the others' lengths.
    expect(thinLanguages(samples, ['sw', 'ha', 'yo', 'am'])).toEqual([
      { language: 'am', count: 0, meanLength: 0, fewer: true, shorter: true },
      { language: 'yo', count: 9, meanLength: 14, fewer: true, shorter: true },
    ]);
  });
});

describe('cross-label duplicates at scale', () => {
  it('finds exactly the pairs comparing every pair one by one finds, across block edges', () => {
    const rng = createRng(9);
    const dim = 37;
    const labels = ['a', 'b', 'c'];
    // 1,300 vectors (more than a block of rows, more than one of columns), a fifth of them
    // near copies of an earlier one, of any length, and one zero vector.
    const xs: Float32Array[] = [];
    for (let i = 0; i < 1300; i++) {
      const base = i > 10 && rng() < 0.2 ? (xs[Math.floor(rng() * i)] as Float32Array) : null;
      const scale = 0.5 + rng() * 3;
      xs.push(
        Float32Array.from({ length: dim }, (_, j) =>
          base ? ((base[j] as number) + (rng() - 0.5) * 0.05) * scale : (rng() - 0.5) * scale,
        ),
      );
    }
    xs[500] = new Float32Array(dim);
    const ys = xs.map(() => labels[Math.floor(rng() * labels.length)] as string);
    const expected: { a: number; b: number }[] = [];
    for (let a = 0; a < xs.length; a++)
      for (let b = a + 1; b < xs.length; b++)
        if (ys[a] !== ys[b] && cosine(xs[a] as Float32Array, xs[b] as Float32Array) >= 0.95) expected.push({ a, b });
    const found = crossLabelDuplicates(xs, ys, 0.95);
    expect(expected.length).toBeGreaterThan(20);
    const key = (p: { a: number; b: number }) => `${p.a}-${p.b}`;
    expect(new Set(found.map(key))).toEqual(new Set(expected.map(key)));
    for (const p of found)
      expect(p.similarity).toBeCloseTo(cosine(xs[p.a] as Float32Array, xs[p.b] as Float32Array), 4);
    // Most similar first.
    expect(found.map((p) => p.similarity)).toEqual([...found.map((p) => p.similarity)].sort((p, q) => q - p));
  });

  /** Embedding-like vectors: 12 noisy clusters (cosine about 0.7 inside one), 2% near copies under any label. */
  function clustered(n: number, seed: number, dim = 96) {
    const rng = createRng(seed);
    const centres = Array.from({ length: 12 }, () => Float32Array.from({ length: dim }, () => rng() - 0.5));
    const xs: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      const copy = i > 0 && rng() < 0.02 ? (xs[Math.floor(rng() * i)] as Float32Array) : null;
      const centre = centres[Math.floor(rng() * centres.length)] as Float32Array;
      xs.push(
        Float32Array.from({ length: dim }, (_, j) =>
          copy ? (copy[j] as number) + (rng() - 0.5) * 0.03 : (centre[j] as number) + (rng() - 0.5) * 0.6,
        ),
      );
    }
    xs[7] = new Float32Array(dim);
    const ys = xs.map(() => `l${Math.floor(rng() * 5)}`);
    return { xs, ys };
  }
  const pairKeys = (pairs: { a: number; b: number }[]) => new Set(pairs.map((p) => `${p.a}-${p.b}`));

  it('hashes large inputs, comparing far fewer pairs, and finds the same pairs as comparing every pair', () => {
    const { xs, ys } = clustered(3000, 5);
    const exact = searchCrossLabelDuplicates(xs, ys, 0.97, { exactUpTo: Infinity });
    const hashed = searchCrossLabelDuplicates(xs, ys, 0.97, { exactUpTo: 1000 });
    expect(exact.plan.method).toBe('every pair');
    expect(hashed.plan.method).toBe('hashing');
    expect(hashed.plan.compared).toBeLessThan(exact.plan.compared / 10);
    expect(exact.pairs.length).toBeGreaterThan(20);
    expect(pairKeys(hashed.pairs)).toEqual(pairKeys(exact.pairs));
    for (const p of hashed.pairs)
      expect(p.similarity).toBeCloseTo(cosine(xs[p.a] as Float32Array, xs[p.b] as Float32Array), 4);
    expect(hashed.pairs.map((p) => p.similarity)).toEqual(
      [...hashed.pairs.map((p) => p.similarity)].sort((p, q) => q - p),
    );
    // Seeded: the same input gives the same answer.
    expect(searchCrossLabelDuplicates(xs, ys, 0.97, { exactUpTo: 1000 }).pairs).toEqual(hashed.pairs);
  });

  it('compares every pair when the vectors are too alike for hashing to save work', () => {
    // Every vector close to one direction: most pairs are above 0.9, so hashing would compare them all anyway.
    const rng = createRng(2);
    const xs = Array.from({ length: 1500 }, () =>
      Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? 5 : rng() - 0.5)),
    );
    const ys = xs.map((_, i) => `l${i % 3}`);
    const result = searchCrossLabelDuplicates(xs, ys, 0.9, { exactUpTo: 100 });
    expect(result.plan.method).toBe('every pair');
    expect(pairKeys(result.pairs)).toEqual(
      pairKeys(searchCrossLabelDuplicates(xs, ys, 0.9, { exactUpTo: Infinity }).pairs),
    );
  });
});

describe('the n-gram student out of fold', () => {
  it('gives the same probabilities whoever trains the folds (e.g. on solver workers)', async () => {
    const { rows } = noisyLabelledTexts(20, 0.1, 5);
    const texts = rows.map((r) => r.text);
    const ys = rows.map((r) => r.label);
    const labels = [...new Set(ys)].sort();
    const steps = ngramOutOfFoldSteps(texts, ys, labels, 5, 2);
    let r = steps.next();
    while (!r.done) r = steps.next();
    const folds: number[] = [];
    const trained: number[] = [];
    const viaTrainer = await ngramOutOfFoldWith(
      texts,
      ys,
      labels,
      async (t, y, options) => {
        trained.push(t.length);
        return trainNgram(t, y, labels, options);
      },
      5,
      2,
      (done) => folds.push(done),
    );
    expect(folds).toEqual([1, 2, 3, 4, 5]);
    expect(trained).toEqual([48, 48, 48, 48, 48]);
    expect(viaTrainer.map((p) => Array.from(p))).toEqual(r.value.map((p) => Array.from(p)));
  });
});
