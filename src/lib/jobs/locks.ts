/**
 * @file Names of the Web Locks that make one tab the runner of a job.
 */

/** The lock held while a task's generation runs. */
export const generationLockName = (taskId: string): string => `polyclass-generate-${taskId}`;
