/**
 * @file The tour's comparison runs: read newest first, stopping once the facts it states are
 * found, and the facts the same as from every run.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { orderedId } from '../domain/ids';
import { guideFacts } from '../domain/guide';
import { scoreEvaluation } from '../domain/metrics';
import type { CompareRun, TestItem } from '../domain/evaluation';
import { openDatabase } from '../storage/db';
import { evalRunsRepo } from '../storage/task-records-repo';
import { createTask } from '../storage/tasks-repo';
import { guideRuns } from './guide.svelte';

const labels = ['a', 'b'];
const items: TestItem[] = ['a', 'b', 'a', 'b'].map((label, i) => ({
  sampleId: `s${i}`,
  text: `text ${i}`,
  label,
  language: 'sw',
}));

/** A comparison run of one student; `scored`: it finished with scores. */
function run(taskId: string, createdAt: number, classifierId: string, scored: boolean): CompareRun {
  const predictions = createdAt % 2000 === 0 ? ['a', 'b', 'a', 'a'] : ['a', 'a', 'a', 'a'];
  return {
    id: orderedId(createdAt, 0),
    taskId,
    createdAt,
    kind: 'compare',
    seed: 1,
    labels,
    items,
    templateVersion: 1,
    finishedAt: createdAt,
    evaluators: [
      {
        key: classifierId,
        name: classifierId,
        spec: { kind: 'student', classifierId },
        trainedOn: null,
        sizeBytes: null,
        predictions,
        done: scored ? items.length : 1,
        latencyMs: 1,
        invalidAnswers: [],
        status: scored ? 'done' : 'pending',
        error: null,
        scores: scored
          ? scoreEvaluation(
              labels,
              items.map((x) => x.label),
              predictions,
              items.map((x) => x.language),
            )
          : null,
      },
    ],
  };
}

describe("the tour's runs", () => {
  it('stops at the newest scored run and the newest classifier’s newest score', async () => {
    const db = await openDatabase({}, 'guide-runs');
    const task = await createTask(db, NEWS_DRAFT);
    const all = [
      run(task.id, 1000, 'c1', true),
      run(task.id, 2000, 'c1', true),
      run(task.id, 3000, 'c2', true),
      run(task.id, 4000, 'c1', false),
    ];
    for (const r of all) await evalRunsRepo.put(db, r);
    const times = (runs: CompareRun[]) => runs.map((r) => r.createdAt);

    // c2, made at 2500, was scored at 3000: nothing older is read.
    expect(times(await guideRuns(db, task.id, { id: 'c2', createdAt: 2500 }))).toEqual([4000, 3000]);
    // Never evaluated, made at 3500: runs older than it cannot hold its score.
    expect(times(await guideRuns(db, task.id, { id: 'c3', createdAt: 3500 }))).toEqual([4000, 3000]);
    expect(times(await guideRuns(db, task.id, null))).toEqual([4000, 3000]);
    // c1's newest score is in the run at 2000.
    expect(times(await guideRuns(db, task.id, { id: 'c1', createdAt: 500 }))).toEqual([4000, 3000, 2000]);

    // The facts are those from every run.
    for (const newest of [
      { id: 'c1', createdAt: 500 },
      { id: 'c2', createdAt: 2500 },
    ]) {
      const listed = [{ ...newest, name: newest.id, summary: { samples: 4 }, file: { metrics: undefined } }];
      const newestFirst = [...all].reverse();
      expect(guideFacts([], null, listed, await guideRuns(db, task.id, newest))).toEqual(
        guideFacts([], null, listed, newestFirst),
      );
    }
  });
});
