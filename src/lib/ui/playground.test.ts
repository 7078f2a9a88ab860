/**
 * @file What the "not sure" threshold did on a student's evaluation: the latest finished run
 * with a confidence for every test text is the one read.
 */
import { describe, expect, it } from 'vitest';
import type { CompareRun, EvaluatorResult, TestItem } from '../domain/evaluation';
import type { EvalRunRecord } from '../domain/records';
import { evidenceAt, latestEvidence } from './playground.svelte';

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
