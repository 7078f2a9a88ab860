/**
 * @file What the "not sure" threshold did on a student's evaluation: the latest finished run
 * with a confidence for every test text is the one read.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { orderedId } from '../domain/ids';
import { openDatabase } from '../storage/db';
import { evalRunsRepo } from '../storage/task-records-repo';
import { createTask } from '../storage/tasks-repo';
import type { CompareRun, EvaluatorResult, TestItem } from '../domain/evaluation';
import type { EvalRunRecord } from '../domain/records';
import { evidenceAt, latestEvidence, PlaygroundState } from './playground.svelte';

const items: TestItem[] = ['a', 'b', 'c', 'd'].map((label, i) => ({
  sampleId: `s${i}`,
  text: `text ${i}`,
  label,
  language: 'sw',
}));

function run(createdAt: number, classifierId: string, result: Partial<EvaluatorResult>): CompareRun {
  return {
    id: `run-${createdAt}`,
    taskId: 't',
    createdAt,
    kind: 'compare',
    seed: 1,
    labels: ['a', 'b', 'c', 'd'],
    items,
    templateVersion: 1,
    finishedAt: createdAt,
    evaluators: [
      {
        key: 'student',
        name: 'n-gram student',
        spec: { kind: 'student', classifierId },
        trainedOn: null,
        sizeBytes: null,
        predictions: ['a', 'b', 'x', 'x'],
        confidences: [0.9, 0.8, 0.6, 0.3],
        done: items.length,
        latencyMs: 1,
        invalidAnswers: [],
        status: 'done',
        error: null,
        scores: null,
        ...result,
      },
    ],
  };
}

describe('latestEvidence', () => {
  it('reads the latest finished run of that student that kept its confidences', () => {
    const runs: EvalRunRecord[] = [
      run(1, 'c1', {}),
      run(3, 'c1', { confidences: undefined }),
      run(4, 'c1', { done: 2 }),
      run(5, 'other', {}),
      run(2, 'c1', { predictions: ['a', 'b', 'c', 'x'] }),
    ];
    const evidence = latestEvidence(runs, 'c1');
    expect(evidence?.runAt).toBe(2);
    expect(evidence?.correct).toEqual([true, true, true, false]);
    expect(latestEvidence(runs, 'nobody')).toBeNull();
  });

  it('says what a threshold keeps: the share answered and how often right', () => {
    const evidence = latestEvidence([run(1, 'c1', {})], 'c1');
    if (!evidence) throw new Error('expected evidence');
    expect(evidenceAt(evidence, 0.5)).toEqual({ coverage: 0.75, accuracy: 2 / 3, answered: 3 });
    expect(evidenceAt(evidence, 0.95)).toEqual({ coverage: 0, accuracy: null, answered: 0 });
  });
});

describe("the Playground's evidence, read from storage", () => {
  it("is the student's latest usable run, read newest first", async () => {
    const db = await openDatabase({}, 'playground-evidence');
    const task = await createTask(db, NEWS_DRAFT);
    // Stored as the app stores runs: ids ordered by creation time.
    const stored = (createdAt: number, classifierId: string, result: Partial<EvaluatorResult>): CompareRun => ({
      ...run(createdAt, classifierId, result),
      id: orderedId(createdAt, 0),
      taskId: task.id,
    });
    for (const r of [
      stored(1000, 'c1', {}),
      stored(2000, 'c1', { predictions: ['a', 'b', 'c', 'x'] }),
      stored(3000, 'c1', { confidences: undefined }),
      stored(4000, 'other', {}),
    ])
      await evalRunsRepo.put(db, r);
    const state = new PlaygroundState();
    await state.loadEvidence(Promise.resolve(db), task.id, 'c1');
    expect(state.evidence?.runAt).toBe(2000);
    expect(state.evidence?.correct).toEqual([true, true, true, false]);
    await state.loadEvidence(Promise.resolve(db), task.id, 'nobody');
    expect(state.evidence).toBeNull();
  });
});
