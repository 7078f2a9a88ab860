/**
 * @file The n-gram student in headless Chromium at scale (issue 18): 10,000 to 100,000 samples
 * (SIB-200 training sentences of all 8 languages, then shortened copies with words dropped,
 * seeded, as the CLI benchmark's file), trained by the app's module in the page with its
 * defaults. Time, and peak memory: the highest resident set (`VmHWM`) of the browser's renderer
 * processes, read from /proc after each run (Linux), beside the same reading before training.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRng } from '../../src/lib/domain/random';
import { sibRows, shortenedCopy } from './cli-memory';
import { IMPORT_IN_PAGE, withDevPage } from './harness';

export const BROWSER_NGRAM_SIZES = [10_000, 50_000, 100_000];

export interface BrowserNgramRow {
  samples: number;
  trainMs: number;
  /** Peak resident memory of the renderer processes, bytes (null where /proc cannot be read). */
  peakBytes: number | null;
  /** The same before this run's training (the page with its data loaded). */
  beforeBytes: number | null;
  labels: number;
  /**
   * The same student trained as the app's training worker trains it (`trainNgramAnywhere`):
   * its labels solved on `solvers` Web Workers sharing the matrix; the peak after it.
   */
  threaded: { ms: number; solvers: number; peakBytes: number | null; sameWeights: boolean } | null;
}

/** `count` samples: the originals, then copies with words dropped (seeded). */
function samples(count: number): { text: string; label: string }[] {
  const rng = createRng(1);
  const rows = sibRows('train');
  const out = rows.slice(0, count);
  while (out.length < count) out.push(shortenedCopy(rows, rng));
  return out;
}

/** Processes descended from this one whose command line says they are renderers. */
function rendererPids(): number[] {
  const parent = new Map<number, number>();
  const renderer = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('--type=renderer')) renderer.add(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  return [...renderer].filter(mine);
}

/** The highest VmHWM among this benchmark's renderer processes. */
function rendererPeak(): number | null {
  try {
    const peaks = rendererPids().map((pid) => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    });
    return peaks.length ? Math.max(...peaks) : null;
  } catch {
    return null;
  }
}

