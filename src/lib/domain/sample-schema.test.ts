import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SampleSchema } from './schemas';
import { describeIssues } from '../words/schema-issues';

const sample = {
  id: 's1',
  taskId: 't1',
  text: 'Habari za leo',
  label: 'sports',
  language: 'sw',
  split: 'train',
  source: 'human',
  jobId: null,
  flags: [],
  textHash: 'h',
  createdAt: 1,
  updatedAt: 1,
  deletedAt: null,
};

describe('a stored sample (bundles, the database check)', () => {
  it('has a label outside the pool split and none in it', () => {
    expect(v.safeParse(SampleSchema, sample).success).toBe(true);
    expect(v.safeParse(SampleSchema, { ...sample, split: 'pool', label: '' }).success).toBe(true);
    const unlabelled = v.safeParse(SampleSchema, { ...sample, label: ' ' });
    expect(unlabelled.success).toBe(false);
    if (!unlabelled.success) expect(describeIssues(unlabelled.issues, 'Line 3')).toMatch(/Line 3.*label.*empty/);
    const labelledPool = v.safeParse(SampleSchema, { ...sample, split: 'pool' });
    expect(labelledPool.success).toBe(false);
    if (!labelledPool.success) expect(describeIssues(labelledPool.issues, 'Line 4')).toMatch(/Line 4.*label.*pool/);
  });
});
