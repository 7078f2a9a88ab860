/**
 * @file The data worker's classifier listings: what the Train, Evaluate and Playground views and
 * the guide list, read off the page: every classifier of the task, newest first, whole but for
 * its file's weights.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { openDatabase } from '../storage/db';
import { classifiersRepo } from '../storage/task-records-repo';
import { createTask } from '../storage/tasks-repo';
import { createDataHandlers } from './data-handlers';

describe('classifier listings', () => {
  it("lists a task's classifiers newest first, each whole but for its weights", async () => {
    const db = await openDatabase({}, 'data-handlers-listings');
    const task = await createTask(db, NEWS_DRAFT);
    const other = await createTask(db, NEWS_DRAFT);
    const older = { ...classifierRecordFor(task.id, ['sports', 'politics']), id: 'c-old', createdAt: 1000 };
    const newer = { ...classifierRecordFor(task.id, ['sports', 'politics']), id: 'c-new', createdAt: 2000 };
    await classifiersRepo.put(db, older);
    await classifiersRepo.put(db, newer);
    await classifiersRepo.put(db, { ...classifierRecordFor(other.id, ['sports']), id: 'c-other' });
    const handlers = createDataHandlers(() => Promise.resolve(db));
    const ctx = { progress: () => undefined, signal: new AbortController().signal, transfer: () => undefined };
    const listed = await handlers.classifierListings({ taskId: task.id }, ctx);
    expect(listed.map((c) => c.id)).toEqual(['c-new', 'c-old']);
    for (const [i, record] of [newer, older].entries()) {
      const { weights, ...file } = record.file;
      expect(weights).toBeDefined();
      expect(listed[i]).toEqual({ ...record, file });
      expect(listed[i]?.file).not.toHaveProperty('weights');
    }
    // The stored records keep their weights.
    expect((await classifiersRepo.get(db, 'c-new'))?.file.weights).toEqual(newer.file.weights);
  });
});
