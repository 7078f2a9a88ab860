/**
 * @file Figure 1: embedding throughput of the app's encoder path in headless Chromium beside
 * onnxruntime-node on the same model, at equal thread counts. Chromium embeds in a worker, as the
 * app does, with transformers.js configured by the app's own code: onnxruntime-web's plain build
 * (what the app loads for `wasm`, decision 023) and, for comparison, the asyncify build it used
 * before. A raw MatMul on each runtime shows where the time goes (the wasm kernels' ceiling), and
 * the WebGPU path is timed briefly on whatever adapter the browser has (here a software one).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from '@huggingface/transformers';
import * as ortNode from 'onnxruntime-node';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import { BENCH_ENCODER_ID, BENCH_SHAPE, benchEncoderFiles } from '../../tests/fixtures/bench-encoder';
import { FIXTURE_MODELS_DIR } from '../../tests/fixtures/build';
import { hasChromium, IMPORT_IN_PAGE, spread, withDevPage, type Spread } from './harness';
import type { EmbedWorkerConfig, EmbedWorkerResult } from './page-embed';
import { matmulInput, matmulModel, timeRuns, type MatmulShape } from './matmul-model';
import { pipelineThroughput } from './throughput';
import { EMBED_BATCH_SIZE, shortestFirst } from '../../src/lib/backends/transformers-encoder';
import { createRng } from '../../src/lib/domain/random';
import { shuffledIndices } from '../../src/lib/ml/training';
import { readPaper } from './active-learning';

export const BATCHES = [1, 8, 32];
const REPS = 3;
/** The raw MatMul: a batch of 32 × 40 tokens through the feed-forward layer's first product. */
const MATMUL: MatmulShape = { m: 1280, k: 384, n: 1536, reps: 10 };
const MATMUL_GFLOP = (2 * MATMUL.m * MATMUL.k * MATMUL.n) / 1e9;
/** WebGPU, timed on a few texts at batch 1 (a software adapter takes seconds per text). */
const WEBGPU_TEXTS = 4;

export interface ThreadRow {
  threads: number;
  batch: number;
  node: Spread;
  /** The app's path: plain build. */
  browser: Spread | null;
  /** The asyncify build, as the app ran wasm models before decision 023 (batch 32 only). */
  asyncify: Spread | null;
  ratio: number | null;
}

export interface EmbeddingFigure {
  model: string;
  shape: typeof BENCH_SHAPE;
  texts: number;
  cores: number;
  /** Threads the app itself gives a model on this machine. */
  appThreads: number | null;
  crossOriginIsolated: boolean | null;
  rows: ThreadRow[];
  /** GFLOP/s of the raw MatMul per runtime and thread count. */
  matmul: { threads: number; node: number; plain: number | null; asyncify: number | null }[];
  matmulShape: MatmulShape;
  webgpu: { texts: number; textsPerSecond: number | null; note: string | null };
  /** Texts of mixed length embedded in the order given against shortest first (onnxruntime-node, 1 thread). */
  lengthOrder: LengthOrderFigure | null;
  errors: string[];
}

export interface LengthOrderFigure {
  texts: number;
  batch: number;
  /** Characters: 10th percentile, median, 90th percentile. */
  chars: [number, number, number];
  /** Texts per second, one per timed pass. */
  given: Spread;
  shortestFirst: Spread;
}

/** Texts of mixed length: the seed paper's English human training texts of its three tasks, seeded. */
const LENGTH_ORDER_TEXTS = 256;

