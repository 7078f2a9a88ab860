/**
 * @file An import under way, noted in localStorage while it runs, so that after a reload or a
 * closed tab the Dataset view can say the import was cut short and how to finish it (import the
 * same file again: rows already in are skipped as duplicates). While the import runs, its tab
 * holds a Web Lock, so another tab does not mistake a running import for a cut one; where
 * there are no Web Locks (a page served over plain http), a note not refreshed for a minute is
 * taken as cut short.
 */

export interface ImportMarker {
  taskId: string;
  file: string;
  /** Rows imported at the last note (at least this many are in). */
  imported: number;
  /** The Web Lock the importing tab holds. */
  lock: string;
  updatedAt: number;
}

const KEY = (taskId: string) => `polyclass.import.${taskId}`;
const STALE_MS = 60_000;

export function writeMarker(marker: ImportMarker): void {
  try {
    globalThis.localStorage?.setItem(KEY(marker.taskId), JSON.stringify(marker));
  } catch {
    // Storage full or refused: the note is a courtesy, the import goes on.
  }
}

export function clearMarker(taskId: string): void {
  globalThis.localStorage?.removeItem(KEY(taskId));
}

/** The task's import that stopped without finishing, if there is one. */
export async function interruptedImport(taskId: string, now = Date.now()): Promise<ImportMarker | null> {
  let marker: ImportMarker;
  try {
    const raw = globalThis.localStorage?.getItem(KEY(taskId));
    if (!raw) return null;
    marker = JSON.parse(raw) as ImportMarker;
    if (typeof marker.file !== 'string' || typeof marker.imported !== 'number') return null;
  } catch {
    return null;
  }
  const locks = globalThis.navigator?.locks;
  if (locks) {
    const held = (await locks.query()).held ?? [];
    return held.some((l) => l.name === marker.lock) ? null : marker;
  }
  return now - marker.updatedAt > STALE_MS ? marker : null;
}

/** Runs `work` holding the Web Lock `name` (or without one where the browser has none). */
export function holdingLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request(name, work) : work();
}
