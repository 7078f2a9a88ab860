import { describe, expect, it } from 'vitest';
import type { EvaluatorResult } from '../domain/evaluation';
import { runOutcome } from './evaluation';

const evaluator = (over: Partial<EvaluatorResult>): EvaluatorResult => ({
  key: 'student:c1',
  name: 'n-gram student',
  spec: { kind: 'student', classifierId: 'c1' },
  student: { kind: 'ngram', encoderId: null },
  trainedOn: null,
  sizeBytes: null,
  predictions: [],
  done: 0,
  latencyMs: 0,
  invalidAnswers: [],
  status: 'done',
  error: null,
  scores: null,
  ...over,
});

const llm = (examplesPerLabel: number): Partial<EvaluatorResult> => ({
  spec: {
    kind: 'llm',
    generator: { kind: 'recorded', url: 'models/recordings/news.json' },
    examplesPerLabel,
    selection: 'random',
  } as EvaluatorResult['spec'],
  status: 'failed',
  error: 'The model could not be downloaded.',
});

describe('a finished run in words', () => {
  it('says done only when every evaluator has its scores', () => {
    expect(runOutcome({ evaluators: [evaluator({}), evaluator({ name: 'other' })] })).toEqual({
      text: 'Done: every evaluator has its scores.',
      failed: false,
    });
  });

  it('says how many ran and why each other one could not', () => {
    const outcome = runOutcome({ evaluators: [evaluator({}), evaluator(llm(0)), evaluator(llm(4))] });
    expect(outcome.failed).toBe(true);
    expect(outcome.text).toMatch(
      /^1 of 3 evaluated; 2 could not run: LLM .*: The model could not be downloaded; LLM .*: The model could not be downloaded\.$/,
    );
    expect(runOutcome({ evaluators: [evaluator(llm(0))] }).text).toMatch(/^No evaluator could run: LLM /);
  });
});
