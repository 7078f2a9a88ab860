/**
 * @file A removal the user can take back for a short while: the record goes at once (every view
 * and tab sees it gone), and "Undo" puts the same record back. Used for classifiers and
 * evaluation runs, whose records are whole in themselves (task deletion, with its samples, has
 * its own path in `tasks.svelte.ts`).
 */
import { UNDO_DELETE_MS } from './tasks.svelte';

export class UndoableRemoval<R extends { id: string }> {
  /** The record "Undo" would bring back, while it is offered. */
  removed = $state.raw<R | null>(null);
  /** Why the last delete or undo failed (the offer, if any, stays). */
  error = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param remove deletes the stored record
   * @param restore stores the record again
   * @param restoreFailed the sentence for an Undo that could not store the record
   */
  constructor(
    private readonly remove: (id: string) => Promise<void>,
    private readonly restore: (record: R) => Promise<void>,
    private readonly restoreFailed: (error: string) => string = (error) => error,
    private readonly ms = UNDO_DELETE_MS,
  ) {}

  /** Removes the record and offers "Undo" for a while (a newer removal replaces the offer). */
  async delete(record: R): Promise<void> {
    this.error = null;
    try {
      await this.remove(record.id);
    } catch (e) {
      this.error = (e as Error).message;
      return;
    }
    clearTimeout(this.#timer);
    this.removed = record;
    this.#timer = setTimeout(() => (this.removed = null), this.ms);
  }

  /** Puts the last removed record back; when it cannot be stored, says why and keeps the offer. */
  async undo(): Promise<void> {
    const record = this.removed;
    if (!record) return;
    this.error = null;
    try {
      await this.restore(record);
    } catch (e) {
      this.error = this.restoreFailed((e as Error).message);
      return;
    }
    clearTimeout(this.#timer);
    this.removed = null;
  }

  /** Stops offering "Undo" (the view goes away). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.removed = null;
  }
}
