/**
 * @file The demo project shipped with the app: a Swahili, Hausa and Yoruba news-topic task from
 * SIB-200 with label descriptions, seed examples, human training and test sentences, and GPT-4's
 * and GPT-3.5's zero-shot answers for those test sentences as imported answers (see
 * scripts/build-demo.ts), so a newcomer can train and compare with GPT-4 at once, no download.
 */
import { newAnswerSet } from '../domain/answers';
import type { AnswerSet } from '../domain/evaluation';
import { toAppError } from '../domain/errors';
import type { Split } from '../domain/sample';
import type { Task, TaskDraft } from '../domain/task';
import type { Database } from './db';
import { addSamples } from './samples-repo';
import { evalRunsRepo } from './task-records-repo';
import { createTask, deleteTask, purgeDetachedSamples } from './tasks-repo';

export interface DemoProject {
  task: TaskDraft;
  attribution: string;
  samples: { text: string; label: string; language: string; split: Split }[];
  answerSets: Pick<AnswerSet, 'name' | 'fileName' | 'attribution' | 'rows'>[];
}

/** The demo's data, loaded on demand (it is not part of the app's first download). */
export async function loadDemoProject(): Promise<DemoProject> {
  return (await import('../../assets/demo-project.json')).default as DemoProject;
}

/**
 * Adds the demo task with its samples (all human-written) and its imported answers. If they
 * cannot be stored (a full disk), the half-made task is removed again.
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
    for (const [i, set] of demo.answerSets.entries()) await evalRunsRepo.put(db, newAnswerSet(task.id, set, now, i));
  } catch (error) {
    await deleteTask(db, task.id)
      .then(() => purgeDetachedSamples(db, task.id))
      .catch(() => undefined);
    throw toAppError(error);
  }
  return task;
}
