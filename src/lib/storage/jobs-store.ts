/**
 * @file Writes of long-running jobs: each step's samples and the job's new checkpoint go in
 * one transaction, so a crash or reload never loses an accepted sample nor writes it twice.
 */
import { isJobOfKind, type EvalRunRecord, type JobKind, type JobRecord } from '../domain/records';
import type { Sample } from '../domain/sample';
import { publishChange } from './change-feed';
import { STORES, type Database } from './db';
import { StatsDelta } from './sample-stats';
import { requireTasks, writeAll } from './transaction';
import { guardQuota } from './quota-guard';

/** A job of one kind, or undefined when there is no job with that id or it is of another kind. */
export async function getJob<K extends JobKind>(
  db: Database,
  id: string,
  kind: K,
): Promise<Extract<JobRecord, { kind: K }> | undefined> {
  const job = await db.get(STORES.jobs, id);
  return job && isJobOfKind(job, kind) ? job : undefined;
}

/** A task's jobs of one kind, oldest first. */
export async function jobsOfKind<K extends JobKind>(
  db: Database,
  taskId: string,
  kind: K,
): Promise<Extract<JobRecord, { kind: K }>[]> {
  const jobs = await db.getAllFromIndex(STORES.jobs, 'by-task-kind', [taskId, kind]);
  return jobs
    .filter((j): j is Extract<JobRecord, { kind: K }> => isJobOfKind(j, kind))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** Stores a job step: its samples (accepted and rejected) and the job record, atomically. */
export async function commitJobStep(db: Database, job: JobRecord, samples: readonly Sample[]): Promise<void> {
  await guardQuota('quota.generation', async () => {
    const tx = db.transaction([STORES.samples, STORES.jobs, STORES.tasks, STORES.sampleStats], 'readwrite');
    await requireTasks(tx, [job.taskId]);
    const delta = new StatsDelta();
    for (const s of samples) delta.change(undefined, s);
    await writeAll(tx, [
      () => tx.objectStore(STORES.jobs).put(job),
      ...samples.map((s) => () => tx.objectStore(STORES.samples).add(s)),
      ...delta.writes(tx),
    ]);
  });
  publishChange({ store: STORES.jobs, taskId: job.taskId, kind: 'put', count: 1 });
  if (samples.length) publishChange({ store: STORES.samples, taskId: job.taskId, kind: 'put', count: samples.length });
}

/** Stores an evaluation step: the run (with its predictions so far) and the job, atomically. */
export async function commitEvaluationStep(db: Database, run: EvalRunRecord, job: JobRecord): Promise<void> {
  await guardQuota('quota.evaluation', async () => {
    const tx = db.transaction([STORES.evalRuns, STORES.jobs, STORES.tasks], 'readwrite');
    await requireTasks(tx, [job.taskId, run.taskId]);
    await writeAll(tx, [() => tx.objectStore(STORES.jobs).put(job), () => tx.objectStore(STORES.evalRuns).put(run)]);
  });
  publishChange({ store: STORES.jobs, taskId: job.taskId, kind: 'put', count: 1 });
  publishChange({ store: STORES.evalRuns, taskId: run.taskId, kind: 'put', count: 1, ids: [run.id] });
}

/** Saves a job record alone (status changes). */
export async function saveJob(db: Database, job: JobRecord): Promise<void> {
  await guardQuota('quota.job', async () => {
    const tx = db.transaction([STORES.jobs, STORES.tasks], 'readwrite');
    await requireTasks(tx, [job.taskId]);
    await writeAll(tx, [() => tx.objectStore(STORES.jobs).put(job)]);
  });
  publishChange({ store: STORES.jobs, taskId: job.taskId, kind: 'put', count: 1 });
}

/** Samples a job wrote, accepted and rejected. */
export async function samplesOfJob(db: Database, taskId: string, jobId: string): Promise<Sample[]> {
  return db.getAllFromIndex(STORES.samples, 'by-job', [taskId, jobId]);
}
