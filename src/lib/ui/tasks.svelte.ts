/**
 * @file Tasks as rune state: the list (kept current by the change feed, across tabs), the
 * task being worked on (remembered across reloads), and create/edit/duplicate/delete with a
 * short-lived undo.
 */
import { getContext, setContext } from 'svelte';
import type { Task, TaskDraft } from '../domain/task';
import { subscribeChanges } from '../storage/change-feed';
import type { Database } from '../storage/db';
import { addDemoProject } from '../storage/demo-project';
import { replaceSeeds, type SeedInput } from '../storage/seeds';
import {
  createTask,
  deleteTask,
  detachedTaskIds,
  duplicateTask,
  listTasks,
  purgeDetachedSamples,
  restoreTask,
  updateTask,
  type TaskSnapshot,
} from '../storage/tasks-repo';

/** How long "Undo" stays offered after a delete. */
export const UNDO_DELETE_MS = 15_000;
const CURRENT_KEY = 'polyclass.currentTask';
/** When a task was deleted (`<prefix><task id>` → ms), so no tab purges its samples while Undo is still offered. */
const DELETED_KEY = 'polyclass.deletedAt.';

export class TasksState {
  #tasks = $state.raw<Task[]>([]);
  #currentId = $state<string | null>(null);
  #loaded = $state(false);
  // Raw: the snapshot goes back into IndexedDB, which cannot clone Svelte's state proxies.
  #undo = $state.raw<{ snapshot: TaskSnapshot; timer: ReturnType<typeof setTimeout> } | null>(null);
  /** The task on screen, when another tab deleted it (until dismissed or brought back). */
  #vanished = $state.raw<Pick<Task, 'id' | 'name'> | null>(null);
  /** Tasks this tab is deleting: their disappearance is no news here (read in refresh, never shown). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state a view reads
  readonly #deleting = new Set<string>();
  readonly #db: Promise<Database>;

  constructor(db: Promise<Database>) {
    this.#db = db;
    this.#currentId = globalThis.localStorage?.getItem(CURRENT_KEY) ?? null;
    void this.refresh();
    void this.#purgeLeftovers();
    subscribeChanges((c) => {
      if (c.store === 'tasks') void this.refresh();
    });
  }

  get tasks(): Task[] {
    return this.#tasks;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** The task the other views work on: the chosen one, else the most recent. */
  get current(): Task | null {
    return this.#tasks.find((t) => t.id === this.#currentId) ?? this.#tasks[0] ?? null;
  }
  /** The task that "Undo" would bring back, while it is offered. */
  get deleted(): Task | null {
    return this.#undo?.snapshot.task ?? null;
  }

  /** The task this tab showed, deleted in another tab: its name, until dismissed. */
  get vanished(): string | null {
    return this.#vanished?.name ?? null;
  }

  dismissVanished(): void {
    this.#vanished = null;
  }

  select(id: string): void {
    this.#currentId = id;
    globalThis.localStorage?.setItem(CURRENT_KEY, id);
  }

  async refresh(): Promise<void> {
    const shown = this.#loaded ? this.current : null;
    const tasks = await listTasks(await this.#db);
    if (shown && !this.#deleting.has(shown.id) && !tasks.some((t) => t.id === shown.id))
      this.#vanished = { id: shown.id, name: shown.name };
    else if (this.#vanished && tasks.some((t) => t.id === this.#vanished?.id)) this.#vanished = null;
    this.#tasks = tasks;
    this.#loaded = true;
  }

  async create(draft: TaskDraft, seeds: SeedInput[]): Promise<Task> {
    const db = await this.#db;
    const task = await createTask(db, draft);
    await replaceSeeds(db, task.id, seeds);
    this.select(task.id);
    await this.refresh();
    return task;
  }

  /**
   * @param options keepSeeds: leave the seed examples as they are (edits from outside the editor)
   */
  async update(
    id: string,
    draft: TaskDraft,
    renames: Record<string, string>,
    seeds: SeedInput[],
    options: { keepSeeds?: boolean } = {},
  ): Promise<Task> {
    const db = await this.#db;
    const task = await updateTask(db, id, $state.snapshot(draft) as TaskDraft, renames);
    if (!options.keepSeeds) await replaceSeeds(db, id, seeds);
    await this.refresh();
    return task;
  }

  /** Adds the demo project (SIB-200 news topics) and makes it the current task. */
  async addDemo(): Promise<Task> {
    const task = await addDemoProject(await this.#db);
    this.select(task.id);
    await this.refresh();
    return task;
  }

  async duplicate(id: string): Promise<Task> {
    const task = await duplicateTask(await this.#db, id);
    this.select(task.id);
    await this.refresh();
    return task;
  }

  /**
   * Deletes a task; {@link undoDelete} brings it back within {@link UNDO_DELETE_MS}. The task
   * goes at once; its samples are purged in the background once Undo is no longer offered.
   */
  async delete(id: string): Promise<void> {
    this.#deleting.add(id);
    try {
      const snapshot = await deleteTask(await this.#db, id);
      globalThis.localStorage?.setItem(`${DELETED_KEY}${id}`, String(Date.now()));
      this.#dropUndo();
      this.#undo = { snapshot, timer: setTimeout(() => this.#dropUndo(), UNDO_DELETE_MS) };
      await this.refresh();
    } finally {
      this.#deleting.delete(id);
    }
  }

  async undoDelete(): Promise<void> {
    const undo = this.#undo;
    if (!undo) return;
    clearTimeout(undo.timer);
    this.#undo = null;
    await restoreTask(await this.#db, undo.snapshot);
    globalThis.localStorage?.removeItem(`${DELETED_KEY}${undo.snapshot.task.id}`);
    this.select(undo.snapshot.task.id);
    await this.refresh();
  }

  /** Undo is no longer offered: the deleted task's samples go, in the background. */
  #dropUndo(): void {
    const undo = this.#undo;
    if (!undo) return;
    clearTimeout(undo.timer);
    this.#undo = null;
    void this.#purge(undo.snapshot.task.id);
  }

  async #purge(id: string): Promise<void> {
    try {
      await purgeDetachedSamples(await this.#db, id);
      globalThis.localStorage?.removeItem(`${DELETED_KEY}${id}`);
    } catch (error) {
      // Left for the next start (the samples are unreachable meanwhile).
      console.warn('polyclass: purging the samples of a deleted task failed; the next start tries again', error);
    }
  }

  /** Purges what deletions in a closed tab left; one still within its Undo time waits for it to pass. */
  async #purgeLeftovers(): Promise<void> {
    try {
      for (const id of await detachedTaskIds(await this.#db)) {
        const at = Number(globalThis.localStorage?.getItem(`${DELETED_KEY}${id}`) ?? 0);
        const wait = at + UNDO_DELETE_MS - Date.now();
        if (wait > 0) setTimeout(() => void this.#purge(id), wait + 1_000);
        else void this.#purge(id);
      }
    } catch (error) {
      console.warn('polyclass: looking for samples of deleted tasks failed', error);
    }
  }
}

const KEY = Symbol('tasks');

export function setTasksContext(state: TasksState): TasksState {
  return setContext(KEY, state);
}

export function getTasksContext(): TasksState {
  return getContext<TasksState>(KEY);
}
