/**
 * @file Texts per second of an embedding function at given batch sizes: one warm-up pass, then
 * `reps` timed passes over the same texts. Shared by the Node and the browser side (the page
 * imports this module through Vite), so both measure the same way.
 */
export interface BatchThroughput {
  batch: number;
  /** Texts per second, one per timed pass. */
  runs: number[];
}

export async function measureThroughput(
  embed: (texts: string[]) => Promise<unknown>,
  texts: string[],
  batches: number[],
  reps: number,
): Promise<BatchThroughput[]> {
  const out: BatchThroughput[] = [];
  for (const batch of batches) {
    const pass = async () => {
      for (let i = 0; i < texts.length; i += batch) await embed(texts.slice(i, i + batch));
    };
    await pass();
    const runs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await pass();
      runs.push(texts.length / ((performance.now() - t0) / 1000));
    }
    out.push({ batch, runs });
  }
  return out;
}

/** {@link measureThroughput} of a transformers.js feature-extraction pipeline, mean-pooled and normalised as the app embeds. */
export const pipelineThroughput = (
  pipe: (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<unknown>,
  texts: string[],
  batches: number[],
  reps: number,
) => measureThroughput((batch) => pipe(batch, { pooling: 'mean', normalize: true }), texts, batches, reps);
