/**
 * @file Figure 4: IndexedDB in headless Chromium, through the app's own repositories: write
 * 10,000 samples, read them back for the dataset table, query one language × label cell; each
 * beside a plain in-memory baseline doing the same work in the same page.
 */
import { IMPORT_IN_PAGE, spread, withDevPage, type Spread } from './harness';
import type { CurvePanel } from './page-chart';
import type { LargeRun, ScalePoint, StorageRun } from './page-idb';

export const STORAGE_SAMPLES = 10_000;
const REPS = 5;

export const LARGE_DELETE_SAMPLES = 100_000;

export interface StorageFigure {
  samples: number;
  cell: number;
  rows: { step: 'write' | 'read' | 'query' | 'delete' | 'undo'; idbMs: Spread; memoryMs: Spread; ratio: number }[];
  /** The app's write beside plain IndexedDB adds of the same records (no index; the app's indexes). */
  floor: { appMs: Spread; plainMs: Spread; plainIndexedMs: Spread };
  /** Deleting a task of LARGE_DELETE_SAMPLES samples, Undo's snapshot kept, and the Dataset view's reads on it (one run). */
  large: LargeRun | null;
}

export async function storageFigure(): Promise<StorageFigure> {
  const runs = await withDevPage(async (page) => {
    const out: StorageRun[] = [];
    for (let r = 0; r < REPS; r++)
      out.push(
        await page.evaluate(
          async ({ code, n }) => {
            const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-idb')>;
            return (await load('/scripts/bench/page-idb.ts')).storageRun(n);
          },
          { code: IMPORT_IN_PAGE, n: STORAGE_SAMPLES },
        ),
      );
    return out;
  });
  const large = await withDevPage((page) =>
    page.evaluate(
      async ({ code, n }) => {
        const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-idb')>;
        return (await load('/scripts/bench/page-idb.ts')).largeDeleteRun(n);
      },
      { code: IMPORT_IN_PAGE, n: LARGE_DELETE_SAMPLES },
    ),
  );
  const row = (step: StorageFigure['rows'][number]['step'], idb: keyof StorageRun, mem: keyof StorageRun) => {
    const idbMs = spread(runs.map((r) => r[idb]));
    const memoryMs = spread(runs.map((r) => r[mem]));
    return { step, idbMs, memoryMs, ratio: idbMs.median / memoryMs.median };
  };
  return {
    samples: STORAGE_SAMPLES,
    cell: runs[0]?.cell ?? 0,
    rows: [
      row('write', 'writeMs', 'memoryWriteMs'),
      row('read', 'readMs', 'memoryReadMs'),
      row('query', 'queryMs', 'memoryQueryMs'),
      row('delete', 'deleteMs', 'memoryDeleteMs'),
      row('undo', 'undoMs', 'memoryUndoMs'),
    ],
    floor: {
      appMs: spread(runs.map((r) => r.writeMs)),
      plainMs: spread(runs.map((r) => r.floorMs)),
      plainIndexedMs: spread(runs.map((r) => r.floorIndexedMs)),
    },
    large,
  };
}

/** Sizes of the storage scale curves. */
export const STORAGE_SCALE_SIZES = [1_000, 10_000, 100_000];
/** Where the picture of the storage curves goes (linked from BENCHMARKS.md). */
export const STORAGE_CHART = 'bench/storage-curves.png';

/** Import, write and the Dataset view's reads at each size (one run each, a fresh database per step). */
export async function storageScaleFigure(): Promise<ScalePoint[]> {
  return withDevPage(async (page) => {
    const out: ScalePoint[] = [];
    for (const n of STORAGE_SCALE_SIZES)
      out.push(
        await page.evaluate(
          async ({ code, n }) => {
            const load = new Function('u', code) as (u: string) => Promise<typeof import('./page-idb')>;
            return (await load('/scripts/bench/page-idb.ts')).scaleRun(n);
          },
          { code: IMPORT_IN_PAGE, n },
        ),
      );
    return out;
  });
}

/** The storage curves as uPlot panels: writing (import, `addSamples`) and the Dataset view's reads. */
export function storageCurvePanels(points: readonly ScalePoint[]): CurvePanel[] {
  const s = (ms: number) => ms / 1000;
  return [
    {
      title: 'Writing samples',
      xLabel: 'samples',
      yLabel: 'seconds',
      series: [
        { label: 'import of a CSV', color: '#0b5cad', points: points.map((p) => [p.samples, s(p.importMs)]) },
        {
          label: 'addSamples, 10,000 per call',
          color: '#a4161a',
          dash: [6, 4],
          points: points.map((p) => [p.samples, s(p.writeMs)]),
        },
      ],
    },
    {
      title: "The Dataset view's reads",
      xLabel: 'samples in the task',
      yLabel: 'ms',
      series: [
        { label: 'first page of 100 rows', color: '#0b5cad', points: points.map((p) => [p.samples, p.firstPageMs]) },
        { label: 'counts, kept', color: '#12672f', points: points.map((p) => [p.samples, p.countsMs]) },
        {
          label: 'counts from the indexes (before)',
          color: '#a4161a',
          dash: [6, 4],
          points: points.map((p) => [p.samples, p.countsByIndexMs]),
        },
      ],
    },
  ];
}
