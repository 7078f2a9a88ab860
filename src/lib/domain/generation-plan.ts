/**
 * @file What a generation job asks for next. Targets are per label × language cell; the job
 * always asks for the cell that misses most, so quotas fill evenly, and a resumed job (which
 * counts what is already stored) asks only for what is still missing.
 */
import type { Task } from './task';

export interface Cell {
  label: string;
  language: string;
}

/** Key of a cell in count maps. */
export const cellKey = (c: Cell): string => `${c.label}\u0000${c.language}`;

/** After this many calls in a row without one accepted text, a cell is given up (and the user told). */
export const MAX_FRUITLESS_CALLS = 6;

export interface CellState extends Cell {
  target: number;
  accepted: number;
  missing: number;
}

/**
 * Every cell of a task with its target and what it has.
 * @param accepted accepted samples per cell key
 */
export function cellStates(
  task: Pick<Task, 'labels' | 'languages'>,
  perCell: number,
  accepted: Readonly<Record<string, number>>,
): CellState[] {
  const out: CellState[] = [];
  for (const language of task.languages)
    for (const label of task.labels) {
      const cell = { label: label.name, language: language.code };
      const have = accepted[cellKey(cell)] ?? 0;
      out.push({ ...cell, target: perCell, accepted: have, missing: Math.max(0, perCell - have) });
    }
  return out;
}

/**
 * The next request: the cell missing the most (ties in task order), skipping given-up cells.
 * @param perCall most texts to ask for in one call
 * @returns the cell and how many to ask for, or null when every cell is full or given up
 */
export function nextRequest(
  cells: readonly CellState[],
  fruitless: Readonly<Record<string, number>>,
  perCall: number,
): { cell: Cell; count: number } | null {
  let best: CellState | null = null;
  for (const c of cells) {
    if (c.missing === 0 || (fruitless[cellKey(c)] ?? 0) >= MAX_FRUITLESS_CALLS) continue;
    if (!best || c.missing > best.missing) best = c;
  }
  if (!best) return null;
  // Ask for a few more than missing: some will be filtered out; extras beyond the quota are dropped.
  return { cell: { label: best.label, language: best.language }, count: Math.min(perCall, best.missing + 2) };
}

/** Cells given up on, for the message that says which cells could not be filled. */
export function stuckCells(cells: readonly CellState[], fruitless: Readonly<Record<string, number>>): CellState[] {
  return cells.filter((c) => c.missing > 0 && (fruitless[cellKey(c)] ?? 0) >= MAX_FRUITLESS_CALLS);
}
