import { describe, expect, it } from 'vitest';
import type { Sample } from '../domain/sample';
import { statsOf } from '../domain/sample-stats';
import { storedSample } from '../../../tests/fixtures/stored-sample';
import { testSplitKey } from './evaluation.svelte';

const sample = (i: number, over: Partial<Sample> = {}): Sample =>
  storedSample(i, { split: 'test', source: 'human', ...over });

describe('whether the Evaluate view reads the test texts again', () => {
  const task = { id: 't', updatedAt: 1 };
  const test = [sample(1), sample(2, { label: 'health' }), sample(3, { language: 'ha' })];
  const key = testSplitKey(task, statsOf(test));

  it('does not when only training samples came or went', () => {
    const training = [sample(10, { split: 'train', source: 'synthetic' }), sample(11, { split: 'train' })];
    expect(testSplitKey(task, statsOf([...test, ...training]))).toBe(key);
  });

  it('does when a test text is edited, relabelled, moved, removed or added, or the task changed', () => {
    const changed = [
      [sample(1, { text: 'other', textHash: 'other' }), test[1], test[2]],
      [sample(1, { label: 'health' }), test[1], test[2]],
      [sample(1, { language: 'ha' }), test[1], test[2]],
      [sample(1, { split: 'train' }), test[1], test[2]],
      [sample(1, { deletedAt: 5 }), test[1], test[2]],
      [...test, sample(4)],
    ] as Sample[][];
    for (const samples of changed) expect(testSplitKey(task, statsOf(samples))).not.toBe(key);
    expect(testSplitKey({ ...task, updatedAt: 2 }, statsOf(test))).not.toBe(key);
  });
});
