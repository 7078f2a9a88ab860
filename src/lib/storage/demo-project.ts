/**
 * @file The demo project shipped with the app: a Swahili, Hausa and Yoruba news-topic task from
 * SIB-200 with label descriptions, seed examples, human training and test sentences (see
 * scripts/build-demo.ts), so a newcomer can train and evaluate at once, with no download.
 */
import { toAppError } from '../domain/errors';
import type { Split } from '../domain/sample';
import type { Task, TaskDraft } from '../domain/task';
import type { Database } from './db';
import { addSamples } from './samples-repo';
import { createTask, deleteTask, purgeDetachedSamples } from './tasks-repo';

export interface DemoProject {
  task: TaskDraft;
  attribution: string;
  samples: { text: string; label: string; language: string; split: Split }[];
}

/** The demo's data, loaded on demand (it is not part of the app's first download). */
export async function loadDemoProject(): Promise<DemoProject> {
  return (await import('../../assets/demo-project.json')).default as DemoProject;
}

/**
 * Adds the demo task with its samples (all human-written). If the samples cannot be stored
 * (a full disk), the half-made task is removed again.
 */
export async function addDemoProject(db: Database, now = Date.now()): Promise<Task> {
  const demo = await loadDemoProject();
  const task = await createTask(db, demo.task, now, demo.attribution);
  try {
    await addSamples(
      db,
      demo.samples.map((s) => ({ ...s, taskId: task.id, source: 'human' as const })),
      { now },
    );
  } catch (error) {
    await deleteTask(db, task.id)
      .then(() => purgeDetachedSamples(db, task.id))
      .catch(() => undefined);
    throw toAppError(error);
  }
  return task;
}
