/**
 * @file The numbers the guided tour (teaching mode) shows: the user's own task, data, student,
 * evaluation and confusions, as plain facts a sentence can carry. Pure; the view loads the data
 * (the task's kept counts, domain/sample-stats.ts, not its samples).
 */
import { confusedCells } from './confusion';
import type { CompareRun, EvaluatorResult } from './evaluation';
import type { ClassifierRecord } from './records';
import { cosine } from './probe-texts';
import { REJECTED_FLAG, type Sample } from './sample';
import { sumStats, type SampleStat } from './sample-stats';

export interface GuideFacts {
  training: { total: number; synthetic: number; human: number; edited: number };
  test: number;
  generated: { accepted: number; rejected: number };
  /** A generated text to show. */
  example: Pick<Sample, 'text' | 'label' | 'language'> | null;
  /**
   * The newest student: its validation accuracy (training samples held back from learning, or
   * `estimated` from leave-one-out scores of all of them) and, when the newest evaluation scored
   * it, its accuracy on the test texts (what Evaluate shows).
   */
  student: {
    name: string;
    samples: number;
    accuracy: number | null;
    estimated: boolean;
    test: { accuracy: number; count: number } | null;
  } | null;
  /** The language where the student and the LLM differ most in the newest evaluation. */
  comparison: { language: string; student: number; llm: number; llmEvaluator: EvaluatorResult } | null;
  /** The student's worst mix-up in the newest evaluation. */
  confusion: { label: string; other: string; language: string; support: number; correct: number; count: number } | null;
}

type TrioSample = Pick<Sample, 'text' | 'label' | 'language' | 'textHash'>;

/** Two texts of one label and one of another, in one language, for the similarity example. */
export function similarityTrio<S extends TrioSample>(samples: readonly S[]): { a: S; b: S; c: S } | null {
  return similarityTrios(samples, 1)[0] ?? null;
}

/**
 * Up to `max` such trios, each text in at most one trio, taken in turn across labels, so the
 * tour can show averages over the data rather than one pair that may say the opposite.
 */
export function similarityTrios<S extends TrioSample>(samples: readonly S[], max: number): { a: S; b: S; c: S }[] {
  const used = new Set<S>();
  const trios: { a: S; b: S; c: S }[] = [];
  for (const a of samples) {
    if (trios.length >= max) break;
    if (used.has(a)) continue;
    const b = samples.find((s) => s !== a && !used.has(s) && s.label === a.label && s.language === a.language);
    const c = samples.find((s) => !used.has(s) && s.label !== a.label && s.language === a.language);
    if (!b || !c) continue;
    trios.push({ a, b, c });
    used.add(a).add(b).add(c);
  }
  return trios;
}

/** How alike the two same-label texts are, and the two of different labels (cosine). */
export function similarities(vectors: readonly [Float32Array, Float32Array, Float32Array]): {
  same: number;
  different: number;
} {
  return { same: cosine(vectors[0], vectors[1]), different: cosine(vectors[0], vectors[2]) };
}

const isStudent = (e: EvaluatorResult) => e.spec.kind === 'student';

/** A classifier's accuracy on the test texts in the newest run that scored it. */
function testScoreOf(classifierId: string, runs: readonly CompareRun[]): { accuracy: number; count: number } | null {
  for (const run of runs) {
    const e = run.evaluators.find((x) => x.spec.kind === 'student' && x.spec.classifierId === classifierId);
    if (e?.scores) return { accuracy: e.scores.accuracy, count: run.items.length };
  }
  return null;
}

/**
 * The facts of a task for the tour.
 * @param samples live samples and removed ones (rejected by filters count as thrown out)
 * @param classifiers newest first
 * @param runs evaluation runs, newest first
 */
export function guideFacts(
  stats: readonly SampleStat[],
  example: Pick<Sample, 'text' | 'label' | 'language'> | null,
  classifiers: readonly {
    id: string;
    name: string;
    createdAt: number;
    summary: Pick<ClassifierRecord['summary'], 'samples'>;
    file: Pick<ClassifierRecord['file'], 'metrics'>;
  }[],
  runs: readonly CompareRun[],
): GuideFacts {
  // Unlabelled pool texts teach nothing until labelled.
  const isTraining = (s: SampleStat) => s.split !== 'test' && s.split !== 'pool';
  const count = (source: Sample['source']) => sumStats(stats, (s) => isTraining(s) && s.source === source).live;
  const all = sumStats(stats);
  const newest = classifiers[0];
  const metrics = newest?.file.metrics;
  const summary = newest?.summary;

  const run = runs.find((r) => r.evaluators.some((e) => isStudent(e) && e.scores));
  let comparison: GuideFacts['comparison'] = null;
  let confusion: GuideFacts['confusion'] = null;
  if (run) {
    const best = (list: EvaluatorResult[]) =>
      list.filter((e) => e.scores).sort((x, y) => (y.scores?.macroF1 ?? 0) - (x.scores?.macroF1 ?? 0))[0];
    const student = best(run.evaluators.filter(isStudent));
    const llm = best(run.evaluators.filter((e) => e.spec.kind === 'llm' || e.spec.kind === 'answers'));
    if (student?.scores && llm?.scores) {
      for (const [language, s] of Object.entries(student.scores.perLanguage)) {
        const l = llm.scores.perLanguage[language];
        if (!l) continue;
        if (!comparison || Math.abs(s.macroF1 - l.macroF1) > Math.abs(comparison.student - comparison.llm))
          comparison = { language, student: s.macroF1, llm: l.macroF1, llmEvaluator: llm };
      }
    }
    if (student) {
      const predictions = run.items.map((item, i) => ({
        truth: item.label,
        predicted: student.predictions[i] ?? '',
        language: item.language,
      }));
      const worst = confusedCells(predictions, run.labels, { max: 1, minCount: 1 })[0];
      if (worst)
        confusion = {
          label: worst.label,
          other: worst.confusedWith,
          language: worst.language,
          support: worst.support,
          count: worst.count,
          correct: predictions.filter(
            (p) => p.truth === worst.label && p.language === worst.language && p.predicted === p.truth,
          ).length,
        };
    }
  }

  return {
    training: {
      total: sumStats(stats, isTraining).live,
      synthetic: count('synthetic'),
      human: count('human'),
      edited: count('edited'),
    },
    test: sumStats(stats, (s) => s.split === 'test').live,
    generated: {
      accepted: all.generated,
      rejected: (all.flags[REJECTED_FLAG] ?? 0) + (all.removedFlags[REJECTED_FLAG] ?? 0),
    },
    example,
    student: newest
      ? {
          name: newest.name,
          samples: summary?.samples ?? 0,
          accuracy: metrics?.validationAccuracy ?? metrics?.leaveOneOutAccuracy ?? null,
          estimated: metrics?.validationAccuracy === undefined && metrics?.leaveOneOutAccuracy !== undefined,
          test: testScoreOf(newest.id, runs),
        }
      : null,
    comparison,
    confusion,
  };
}
