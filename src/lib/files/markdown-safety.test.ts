/**
 * Hostile task text in every Markdown document polyclass writes (issue 16, item 8): the model
 * card, the evaluation report and the dataset card carry it as inert text.
 */
import { describe, expect, it } from 'vitest';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';
import type { CompareRun, EvaluatorResult } from '../domain/evaluation';
import { mdText } from '../domain/markdown';
import { scoreEvaluation } from '../domain/metrics';
import type { Sample } from '../domain/sample';
import type { Task } from '../domain/task';
import { modelCard } from '../ml/model-card';
import { datasetCard } from './dataset-files';
import { compareMarkdown } from './evaluation-report';

const task: Task = {
  id: 't',
  name: '<img src=x onerror="alert(1)"> News',
  description: 'Topics\n# Heading injected\n<script>alert(2)</script> [click](javascript:alert(3)) &lt;kept&gt;',
  languages: [
    { code: 'sw', name: '**Swahili** <b>bold</b>' },
    { code: 'ha', name: 'Hausa | pipe' },
  ],
  labels: [
    { name: '[x](javascript:alert(4))', description: '![img](http://evil.example/t.png)' },
    { name: 'politics_`code`', description: '<iframe src=//evil.example>' },
  ],
  createdAt: 1,
  updatedAt: 1,
};
const LABELS = task.labels.map((l) => l.name);

/** What no document may contain: live HTML, a live link or image, a heading or row begun by user text. */
function expectInert(doc: string): void {
  expect(doc).not.toMatch(/<(img|script|b|iframe)\b/i);
  expect(doc).not.toMatch(/(?<!\\)\]\((javascript|http)/);
  expect(doc.split('\n').some((line) => line.startsWith('# Heading injected'))).toBe(false);
  expect(doc).not.toContain('&lt;kept&gt;'); // the user's own entity text is kept as typed: &amp;lt;kept&amp;gt;
}

describe('Markdown documents with hostile task text', () => {
  it('makes any text inert inline Markdown', () => {
    expect(mdText('a <b>|</b> [x](y) *z* `c` &amp;\n# h')).toBe(
      'a &lt;b&gt;\\|&lt;/b&gt; \\[x\\](y) \\*z\\* \\`c\\` &amp;amp; # h',
    );
  });

  it('keeps the model card inert', () => {
    const record = { ...classifierRecordFor('t', LABELS), name: '<script>alert(5)</script> student' };
    const card = modelCard(task, record);
    expectInert(card);
    expect(card).toContain('&lt;img src=x onerror="alert(1)"&gt; News');
    expect(card).toContain('&amp;lt;kept&amp;gt;');
  });

  it('keeps the evaluation report inert', () => {
    const items = [0, 1, 2, 3].map((i) => ({
      sampleId: `s${i}`,
      text: `t${i}`,
      label: LABELS[i % 2] as string,
      language: i < 2 ? 'sw' : 'ha',
    }));
    const predictions = items.map((it) => it.label);
    const evaluator: EvaluatorResult = {
      key: 'student-0',
      name: 'n-gram',
      spec: { kind: 'student', classifierId: 'c1' },
      student: { kind: 'ngram', encoderId: '<img src=y onerror=alert(6)>' },
      trainedOn: null,
      sizeBytes: null,
      predictions,
      done: 4,
      latencyMs: 1,
      invalidAnswers: [],
      status: 'done',
      error: null,
      scores: scoreEvaluation(
        LABELS,
        predictions,
        predictions,
        items.map((i) => i.language),
        { resamples: 10 },
      ),
    };
    const failed: EvaluatorResult = {
      ...evaluator,
      key: 'student-1',
      status: 'failed',
      scores: null,
      error: '<script>alert(7)</script>',
    };
    const run: CompareRun = {
      id: 'r',
      taskId: 't',
      createdAt: 1,
      kind: 'compare',
      seed: 1,
      labels: LABELS,
      items,
      evaluators: [evaluator, failed],
      templateVersion: 1,
      finishedAt: 2,
    };
    const report = compareMarkdown(run, task);
    expectInert(report);
    // Table rows keep their column count: a pipe in a language name is escaped.
    expect(report).toContain('Hausa \\| pipe');
  });

  it('keeps the dataset card inert, and its YAML front matter quoted', () => {
    const samples: Sample[] = [0, 1].map((i) => ({
      id: `s${i}`,
      taskId: 't',
      text: `text ${i}`,
      label: LABELS[i] as string,
      language: 'sw',
      split: 'train',
      source: 'synthetic',
      jobId: 'j',
      flags: [],
      textHash: `h${i}`,
      createdAt: 1,
      updatedAt: 1,
      deletedAt: null,
      meta: { generator: '<img src=z onerror=alert(8)>', strategy: '[s](javascript:alert(9))', filters: 'a`b' },
    }));
    const card = datasetCard({ ...task, languages: [{ code: 'sw\nlicense: evil', name: 'Swahili' }] }, samples);
    expectInert(card);
    expect(card).toContain('- "sw\\nlicense: evil"');
    expect(card).not.toMatch(/^license: evil/m);
  });
});
