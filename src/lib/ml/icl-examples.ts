/**
 * @file In-context examples for the LLM as a classifier: k synthetic samples per label, chosen
 * at random (seeded) or as the k most similar to the test text by character n-grams (cosine of
 * the n-gram student's features: no model download).
 */
import type { ExampleSelection, IclExample } from '../domain/llm-classify';
import type { Rng } from '../domain/random';
import { featurize, type SparseVector } from './ngram';

/** Cosine similarity of two L2-normalized sparse vectors (indices in any order). */
function sparseCosine(a: SparseVector, b: Map<number, number>): number {
  let dot = 0;
  for (let i = 0; i < a.idx.length; i++) dot += (a.val[i] as number) * (b.get(a.idx[i] as number) ?? 0);
  return dot;
}

/**
 * Picks in-context examples from a pool of synthetic samples: k per label, either at random
 * (seeded) or the k most similar to the text by character n-grams (no model needed). Examples
 * are interleaved across labels so no label is always last.
 */
export class ExamplePicker {
  readonly #byLabel = new Map<string, { text: string; features: SparseVector }[]>();

  constructor(
    pool: readonly IclExample[],
    private readonly labels: readonly string[],
    private readonly k: number,
    private readonly selection: ExampleSelection,
  ) {
    for (const e of pool) {
      const list = this.#byLabel.get(e.label) ?? [];
      list.push({
        text: e.text,
        features: selection === 'similar' ? featurize(e.text) : { idx: new Uint32Array(), val: new Float32Array() },
      });
      this.#byLabel.set(e.label, list);
    }
  }

  /** Labels with no example in the pool. */
  get missingLabels(): string[] {
    return this.labels.filter((l) => !this.#byLabel.get(l)?.length);
  }

  /**
   * Examples for one test text.
   * @param rng seeded generator (random selection), advanced per call
   */
  pick(text: string, rng: Rng): IclExample[] {
    const query = this.selection === 'similar' ? featurize(text) : null;
    const q = query ? new Map(Array.from(query.idx, (h, i) => [h, query.val[i] as number])) : null;
    const perLabel = this.labels.map((label) => {
      const pool = this.#byLabel.get(label) ?? [];
      let chosen: string[];
      if (q) {
        chosen = pool
          .map((e) => ({ text: e.text, score: sparseCosine(e.features, q) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, this.k)
          .map((e) => e.text);
      } else {
        const order = pool.map((e) => e.text);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [order[i], order[j]] = [order[j] as string, order[i] as string];
        }
        chosen = order.slice(0, this.k);
      }
      return chosen.map((t) => ({ text: t, label }));
    });
    const out: IclExample[] = [];
    for (let round = 0; round < this.k; round++)
      for (const list of perLabel) {
        const e = list[round];
        if (e) out.push(e);
      }
    return out;
  }
}
