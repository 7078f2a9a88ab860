/**
 * @file The generation job's near-duplicate filter at scale (issue 18): texts of one language
 * checked one after another against every text kept so far, then kept, as a generation job
 * does. The index (`domain/filters.ts` `TextIndex`, prefix filtering) against comparing with
 * every text (what it replaced), at growing sizes; the texts are every English text of the
 * seed paper's files and SIB-200, then copies with one word dropped and one word swapped with its
 * neighbour (seeded), so near duplicates occur at every size.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { jaccard, TextIndex, trigrams, DEFAULT_FILTERS } from '../../src/lib/domain/filters';
import { createRng } from '../../src/lib/domain/random';
import { cosine } from '../../src/lib/domain/probe-texts';
import { searchCrossLabelDuplicates } from '../../src/lib/ml/label-diagnostics';

const DATA = join(import.meta.dirname, '../../../shared/data');

/** Every English text we have, once each. */
function englishTexts(): string[] {
  const out = new Set<string>();
  for (const task of ['intent', 'sentiment', 'topic'])
    for (const file of ['en-train_full.csv', 'en-train_human_parsed.csv', 'en-test.csv']) {
      const rows = Papa.parse<{ text: string }>(readFileSync(join(DATA, 'paper', task, file), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      for (const r of rows) if (r.text?.trim()) out.add(r.text.trim());
    }
  for (const split of ['train', 'dev', 'test']) {
    const rows = Papa.parse<{ text: string }>(readFileSync(join(DATA, 'sib200', 'eng_Latn', `${split}.tsv`), 'utf8'), {
      header: true,
      delimiter: '\t',
      quoteChar: '\u0000',
      skipEmptyLines: true,
    }).data;
    for (const r of rows) if (r.text?.trim()) out.add(r.text.trim());
  }
  return [...out];
}

/** `count` texts: the originals, then edited copies of them (a word dropped, two swapped). */
export function duplicateBenchTexts(count: number, seed = 7): string[] {
  const base = englishTexts();
  const rng = createRng(seed);
  const out = base.slice(0, count);
  while (out.length < count) {
    const words = (base[Math.floor(rng() * base.length)] as string).split(/\s+/);
    if (words.length > 3) words.splice(Math.floor(rng() * words.length), 1);
    const i = Math.floor(rng() * (words.length - 1));
    [words[i], words[i + 1]] = [words[i + 1] as string, words[i] as string];
    out.push(words.join(' '));
  }
  return out;
}

export interface DuplicateRow {
  texts: number;
  /** Time to check and add every text with the index, ms. */
  indexMs: number;
  /** The same by comparing with every text kept, ms (null when not run at this size). */
  everyTextMs: number | null;
  /** How many texts were near duplicates (≥ the threshold) of an earlier one. */
  nearDuplicates: number;
  /** Whether both ways found the same texts (null when the slow way was not run). */
  agree: boolean | null;
}

/** Runs both ways at each size (the slow way only up to `slowUpTo`). */
export function nearDuplicateFigures(sizes = [1_000, 5_000, 10_000, 50_000], slowUpTo = 10_000): DuplicateRow[] {
  const t = DEFAULT_FILTERS.nearDuplicate;
  const all = duplicateBenchTexts(Math.max(...sizes));
  return sizes.map((n) => {
    const texts = all.slice(0, n);
    const start = performance.now();
    const index = new TextIndex(t);
    const flagged: boolean[] = [];
    for (const text of texts) {
      flagged.push(index.maxSimilarity(text, 'en') >= t);
      index.add(text, 'en');
    }
    const indexMs = performance.now() - start;
    let everyTextMs: number | null = null;
    let agree: boolean | null = null;
    if (n <= slowUpTo) {
      const s = performance.now();
      const kept: Set<string>[] = [];
      const slow: boolean[] = [];
      for (const text of texts) {
        const g = trigrams(text);
        let best = 0;
        for (const other of kept) best = Math.max(best, jaccard(g, other));
        slow.push(best >= t);
        kept.push(g);
      }
      everyTextMs = performance.now() - s;
      agree = slow.every((v, i) => v === flagged[i]);
    }
    return { texts: n, indexMs, everyTextMs, nearDuplicates: flagged.filter(Boolean).length, agree };
  });
}

export interface CrossLabelRow {
  samples: number;
  /** The label check's search as the app runs it (`searchCrossLabelDuplicates`), ms. */
  searchMs: number;
  method: string;
  /** Pairs the search compared exactly. */
  compared: number;
  /** Every pair in blocks with the SIMD kernels (the search before hashing), ms; null when not run. */
  everyPairMs: number | null;
  /** One pair at a time in JavaScript, ms; null when not run. */
  pairwiseMs: number | null;
  pairs: number;
  /** Whether the search found the same pairs as every-pair comparison. */
  agree: boolean | null;
}

/**
 * The label check's cross-label duplicate search on 384-dimensional unit vectors (12 noisy
 * clusters, 7 labels, 1% near copies under another label), seeded.
 */
export function crossLabelFigures(
  sizes = [2_000, 5_000, 20_000, 50_000],
  everyPairUpTo = 20_000,
  pairwiseUpTo = 5_000,
): CrossLabelRow[] {
  const dim = 384;
  return sizes.map((n) => {
    const rng = createRng(3);
    const centres = Array.from({ length: 12 }, () => Float32Array.from({ length: dim }, () => rng() - 0.5));
    const xs: Float32Array[] = [];
    const ys: string[] = [];
    for (let i = 0; i < n; i++) {
      const copy = i > 0 && rng() < 0.01 ? (xs[Math.floor(rng() * i)] as Float32Array) : null;
      const centre = centres[Math.floor(rng() * centres.length)] as Float32Array;
      xs.push(
        Float32Array.from({ length: dim }, (_, j) =>
          copy ? (copy[j] as number) + (rng() - 0.5) * 0.01 : (centre[j] as number) + (rng() - 0.5) * 0.6,
        ),
      );
      ys.push(`l${Math.floor(rng() * 7)}`);
    }
    let t = performance.now();
    const found = searchCrossLabelDuplicates(xs, ys, 0.97);
    const searchMs = performance.now() - t;
    const key = (pairs: { a: number; b: number }[]) =>
      pairs
        .map((p) => `${p.a}-${p.b}`)
        .sort()
        .join();
    let everyPairMs: number | null = null;
    let agree: boolean | null = null;
    if (n <= everyPairUpTo) {
      t = performance.now();
      const exact = searchCrossLabelDuplicates(xs, ys, 0.97, { exactUpTo: Infinity });
      everyPairMs = performance.now() - t;
      agree = key(exact.pairs) === key(found.pairs);
    }
    let pairwiseMs: number | null = null;
    if (n <= pairwiseUpTo) {
      t = performance.now();
      const slow: { a: number; b: number }[] = [];
      for (let a = 0; a < n; a++)
        for (let b = a + 1; b < n; b++)
          if (ys[a] !== ys[b] && cosine(xs[a] as Float32Array, xs[b] as Float32Array) >= 0.97) slow.push({ a, b });
      pairwiseMs = performance.now() - t;
      agree = (agree ?? true) && key(slow) === key(found.pairs);
    }
    const { plan } = found;
    return {
      samples: n,
      searchMs,
      method: plan.method === 'hashing' ? `hashing (${plan.bits} bits × ${plan.bands} bands)` : 'every pair',
      compared: plan.compared,
      everyPairMs,
      pairwiseMs,
      pairs: found.pairs.length,
      agree,
    };
  });
}

/** Section 13 of BENCHMARKS.md. */
export function nearDuplicateMarkdown(rows: DuplicateRow[] | null, cross: CrossLabelRow[] | null = null): string {
  if (!rows) return '';
  const s = (ms: number | null) => (ms === null ? 'not run (quadratic)' : (ms / 1000).toFixed(2));
  return `## 13. Near-duplicate filter at scale (one language)

The generation job's near-duplicate check (character-trigram Jaccard ≥ ${DEFAULT_FILTERS.nearDuplicate}, against every kept text of the same language) on English texts checked one after another and kept, as a job does (\`scripts/bench/near-duplicates.ts\`): every English text of the seed paper's files and SIB-200 (${englishTexts().length.toLocaleString('en')} distinct texts), then copies with a word dropped and two neighbours swapped, so near duplicates occur at every size. **Index**: \`TextIndex\` (\`domain/filters.ts\`), exact prefix filtering with size and position bounds over trigrams ranked rarest first. **Every text**: the comparison with each kept text that it replaced, run up to 10,000 texts. Target (issue 18): 50,000 texts of one language in under 10 s.

| texts | index, s | every text, s | near duplicates found | same texts found by both |
| ---: | ---: | ---: | ---: | --- |
${rows.map((r) => `| ${r.texts.toLocaleString('en')} | ${s(r.indexMs)} | ${s(r.everyTextMs)} | ${r.nearDuplicates.toLocaleString('en')} | ${r.agree === null ? '–' : r.agree ? 'yes' : '**no**'} |`).join('\n')}
${
  cross
    ? `
The label check's search for samples with nearly the same vector under different labels (cosine ≥ 0.97, as with an encoder; \`searchCrossLabelDuplicates\` in \`ml/label-diagnostics.ts\`) on 384-dimensional unit vectors (12 noisy clusters, cosine about 0.7 inside one, 7 labels, 1% near copies, seeded). Up to 5,000 samples it compares every pair in blocks with the dense heads' SIMD kernels; above, random-hyperplane hashing (SimHash in bands, bits and bands chosen from sampled pairs so that a pair at the threshold is missed with probability ≤ 1/1,000) brings candidates that are compared exactly, unless the data are too alike for that to save work. **Every pair**: the same search made to compare every pair (what it did before), up to 20,000 samples; **one pair at a time**: plain JavaScript, up to 5,000. Target (issue 18): 50,000 samples of one language in under 10 s.

| samples | search, s | how | pairs compared | every pair, s | one pair at a time, s | pairs found | same pairs |
| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |
${cross.map((r) => `| ${r.samples.toLocaleString('en')} | ${(r.searchMs / 1000).toFixed(2)} | ${r.method} | ${r.compared.toLocaleString('en')} | ${r.everyPairMs === null ? 'not run' : (r.everyPairMs / 1000).toFixed(2)} | ${r.pairwiseMs === null ? 'not run' : (r.pairwiseMs / 1000).toFixed(2)} | ${r.pairs.toLocaleString('en')} | ${r.agree === null ? '–' : r.agree ? 'yes' : '**no**'} |`).join('\n')}
`
    : ''
}`;
}
