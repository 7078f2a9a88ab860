/**
 * @file The Generate view's offer to resume: a job that gave up on some cells is offered with
 * the reason it stopped (stored with the job, so it is still said after a reload); a paused one
 * with none; a failed job that wrote nothing is not offered.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_CONFIG, NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { AppError, serializeError } from '../domain/errors';
import { createGenerationJob } from '../jobs/generation-job';
import { openDatabase } from '../storage/db';
import { saveJob } from '../storage/jobs-store';
import { createTask } from '../storage/tasks-repo';
import { GenerationState } from './generation.svelte';

let n = 0;

async function stateWith(status: 'failed' | 'paused', done: number) {
  const db = await openDatabase({}, `generation-state-${n++}`);
  const task = await createTask(db, NEWS_DRAFT);
  const job = await createGenerationJob(db, task.id, NEWS_CONFIG);
  const reason = 'The generator gave no usable text for weather in Swahili after several tries.';
  await saveJob(db, {
    ...job,
    status,
    progress: { done, total: 18 },
    error: status === 'failed' ? serializeError(new AppError('internal', reason)) : null,
  });
  const state = new GenerationState(Promise.resolve(db));
  state.follow(task.id);
  await state.refresh();
  return { state, reason };
}

describe('the offer to resume a generation job', () => {
  it('says why a job that gave up on some cells stopped', async () => {
    const { state, reason } = await stateWith('failed', 12);
    expect(state.resumable?.progress.done).toBe(12);
    expect(state.resumeReason).toBe(reason);
    state.dispose();
  });

  it('gives no reason for a paused job, and offers no job that failed before writing anything', async () => {
    const paused = await stateWith('paused', 5);
    expect(paused.state.resumable).not.toBeNull();
    expect(paused.state.resumeReason).toBeNull();
    paused.state.dispose();
    const never = await stateWith('failed', 0);
    expect(never.state.resumable).toBeNull();
    expect(never.state.resumeReason).toBeNull();
    never.state.dispose();
  });
});
