/**
 * @file Figure 1: embedding throughput of the app's encoder path in headless Chromium
 * (transformers.js on onnxruntime-web wasm, threads on, cross-origin isolated) beside
 * onnxruntime-node on the same model (transformers.js in Node, CPU), at batch sizes 1, 8, 32.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from '@huggingface/transformers';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import { BENCH_ENCODER_ID, BENCH_SHAPE, benchEncoderFiles } from '../../tests/fixtures/bench-encoder';
import { FIXTURE_MODELS_DIR } from '../../tests/fixtures/build';
import { hasChromium, IMPORT_IN_PAGE, spread, withDevPage, type Spread } from './harness';
import { measureThroughput, type BatchThroughput } from './throughput';

export const BATCHES = [1, 8, 32];
const REPS = 3;

export interface EmbeddingFigure {
  model: string;
  shape: typeof BENCH_SHAPE;
  texts: number;
  nodeThreads: number;
  browserThreads: number | null;
  crossOriginIsolated: boolean | null;
  rows: { batch: number; browser: Spread | null; node: Spread; ratio: number | null }[];
}

async function writeBenchEncoder(): Promise<void> {
  for (const [rel, data] of Object.entries(benchEncoderFiles())) {
    const path = join(FIXTURE_MODELS_DIR, BENCH_ENCODER_ID, rel);
    const old = await readFile(path).catch(() => null);
    if (old && Buffer.compare(old, Buffer.from(data)) === 0) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  }
}

export async function embeddingFigure(texts: string[]): Promise<EmbeddingFigure> {
  await writeBenchEncoder();
  configureTransformers({ source: { kind: 'folder', location: FIXTURE_MODELS_DIR } });
  const pipe = await pipeline('feature-extraction', BENCH_ENCODER_ID, { device: 'cpu', dtype: 'fp32' });
  const node = await measureThroughput(
    (batch) => pipe(batch, { pooling: 'mean', normalize: true }),
    texts,
    BATCHES,
    REPS,
  );
  await pipe.dispose();

  let browser: { results: BatchThroughput[]; threads: number | null; crossOriginIsolated: boolean } | null = null;
  if (hasChromium())
    browser = await withDevPage((page) =>
      page.evaluate(
        async ({ code, modelId, texts, batches, reps }) => {
          const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-embed')>;
          const { browserThroughput } = await load('/scripts/bench/page-embed.ts');
          return browserThroughput(modelId, texts, batches, reps);
        },
        { code: IMPORT_IN_PAGE, modelId: BENCH_ENCODER_ID, texts, batches: BATCHES, reps: REPS },
      ),
    );

  return {
    model: BENCH_ENCODER_ID,
    shape: BENCH_SHAPE,
    texts: texts.length,
    nodeThreads: cpus().length,
    browserThreads: browser?.threads ?? null,
    crossOriginIsolated: browser?.crossOriginIsolated ?? null,
    rows: BATCHES.map((batch) => {
      const n = spread(node.find((r) => r.batch === batch)?.runs ?? []);
      const b = browser ? spread(browser.results.find((r) => r.batch === batch)?.runs ?? []) : null;
      return { batch, node: n, browser: b, ratio: b ? b.median / n.median : null };
    }),
  };
}