async function lengthOrderFigure(
  pipe: (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<unknown>,
): Promise<LengthOrderFigure> {
  const all = (['topic', 'sentiment', 'intent'] as const).flatMap((task) =>
    readPaper(task, 'en-train_human_parsed.csv').map((r) => r.text),
  );
  const texts = Array.from(
    shuffledIndices(all.length, createRng(5)).subarray(0, LENGTH_ORDER_TEXTS),
    (i) => all[i] as string,
  );
  const chars = texts.map((t) => t.length).sort((a, b) => a - b);
  const at = (q: number) => chars[Math.floor(q * (chars.length - 1))] as number;
  // The same batches the app's encoder makes, in the order given or shortest first.
  const pass = async (order: readonly number[]) => {
    const t0 = performance.now();
    for (let i = 0; i < order.length; i += EMBED_BATCH_SIZE)
      await pipe(
        order.slice(i, i + EMBED_BATCH_SIZE).map((j) => texts[j] as string),
        { pooling: 'mean', normalize: true },
      );
    return texts.length / ((performance.now() - t0) / 1000);
  };
  const given = [...texts.keys()];
  const sorted = shortestFirst(texts);
  await pass(given);
  const runs = { given: [] as number[], sorted: [] as number[] };
  // Alternated, so a machine that slows down meanwhile slows both.
  for (let r = 0; r < REPS; r++) {
    runs.given.push(await pass(given));
    runs.sorted.push(await pass(sorted));
  }
  return {
    texts: texts.length,
    batch: EMBED_BATCH_SIZE,
    chars: [at(0.1), at(0.5), at(0.9)],
    given: spread(runs.given),
    shortestFirst: spread(runs.sorted),
  };
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

const gflops = (ms: number[] | null) => (ms?.length ? MATMUL_GFLOP / (spread(ms).median / 1000) : null);

async function nodeMatmul(model: Uint8Array, threads: number): Promise<number[]> {
  const session = await ortNode.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const x = new ortNode.Tensor('float32', matmulInput(MATMUL), [MATMUL.m, MATMUL.k]);
  const ms = await timeRuns(() => session.run({ x }), MATMUL.reps);
  await session.release();
  return ms;
}

export async function embeddingFigure(texts: string[]): Promise<EmbeddingFigure> {
  await writeBenchEncoder();
  const cores = cpus().length;
  const threadCounts = [...new Set([1, Math.min(cores, 8)])];
  const model = matmulModel(MATMUL);
  configureTransformers({ source: { kind: 'folder', location: FIXTURE_MODELS_DIR } });

  const node = new Map<number, { results: { batch: number; runs: number[] }[]; matmul: number[] }>();
  let lengthOrder: LengthOrderFigure | null = null;
  for (const threads of threadCounts) {
    const pipe = await pipeline('feature-extraction', BENCH_ENCODER_ID, {
      device: 'cpu',
      dtype: 'fp32',
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
    });
    const results = await pipelineThroughput(pipe, texts, BATCHES, REPS);
    if (threads === 1) lengthOrder = await lengthOrderFigure(pipe);
    await pipe.dispose();
    node.set(threads, { results, matmul: await nodeMatmul(model, threads) });
  }

  const browser = new Map<string, EmbedWorkerResult>();
  const errors: string[] = [];
  let appThreads: number | null = null;
  let crossOriginIsolated: boolean | null = null;
  let webgpu: EmbeddingFigure['webgpu'] = { texts: WEBGPU_TEXTS, textsPerSecond: null, note: 'no Chromium' };
  if (hasChromium())
    await withDevPage(async (page) => {
      const once = (config: EmbedWorkerConfig, timeoutMs: number) =>
        page.evaluate(
          async ({ code, config, timeoutMs }) => {
            const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-embed')>;
            const { embedInWorker } = await load('/scripts/bench/page-embed.ts');
            return embedInWorker(config, timeoutMs);
          },
          {
            code: IMPORT_IN_PAGE,
            config,
            timeoutMs,
          },
        );
      // Vite's dev server reloads the page when a worker first pulls in a dependency it had not
      // optimised yet (once per dependency, so maybe more than once): the run is asked again.
      const run = async (config: EmbedWorkerConfig, timeoutMs: number) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await once(config, timeoutMs);
          } catch (error) {
            if (attempt >= 4 || !/Execution context was destroyed/.test(String(error))) throw error;
            await page.waitForLoadState('load');
          }
        }
      };
      const base = { modelId: BENCH_ENCODER_ID, texts, reps: REPS, device: 'wasm' as const };
      const mm = MATMUL;
      // The app's own thread choice, reported (the rows below set threads explicitly).
      const app = await run(
        { ...base, texts: texts.slice(0, 8), batches: [8], reps: 1, threads: null, build: 'cpu', matmul: null },
        300_000,
      );
      if (typeof app === 'string') errors.push(`app default: ${app}`);
      else ({ threads: appThreads, crossOriginIsolated } = app);
      for (const threads of threadCounts)
        for (const build of ['cpu', 'gpu'] as const) {
          const batches = build === 'cpu' ? BATCHES : [32];
          const r = await run({ ...base, batches, threads, build, matmul: mm }, 600_000);
          if (typeof r === 'string') errors.push(`${build} build, ${threads} thread(s): ${r}`);
          else browser.set(`${build}-${threads}`, r);
        }
      const gpu = await run(
        {
          ...base,
          texts: texts.slice(0, WEBGPU_TEXTS),
          batches: [1],
          reps: 1,
          threads: null,
          build: 'gpu',
          device: 'webgpu',
          matmul: null,
        },
        300_000,
      );
      webgpu =
        typeof gpu === 'string'
          ? { texts: WEBGPU_TEXTS, textsPerSecond: null, note: gpu }
          : { texts: WEBGPU_TEXTS, textsPerSecond: spread(gpu.results[0]?.runs ?? []).median, note: null };
    });

  const rows: ThreadRow[] = [];
  for (const threads of threadCounts)
    for (const batch of BATCHES) {
      const pick = (r: { results: { batch: number; runs: number[] }[] } | undefined) => {
        const runs = r?.results.find((x) => x.batch === batch)?.runs;
        return runs?.length ? spread(runs) : null;
      };
      const n = pick(node.get(threads)) ?? spread([NaN]);
      const b = pick(browser.get(`cpu-${threads}`));
      rows.push({
        threads,
        batch,
        node: n,
        browser: b,
        asyncify: pick(browser.get(`gpu-${threads}`)),
        ratio: b ? b.median / n.median : null,
      });
    }
  return {
    model: BENCH_ENCODER_ID,
    shape: BENCH_SHAPE,
    texts: texts.length,
    cores,
    appThreads,
    crossOriginIsolated,
    rows,
    matmul: threadCounts.map((threads) => ({
      threads,
      node: gflops(node.get(threads)?.matmul ?? null) ?? NaN,
      plain: gflops(browser.get(`cpu-${threads}`)?.matmulMs ?? null),
      asyncify: gflops(browser.get(`gpu-${threads}`)?.matmulMs ?? null),
    })),
    matmulShape: MATMUL,
    webgpu,
    lengthOrder,
    errors,
  };
}
