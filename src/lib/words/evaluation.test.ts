import { describe, expect, it } from 'vitest';
import type { EvaluatorResult } from '../domain/evaluation';
import { scoreEvaluation } from '../domain/metrics';
import { headline, runOutcome } from './evaluation';

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

describe('the headline of a run with students only', () => {
  it('says what the best student scores, against guessing, and its best and weakest language', () => {
    const labels = ['sports', 'politics'];
    const truth = ['sports', 'politics', 'sports', 'politics', 'sports', 'politics', 'sports', 'politics'];
    const languages = ['sw', 'sw', 'sw', 'sw', 'ha', 'ha', 'ha', 'ha'];
    // Right on every Swahili text, half right in Hausa.
    const predicted = ['sports', 'politics', 'sports', 'politics', 'sports', 'sports', 'sports', 'sports'];
    const scores = scoreEvaluation(labels, truth, predicted, languages);
    const run = {
      labels,
      items: truth.map((label, i) => ({ sampleId: `s${i}`, text: `t${i}`, label, language: languages[i] ?? '' })),
      evaluators: [evaluator({ scores, trainedOn: { samples: 40, bySource: { human: 40 }, byLanguage: {} } as never })],
    };
    const names: Record<string, string> = { sw: 'Swahili', ha: 'Hausa' };
    const said = headline(run as never, (c) => names[c] ?? c);
    expect(said).toBe(
      `The n-gram student trained on 40 human samples scores ${(100 * scores.macroF1).toFixed(1)} macro-F1 points out of 100 on 8 test texts (95% interval ${(100 * scores.macroF1Interval.low).toFixed(1)}–${(100 * scores.macroF1Interval.high).toFixed(1)}); guessing at random would score about 50.0. Best in Swahili (100.0), weakest in Hausa (33.3).`,
    );
  });
});
