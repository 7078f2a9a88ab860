/**
 * @file Evaluators and comparisons in words, in the UI's language of now: evaluator names
 * ("MLP student on e5-small", "LLM zero-shot (Qwen…)"), what a student was trained on, and the
 * compare view's headline. Runs store codes and specs, so an old run reads in today's language.
 */
import { message, messageLanguage } from '../i18n/messages';
import { headlineFacts, type CompareRun, type EvaluatorResult, type EvaluatorSpec } from '../domain/evaluation';
import { generatorName } from '../domain/model-spec';
import type { StudentKind, TrainedOn } from '../domain/student';

/** A student's name: "n-gram student", "MLP student on e5-small". */
export function studentName(kind: StudentKind, encoderId: string | null | undefined): string {
  const name = message(`evaluator.student.${kind}`);
  return encoderId ? message('evaluator.on', { name, encoder: encoderId.split('/').pop() ?? encoderId }) : name;
}

/** An evaluator's name (runs made before names were kept as codes: as stored). */
export function evaluatorName(e: Pick<EvaluatorResult, 'name' | 'spec' | 'student'>): string {
  if (e.spec.kind === 'llm') return llmEvaluatorName(e.spec);
  if (e.spec.kind === 'answers') return message('evaluator.answers', { name: e.name });
  return e.student ? studentName(e.student.kind, e.student.encoderId) : e.name;
}

/**
 * How a finished run went, truthfully: "Done: every evaluator has its scores." only when every
 * one has; else how many did and, for each that could not run, its name and why.
 */
export function runOutcome(run: Pick<CompareRun, 'evaluators'>): { text: string; failed: boolean } {
  const failed = run.evaluators.filter((e) => e.status === 'failed');
  if (failed.length === 0) return { text: message('eval.done'), failed: false };
  const reasons = failed
    .map((e) => (e.error ? `${evaluatorName(e)}: ${e.error.replace(/[.。]\s*$/, '')}` : evaluatorName(e)))
    .join('; ');
  const done = run.evaluators.filter((e) => e.status === 'done').length;
  return {
    text:
      done === 0
        ? message('eval.noneRan', { reasons })
        : message('eval.donePartly', { done, total: run.evaluators.length, failed: failed.length, reasons }),
    failed: true,
  };
}

/**
 * A classifier's name in the UI's language of now, made from what it is (stored records keep
 * an English name from training time, for files): "n-gram student · 701 samples (701 human)".
 */
export function classifierName(c: {
  student: StudentKind;
  config: { encoder?: { modelId: string } | null };
  summary: TrainedOn;
}): string {
  return message('classifier.name', {
    student: studentName(c.student, c.config.encoder?.modelId),
    count: c.summary.samples,
    data: describeTrainedOn(c.summary),
  });
}

/** Display name of an LLM evaluator. */
export function llmEvaluatorName(spec: Extract<EvaluatorSpec, { kind: 'llm' }>): string {
  const generator = generatorName(spec.generator);
  return spec.examplesPerLabel === 0
    ? message('evaluator.llmZero', { generator })
    : message('evaluator.llmFew', {
        count: spec.examplesPerLabel,
        similar: spec.selection === 'similar' ? 'yes' : 'no',
        generator,
      });
}

/** "300 synthetic", "120 human + 300 synthetic". */
export function describeTrainedOn(t: TrainedOn): string {
  return Object.entries(t.bySource)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, n]) =>
      source === 'synthetic' || source === 'human' || source === 'edited'
        ? message(`trained.${source}`, { count: n })
        : `${n} ${source}`,
    )
    .join(' + ');
}

/** A 0–1 score as points out of 100 with one decimal, in the UI's language ("52.0", « 52,0 »). */
const points = (x: number) =>
  new Intl.NumberFormat(messageLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(100 * x);

/**
 * The headline of a comparison (see `headlineFacts`): who beats whom by how many points,
 * where the gap is widest, and whether the difference may be chance; with students only, what
 * the best one scores. Null until an evaluator has scores.
 * @param languageName code → name
 */
export function headline(run: CompareRun, languageName: (code: string) => string): string | null {
  const facts = headlineFacts(run);
  if (!facts) return studentsHeadline(run, languageName);
  const { student, llm, diff, widest, overlap } = facts;
  const words = {
    student: student.trainedOn
      ? message('headline.studentTrained', { name: evaluatorName(student), data: describeTrainedOn(student.trainedOn) })
      : message('headline.student', { name: evaluatorName(student) }),
    llm: message('headline.llm', { name: evaluatorName(llm) }),
    a: points(student.scores?.macroF1 ?? 0),
    b: points(llm.scores?.macroF1 ?? 0),
  };
  let sentence =
    Math.abs(diff) < 0.005
      ? message('headline.level', words)
      : message(diff > 0 ? 'headline.beats' : 'headline.trails', { ...words, gap: points(Math.abs(diff)) });
  if (widest)
    sentence += message('headline.widest', {
      language: languageName(widest.language),
      sign: widest.gap >= 0 ? '+' : '−',
      gap: points(Math.abs(widest.gap)),
    });
  if (Math.abs(diff) >= 0.005 && overlap) sentence += message('headline.overlap');
  return sentence;
}

/**
 * The headline of a run with students only: what the best one scores, against guessing, and
 * its best and weakest language. Null until a student has scores.
 */
function studentsHeadline(run: CompareRun, languageName: (code: string) => string): string | null {
  const scored = run.evaluators.filter((e) => e.spec.kind === 'student' && e.status === 'done' && e.scores);
  const best = scored.reduce<EvaluatorResult | null>(
    (a, b) => (a?.scores && b.scores && a.scores.macroF1 >= b.scores.macroF1 ? a : b),
    null,
  );
  const s = best?.scores;
  if (!best || !s) return null;
  const student = best.trainedOn
    ? message('headline.studentTrained', { name: evaluatorName(best), data: describeTrainedOn(best.trainedOn) })
    : message('headline.student', { name: evaluatorName(best) });
  let sentence = message('headline.studentOnly', {
    student,
    a: points(s.macroF1),
    low: points(s.macroF1Interval.low),
    high: points(s.macroF1Interval.high),
    count: run.items.length,
    chance: points(1 / Math.max(1, run.labels.length)),
  });
  const languages = Object.entries(s.perLanguage).sort((x, y) => y[1].macroF1 - x[1].macroF1);
  const top = languages[0];
  const bottom = languages.at(-1);
  if (languages.length > 1 && top && bottom && top[1].macroF1 - bottom[1].macroF1 >= 0.005)
    sentence += message('headline.bestWorst', {
      best: languageName(top[0]),
      bestScore: points(top[1].macroF1),
      worst: languageName(bottom[0]),
      worstScore: points(bottom[1].macroF1),
    });
  return sentence;
}