export async function browserNgramScale(sizes = BROWSER_NGRAM_SIZES): Promise<BrowserNgramRow[]> {
  const rows: BrowserNgramRow[] = [];
  for (const n of sizes) {
    const data = samples(n);
    // A fresh browser per size, so each peak is that run's own.
    rows.push(
      await withDevPage(async (page) => {
        await page.evaluate(
          async ({ code, data }) => {
            const load = new Function('u', code) as (
              u: string,
            ) => Promise<typeof import('../../src/lib/ml/ngram-student')>;
            await load('/src/lib/ml/ngram-student.ts');
            (globalThis as unknown as { benchData: typeof data }).benchData = data;
          },
          { code: IMPORT_IN_PAGE, data },
        );
        const beforeBytes = rendererPeak();
        const { ms, labels } = await page.evaluate(async (code) => {
          const load = new Function('u', code) as (
            u: string,
          ) => Promise<typeof import('../../src/lib/ml/ngram-student')>;
          const { trainNgram } = await load('/src/lib/ml/ngram-student.ts');
          const g = globalThis as unknown as { benchData?: { text: string; label: string }[] };
          const items = g.benchData ?? [];
          const labels = [...new Set(items.map((i) => i.label))].sort();
          // A warm-up on the first 5,000 texts, so that neither timing below pays for compiling the solver.
          const warm = items.slice(0, 5000);
          trainNgram(
            warm.map((i) => i.text),
            warm.map((i) => i.label),
            labels,
            { seed: 1 },
          );
          const t0 = performance.now();
          const one = trainNgram(
            items.map((i) => i.text),
            items.map((i) => i.label),
            labels,
            { seed: 1 },
          );
          const ms = performance.now() - t0;
          (globalThis as unknown as { benchOne: Float32Array }).benchOne = one.weights;
          return { ms, labels: labels.length };
        }, IMPORT_IN_PAGE);
        const peakBytes = rendererPeak();
        const threaded = await page.evaluate(async (code) => {
          const load = new Function('u', code) as (u: string) => Promise<unknown>;
          const solver = (await load(
            '/src/lib/ml/ngram-label-solver.ts',
          )) as typeof import('../../src/lib/ml/ngram-label-solver');
          const workers = (await load(
            '/src/lib/workers/ngram-solvers.ts',
          )) as typeof import('../../src/lib/workers/ngram-solvers');
          if (!workers.canShareMemory()) return null;
          solver.provideSolvers(workers.startNgramSolvers, navigator.hardwareConcurrency || 1);
          const g = globalThis as unknown as { benchData?: { text: string; label: string }[]; benchOne: Float32Array };
          const items = g.benchData ?? [];
          const labels = [...new Set(items.map((i) => i.label))].sort();
          const texts = items.map((i) => i.text);
          const given = items.map((i) => i.label);
          const t0 = performance.now();
          const { model, solvers } = await solver.trainNgramAnywhere(texts, given, labels, { seed: 1 });
          const ms = performance.now() - t0;
          // Compared weight by weight with the single thread's student.
          const one = { weights: g.benchOne };
          const sameWeights =
            one.weights.length === model.weights.length && one.weights.every((w, i) => w === model.weights[i]);
          return { ms, solvers, sameWeights };
        }, IMPORT_IN_PAGE);
        return {
          samples: n,
          trainMs: ms,
          peakBytes,
          beforeBytes,
          labels,
          threaded: threaded ? { ...threaded, peakBytes: rendererPeak() } : null,
        };
      }),
    );
  }
  return rows;
}

/** Section 14 of BENCHMARKS.md. */
export function browserNgramMarkdown(rows: BrowserNgramRow[] | null): string {
  if (!rows) return '';
  const mb = (b: number | null) => (b === null ? '–' : `${(b / 1e6).toFixed(0)} MB`);
  return `## 14. The n-gram student in the browser at scale

\`trainNgram\` with the app's defaults, in headless Chromium on the page, on one thread (as the app trains tasks under 50,000 training rows, or when the page is not cross-origin isolated); then \`trainNgramAnywhere\`, as the app's training worker trains any task: from 50,000 training rows the labels solved on Web Workers sharing the training matrix, one per core up to 4 and at most one per label (decision 025; 1 solver worker in the table: the training worker's own thread), checked to give the single thread's weights bit for bit; before both, a warm-up training on 5,000 of the texts, so that neither pays for compiling the solver (the solver workers still start cold). Both in the same renderer process as the app's workers, on SIB-200 training sentences of all 8 languages (7 labels) and then shortened copies with words dropped, seeded (\`scripts/bench/ngram-browser-scale.ts\`). Memory: the highest resident set of the browser's renderer processes (Linux \`VmHWM\`), after the data were handed to the page and after training; a fresh browser per size. Target (issue 18): 100,000 samples train without running out of memory, time and peak reported.

| samples | training on one thread, s | as the app trains it, s | solver workers | same weights | peak memory before training (data loaded) | peak after one thread | peak after the workers too |
| ---: | ---: | ---: | ---: | :--- | ---: | ---: | ---: |
${rows.map((r) => `| ${r.samples.toLocaleString('en')} | ${(r.trainMs / 1000).toFixed(1)} | ${r.threaded ? (r.threaded.ms / 1000).toFixed(1) : '–'} | ${r.threaded?.solvers ?? 'not isolated'} | ${r.threaded ? (r.threaded.sameWeights ? 'yes' : '**no**') : '–'} | ${mb(r.beforeBytes)} | ${mb(r.peakBytes)} | ${mb(r.threaded?.peakBytes ?? null)} |`).join('\n')}
`;
}
