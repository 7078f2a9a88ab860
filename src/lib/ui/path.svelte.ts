/**
 * @file The user's path through the app, Task → Data → Generate → Train → Evaluate → Use: which
 * steps the current task has done (from counts the database answers from its indexes, kept
 * current by the change feed) and which one comes next.
 */
import type { Split } from '../domain/sample';
import { STORES, taskKeyRange, type Database } from '../storage/db';
import { cellRange } from '../storage/samples-repo';
import type { RouteId } from './routes';
import { TaskFollower } from './task-follower';

export const PATH_STEPS = [
  { id: 'task', route: 'tasks' },
  { id: 'data', route: 'dataset' },
  { id: 'generate', route: 'generate' },
  { id: 'train', route: 'train' },
  { id: 'evaluate', route: 'evaluate' },
  { id: 'use', route: 'playground' },
] as const satisfies readonly { id: string; route: RouteId }[];

export type PathStepId = (typeof PATH_STEPS)[number]['id'];

/** Whether the task has a comparison run: counted from an index, no run read (they hold every prediction). */
async function anyCompareRun(db: Database, taskId: string): Promise<boolean> {
  return (await db.countFromIndex(STORES.evalRuns, 'by-task-compare', taskKeyRange(taskId))) > 0;
}

export class PathState {
  /** Steps the current task has done. */
  done = $state.raw<readonly PathStepId[]>([]);
  readonly #task = new TaskFollower((c) => {
    if (c.store === 'samples' || c.store === 'classifiers' || c.store === 'evalRuns' || c.store === 'jobs')
      void this.refresh();
  });

  constructor(private readonly db: Promise<Database>) {}

  follow(taskId: string | null): void {
    this.#task.follow(taskId);
    if (!taskId) this.done = [];
    void this.refresh();
  }

  /**
   * The first step not done. Generated samples are data too, so Data needs no import once
   * Generate is done; Generate stays a step for a task with imported data only (writing
   * examples is what the app is for).
   */
  get next(): PathStepId | null {
    const has = (id: PathStepId) => this.done.includes(id);
    for (const step of PATH_STEPS) {
      if (has(step.id) || (step.id === 'data' && has('generate'))) continue;
      return step.id;
    }
    return null;
  }

  async refresh(): Promise<void> {
    const taskId = this.#task.taskId;
    if (!taskId) return;
    const db = await this.db;
    // Whether a split has any sample: the first key of its range (counting would walk the index,
    // seconds at 100,000 samples, and hold up the view's other reads).
    const any = async (split: Split) =>
      (await db.getKeyFromIndex(STORES.samples, 'by-cell', cellRange(taskId, split))) === undefined ? 0 : 1;
    // Classifiers counted and runs read only up to the first comparison: their records hold
    // weights and predictions (megabytes), and this runs on the page at every change of a sample.
    const [train, validation, test, classifiers, compared, generated] = await Promise.all([
      any('train'),
      any('validation'),
      any('test'),
      db.countFromIndex(STORES.classifiers, 'by-task', taskId),
      anyCompareRun(db, taskId),
      db.getAllFromIndex(STORES.jobs, 'by-task-kind', [taskId, 'generate']),
    ]);
    if (taskId !== this.#task.taskId) return;
    const done: PathStepId[] = ['task'];
    if (train + validation + test > 0) done.push('data');
    if (generated.some((j) => j.progress.done > 0)) done.push('generate');
    if (classifiers > 0) done.push('train');
    if (compared) done.push('evaluate');
    this.done = done;
  }

  dispose(): void {
    this.#task.dispose();
  }
}
