/**
 * @file Following one task: a view's state hears every change announced for the task it shows
 * (from this tab, other tabs and workers, through the change feed) until it follows another.
 */
import { subscribeChanges, type Change } from '../storage/change-feed';

export class TaskFollower {
  #taskId: string | null = null;
  #stop: (() => void) | null = null;

  /** @param onChange called for each change of the followed task (and for changes naming no task) */
  constructor(private readonly onChange: (change: Change, taskId: string) => void) {}

  /** The task followed now. */
  get taskId(): string | null {
    return this.#taskId;
  }

  /**
   * Follows a task's changes (null: none).
   * @returns whether this is another task than before
   */
  follow(taskId: string | null): boolean {
    const changed = taskId !== this.#taskId || (taskId !== null && !this.#stop);
    if (!changed) return false;
    this.#stop?.();
    this.#taskId = taskId;
    this.#stop = taskId
      ? subscribeChanges((c) => {
          if (c.taskId === undefined || c.taskId === taskId) this.onChange(c, taskId);
        })
      : null;
    return true;
  }

  dispose(): void {
    this.follow(null);
  }
}
