import { describe, expect, it } from 'vitest';
import type { CompareRun, EvaluatorResult } from './evaluation';
import { guideFacts, similarities, similarityTrio, similarityTrios } from './guide';
import { statsOf } from './sample-stats';
import { scoreEvaluation } from './metrics';
import type { Sample } from './sample';

let n = 0;
const sample = (p: Partial<Sample>): Sample => ({
  id: `s${n++}`,
  taskId: 't',
  text: `text ${n}`,
  label: 'sports',
  language: 'sw',
  split: 'train',
  source: 'human',
  jobId: null,
  flags: [],
  textHash: `h${n}`,
  createdAt: n,
  updatedAt: n,
  deletedAt: null,
  ...p,
});

const LABELS = ['sports', 'politics'];
const items = [
  ...Array.from({ length: 4 }, (_, i) => ({ sampleId: `a${i}`, text: `a${i}`, label: 'sports', language: 'sw' })),
  ...Array.from({ length: 4 }, (_, i) => ({ sampleId: `b${i}`, text: `b${i}`, label: 'politics', language: 'sw' })),
  ...Array.from({ length: 4 }, (_, i) => ({ sampleId: `c${i}`, text: `c${i}`, label: 'sports', language: 'ha' })),
];

function evaluator(key: string, kind: 'student' | 'llm', predictions: string[]): EvaluatorResult {
  return {
    key,
    name: kind === 'student' ? 'n-gram student' : 'LLM zero-shot (recording x)',
    spec:
      kind === 'student'
        ? { kind, classifierId: 'c1' }
        : { kind, generator: { kind: 'recorded', url: 'x' }, examplesPerLabel: 0, selection: 'random' as never },
    trainedOn: null,
    sizeBytes: null,
    predictions,
    done: predictions.length,
    latencyMs: 1,
    invalidAnswers: [],
    status: 'done',
    error: null,
    scores: scoreEvaluation(
      LABELS,
      items.map((i) => i.label),
      predictions,
      items.map((i) => i.language),
      { resamples: 10 },
    ),
  };
}

describe('guided tour facts', () => {
  it('counts the user’s data, generated and thrown-out texts, and names the newest student', () => {
    const samples = [
      sample({ source: 'synthetic', jobId: 'j' }),
      sample({ source: 'synthetic', jobId: 'j', label: 'politics' }),
      sample({ source: 'synthetic', jobId: 'j', deletedAt: 5, flags: ['rejected'] }),
      sample({ source: 'human' }),
      sample({ source: 'edited', jobId: 'j' }),
      sample({ split: 'test' }),
      sample({ split: 'test', deletedAt: 3 }),
      // Unlabelled pool texts are no training data.
      sample({ split: 'pool', label: '' }),
    ];
    const facts = guideFacts(
      statsOf(samples),
      samples[0] ?? null,
      [
        {
          id: 'c2',
          name: 'newest',
          createdAt: 2,
          summary: { samples: 4 },
          file: { metrics: { validationAccuracy: 0.75 } },
        },
        { id: 'c1', name: 'older', createdAt: 1, summary: { samples: 2 }, file: {} },
      ],
      [],
    );
    expect(facts.training).toEqual({ total: 4, synthetic: 2, human: 1, edited: 1 });
    expect(facts.test).toBe(1);
    expect(facts.generated).toEqual({ accepted: 3, rejected: 1 });
    // Not evaluated yet: only its validation score is known.
    expect(facts.student).toEqual({ name: 'newest', samples: 4, accuracy: 0.75, estimated: false, test: null });
    expect(facts.comparison).toBeNull();
    expect(facts.confusion).toBeNull();
  });

  it('finds the language where the student and the LLM differ most, and the student’s worst mix-up', () => {
    // Student: Swahili perfect but one politics text taken for sports; Hausa: 2 of 4 sports taken for politics.
    const student = evaluator('s', 'student', [
      ...['sports', 'sports', 'sports', 'sports'],
      ...['politics', 'politics', 'politics', 'sports'],
      ...['sports', 'sports', 'politics', 'politics'],
    ]);
    // The LLM: Swahili all "sports", Hausa all right.
    const llm = evaluator('l', 'llm', [...Array(8).fill('sports'), ...Array(4).fill('sports')]);
    const run = {
      id: 'r',
      taskId: 't',
      createdAt: 1,
      kind: 'compare',
      seed: 1,
      labels: LABELS,
      items,
      evaluators: [llm, student],
      templateVersion: 1,
      finishedAt: 2,
    } as CompareRun;
    const facts = guideFacts([], null, [], [run]);
    // The student step says the test score Evaluate shows, not the validation score.
    const withStudent = guideFacts(
      [],
      null,
      [
        {
          id: 'c1',
          name: 'n-gram',
          createdAt: 1,
          summary: { samples: 9 },
          file: { metrics: { validationAccuracy: 0.5 } },
        },
      ],
      [run],
    );
    expect(withStudent.student?.test).toEqual({ accuracy: student.scores?.accuracy, count: 12 });
    expect(facts.comparison).toMatchObject({ language: 'sw', llmEvaluator: llm });
    expect(facts.comparison?.student).toBeGreaterThan(facts.comparison?.llm ?? 1);
    expect(facts.confusion).toEqual({
      label: 'sports',
      other: 'politics',
      language: 'ha',
      support: 4,
      count: 2,
      correct: 2,
    });
  });

  it('picks two texts of one label and one of another in one language, and says how alike they are', () => {
    const texts = [
      sample({ label: 'sports', language: 'ha' }),
      sample({ label: 'sports', language: 'sw' }),
      sample({ label: 'politics', language: 'sw' }),
      sample({ label: 'sports', language: 'sw' }),
    ];
    const trio = similarityTrio(texts);
    expect([trio?.a, trio?.b, trio?.c]).toEqual([texts[1], texts[3], texts[2]]);
    expect(similarityTrio([texts[0] as Sample, texts[2] as Sample])).toBeNull();
    const s = similarities([Float32Array.from([1, 0]), Float32Array.from([0.8, 0.6]), Float32Array.from([0, 1])]);
    expect(s.same).toBeCloseTo(0.8);
    expect(s.different).toBeCloseTo(0);
  });

  it('takes many trios, each text once, for averages', () => {
    const texts = [0, 1, 2, 3, 4, 5].flatMap(() => [
      sample({ label: 'sports', language: 'sw' }),
      sample({ label: 'politics', language: 'sw' }),
    ]);
    const trios = similarityTrios(texts, 10);
    expect(trios).toHaveLength(4);
    const used = trios.flatMap((t) => [t.a, t.b, t.c]);
    expect(new Set(used).size).toBe(used.length);
    for (const t of trios) {
      expect(t.a.label).toBe(t.b.label);
      expect(t.c.label).not.toBe(t.a.label);
    }
    expect(similarityTrios(texts, 2)).toHaveLength(2);
  });
});
