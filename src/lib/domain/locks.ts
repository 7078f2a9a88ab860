/**
 * @file Names of the Web Locks that make one tab the runner of a job.
 */

/** The lock held while a task's generation runs. */
export const generationLockName = (taskId: string): string => `polyclass-generate-${taskId}`;

/** The lock held while a task's evaluation runs. */
export const evaluationLockName = (taskId: string): string => `polyclass-evaluate-${taskId}`;
