/**
 * @file Figure 4: IndexedDB in headless Chromium, through the app's own repositories: write
 * 10,000 samples, read them back for the dataset table, query one language × label cell; each
 * beside a plain in-memory baseline doing the same work in the same page.
 */
import { IMPORT_IN_PAGE, spread, withDevPage, type Spread } from './harness';
import type { LargeRun, StorageRun } from './page-idb';

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
