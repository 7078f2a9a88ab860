/**
 * @file A comparison as files for a workshop handout or a paper appendix: a Markdown report,
 * the scores as CSV (one row per evaluator × scope), and every prediction as CSV, from which
 * each score can be recomputed. The report is written in the UI's language; the CSV column
 * names stay fixed identifiers, so scripts can read any export.
 */
import { toCsv, type CsvOptions } from './csv';
import { type CompareRun, type EvaluatorResult } from '../domain/evaluation';
import { formatBytes } from '../domain/format';
import { mdText } from '../domain/markdown';
import type { Task } from '../domain/task';
import { message } from '../i18n/messages';
import { describeTrainedOn, evaluatorName, headline } from '../words/evaluation';

/** What a prediction CSV writes for an answer that named no label. */
export const INVALID_CELL = '(invalid)';

const done = (run: CompareRun) => run.evaluators.filter((e) => e.status === 'done' && e.scores);
const msPerText = (e: EvaluatorResult) => (e.done > 0 ? e.latencyMs / e.done : null);
const r4 = (x: number) => Number(x.toFixed(4));

/** Scores: per evaluator, one row for all items and one per language. */
export function scoresCsv(run: CompareRun): string {
  const rows: (string | number | null)[][] = [];
  for (const e of done(run)) {
    const s = e.scores;
    if (!s) continue;
    const common = [evaluatorName(e), e.spec.kind, e.trainedOn ? describeTrainedOn(e.trainedOn) : ''];
    const ms = msPerText(e);
    rows.push([
      ...common,
      'all',
      s.count,
      r4(s.accuracy),
      r4(s.macroF1),
      r4(s.macroF1Interval.low),
      r4(s.macroF1Interval.high),
      s.invalid,
      ms === null ? null : Number(ms.toFixed(2)),
      e.sizeBytes,
    ]);
    for (const [lang, l] of Object.entries(s.perLanguage))
      rows.push([
        ...common,
        lang,
        l.count,
        r4(l.accuracy),
        r4(l.macroF1),
        r4(l.macroF1Interval.low),
        r4(l.macroF1Interval.high),
        null,
        null,
        null,
      ]);
  }
  return toCsv(
    [
      'evaluator',
      'kind',
      'trained_on',
      'language',
      'items',
      'accuracy',
      'macro_f1',
      'macro_f1_ci_low',
      'macro_f1_ci_high',
      'invalid_answers',
      'ms_per_text',
      'model_bytes',
    ],
    rows,
  );
}

/** Every test item with its true label and each evaluator's prediction (formula-like texts guarded unless `raw`). */
export function predictionsCsv(run: CompareRun, options: CsvOptions = {}): string {
  const evaluators = done(run);
  return toCsv(
    ['text', 'language', 'label', ...evaluators.map((e) => evaluatorName(e))],
    run.items.map((it, i) => [
      it.text,
      it.language,
      it.label,
      ...evaluators.map((e) => e.predictions[i] ?? INVALID_CELL),
    ]),
    options,
  );
}

const pct = (x: number) => (100 * x).toFixed(1);
/** Untrusted text (names, labels, languages, errors) as inert Markdown: no markup, no pipe, no newline. */
const cell = mdText;

/** The comparison as a Markdown report. */
export function compareMarkdown(run: CompareRun, task: Pick<Task, 'name' | 'languages'>): string {
  const name = (code: string) => task.languages.find((l) => l.code === code)?.name ?? code;
  const mdName = (code: string) => cell(name(code));
  const evaluators = done(run);
  const languages = [...new Set(run.items.map((it) => it.language))].sort();
  const lines: string[] = [
    `# ${message('report.title', { task: cell(task.name) })}`,
    '',
    message('report.run', {
      date: new Date(run.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      count: run.items.length,
      languages: languages.map(mdName).join(', '),
      seed: run.seed,
    }),
    '',
  ];
  const sentence = headline(run, name);
  if (sentence) lines.push(cell(sentence), '');
  lines.push(message('report.head'), '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const e of evaluators) {
    const s = e.scores;
    if (!s) continue;
    const ms = msPerText(e);
    lines.push(
      `| ${cell(evaluatorName(e))} | ${e.trainedOn ? message('report.samples', { what: cell(describeTrainedOn(e.trainedOn)) }) : '–'} | ${pct(s.macroF1)} | ${pct(s.macroF1Interval.low)}–${pct(s.macroF1Interval.high)} | ${pct(s.accuracy)} | ${s.invalid} | ${ms === null ? '–' : ms.toFixed(1)} | ${e.sizeBytes === null ? '–' : formatBytes(e.sizeBytes)} |`,
    );
  }
  const failed = run.evaluators.filter((e) => e.status === 'failed');
  if (failed.length) {
    lines.push('', message('report.notEvaluated'));
    for (const e of failed) lines.push(`- ${cell(evaluatorName(e))}: ${cell(e.error ?? message('report.failed'))}`);
  }
  if (languages.length > 1) {
    lines.push(
      '',
      `## ${message('report.perLanguage')}`,
      '',
      `| ${message('report.evaluator')} | ${languages.map(mdName).join(' | ')} |`,
    );
    lines.push(`| --- | ${languages.map(() => '---:').join(' | ')} |`);
    for (const e of evaluators)
      lines.push(
        `| ${cell(evaluatorName(e))} | ${languages.map((l) => (e.scores?.perLanguage[l] ? pct(e.scores.perLanguage[l].macroF1) : '–')).join(' | ')} |`,
      );
  }
  lines.push('', `## ${message('report.confusion')}`, '', message('report.confusionNote'));
  for (const e of evaluators) {
    const s = e.scores;
    if (!s) continue;
    lines.push(
      '',
      `### ${cell(evaluatorName(e))}`,
      '',
      `| ${message('report.trueVsPredicted')} | ${s.confusion.labels.map(cell).join(' | ')} | ${message('report.invalid')} |`,
    );
    lines.push(`| --- | ${s.confusion.labels.map(() => '---:').join(' | ')} | ---: |`);
    s.confusion.labels.forEach((label, i) =>
      lines.push(`| ${cell(label)} | ${(s.confusion.matrix[i] ?? []).join(' | ')} | ${s.invalidByLabel[label] ?? 0} |`),
    );
  }
  lines.push('', '---', message('report.footer'), '');
  return lines.join('\n');
}
