import 'fake-indexeddb/auto';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { classifyRecording } from '../../../tests/fixtures/recording';
import { RecordedGenerator } from '../backends/recorded-generator';
import { bootstrapSeedOf, type CompareRun, type EvaluatorSpec } from '../domain/evaluation';
import { computeMetrics, scoreEvaluation } from '../domain/metrics';
import { compareMarkdown, predictionsCsv, scoresCsv } from '../files/evaluation-report';
import { useLanguage } from '../i18n/messages';
import { createRng } from '../domain/random';
import { openDatabase, type Database } from '../storage/db';
import { addSamples, listSamples } from '../storage/samples-repo';
import { newAnswerSet } from '../domain/answers';
import { evalRunsRepo } from '../storage/task-records-repo';
import { createTask } from '../storage/tasks-repo';
import { createEvaluation, runEvaluationJob, type EvaluationBackends, type EvaluationProgress } from './evaluation-job';
import { runLearningCurve, stratifiedSubset } from './learning-curve';
import { openStudent } from '../ml/student';
import { trainClassifier } from './training-job';
import { headline } from '../words/evaluation';

const LABELS = ['sports', 'politics', 'health'];
const WORDS: Record<string, string[]> = {
  sports: ['mechi', 'bao', 'timu', 'mchezaji', 'kocha'],
  politics: ['rais', 'bunge', 'uchaguzi', 'waziri', 'chama'],
  health: ['hospitali', 'dawa', 'chanjo', 'daktari', 'mgonjwa'],
};
/** A text of a label: two of its words and a filler; `i` varies it. */
const text = (label: string, i: number, lang: string) => {
  const w = WORDS[label] as string[];
  return `${lang} ${w[i % 5]} ${w[(i * 3 + 1) % 5]} habari ${i}`;
};

let n = 0;
async function setup(options: { synthetic?: boolean } = {}) {
  const db = await openDatabase({}, `eval-${n++}`);
  const task = await createTask(db, {
    name: 'News',
    description: '',
    languages: [
      { code: 'sw', name: 'Swahili' },
      { code: 'ha', name: 'Hausa' },
    ],
    labels: LABELS.map((name) => ({ name, description: '' })),
  });
  const rows: Parameters<typeof addSamples>[1][number][] = [];
  for (const lang of ['sw', 'ha'])
    for (const label of LABELS)
      for (let i = 0; i < 12; i++) {
        if (options.synthetic !== false)
          rows.push({
            taskId: task.id,
            text: text(label, i, lang),
            label,
            language: lang,
            split: 'train',
            source: 'synthetic',
          });
        if (i < 5)
          rows.push({
            taskId: task.id,
            text: text(label, i + 20, lang),
            label,
            language: lang,
            split: 'test',
            source: 'human',
          });
      }
  if (options.synthetic === false)
    for (const label of LABELS)
      rows.push({
        taskId: task.id,
        text: text(label, 1, 'sw'),
        label,
        language: 'sw',
        split: 'train',
        source: 'human',
      });
  await addSamples(db, rows);
  const { record } = await trainClassifier(
    db,
    task.id,
    { student: 'ngram', sources: ['synthetic', 'human'], languages: [], encoder: null, seed: 1 },
    null,
  );
  return { db, task, classifier: record };
}

async function backendsFor(db: Database, runId: string): Promise<EvaluationBackends> {
  const run = (await evalRunsRepo.get(db, runId)) as CompareRun;
  return {
    student: async (record) => openStudent(record.file, () => Promise.reject(new Error('no encoder here'))),
    generator: async (_spec, onLoad) => {
      const g = new RecordedGenerator(classifyRecording(run.items, LABELS));
      await g.load(onLoad);
      return g;
    },
  };
}

const llm = (examplesPerLabel: number): EvaluatorSpec => ({
  kind: 'llm',
  generator: { kind: 'recorded', url: 'classify.json' },
  examplesPerLabel,
  selection: 'random',
});

describe('evaluation job', () => {
  it('runs a student, the LLM zero-shot and the LLM with examples on the test set', async () => {
    const { db, task, classifier } = await setup();
    const { run, job } = await createEvaluation(
      db,
      task.id,
      [{ kind: 'student', classifierId: classifier.id }, llm(0), llm(2)],
      7,
    );
    expect(run.items).toHaveLength(30);
    const seen: EvaluationProgress[] = [];
    const end = await runEvaluationJob(db, job.id, await backendsFor(db, run.id), { onProgress: (p) => seen.push(p) });
    expect(end.status).toBe('done');
    expect(end.progress).toEqual({ done: 90, total: 90 });
    const stored = (await evalRunsRepo.get(db, run.id)) as CompareRun;
    const [student, zero, few] = stored.evaluators;
    for (const e of stored.evaluators) {
      expect(e.status).toBe('done');
      // The stored scores are exactly what the stored predictions give.
      expect(e.scores).toEqual(
        scoreEvaluation(
          LABELS,
          stored.items.map((it) => it.label),
          e.predictions,
          stored.items.map((it) => it.language),
          { seed: bootstrapSeedOf(stored.items) },
        ),
      );
    }
    expect(student?.name).toBe('n-gram student');
    // The student's confidence in each prediction is kept, for its calibration; LLMs have none.
    expect(student?.confidences).toHaveLength(30);
    for (const c of student?.confidences ?? []) expect(c).toBeGreaterThanOrEqual(1 / 3);
    expect(zero?.confidences).toBeUndefined();
    expect(student?.trainedOn).toMatchObject({ samples: 72, bySource: { synthetic: 72 } });
    expect(student?.sizeBytes).toBeGreaterThan(1000);
    // The recording: 30 items, indices 6, 13, 20, 27 name no label; 5, 11, 17, 23, 29 a wrong one.
    expect(zero?.scores?.invalid).toBe(4);
    expect(zero?.invalidAnswers[0]).toMatchObject({ index: 6, reason: { code: 'no-label' } });
    expect(zero?.scores?.accuracy).toBeCloseTo(21 / 30, 10);
    expect(few?.predictions).toEqual(zero?.predictions);
    expect(few?.name).toBe('LLM with 2 synthetic examples per label (recording classify.json)');
    expect(seen.some((p) => p.key === 'llm-1' && p.done === 30)).toBe(true);
    // Every number can be recomputed from the exported predictions.
    const exported = Papa.parse<Record<string, string>>(predictionsCsv(stored), { header: true, skipEmptyLines: true });
    expect(exported.data).toHaveLength(30);
    for (const e of stored.evaluators) {
      const again = computeMetrics(
        LABELS,
        exported.data.map((r) => r.label as string),
        exported.data.map((r) => r[e.name] as string),
      );
      expect(again.macroF1).toBe(e.scores?.macroF1);
      expect(again.accuracy).toBe(e.scores?.accuracy);
    }
    const scoreRows = Papa.parse<Record<string, string>>(scoresCsv(stored), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(scoreRows.filter((r) => r.language === 'all').map((r) => Number(r.macro_f1))).toEqual(
      stored.evaluators.map((e) => Number(e.scores?.macroF1.toFixed(4))),
    );
    expect(scoreRows.find((r) => r.evaluator === zero?.name && r.language === 'all')?.invalid_answers).toBe('4');
    const sentence = headline(stored, (c) => (c === 'sw' ? 'Swahili' : 'Hausa'));
    const report = compareMarkdown(stored, { name: 'News', languages: task.languages });
    expect(report).toContain(sentence as string);
    expect(report).toContain('| sports |');
    // The report follows the UI's language; the CSV column names stay fixed.
    await useLanguage('fr');
    const enFooter = report.trim().split('\n').at(-1);
    const french = compareMarkdown(stored, { name: 'News', languages: task.languages });
    await useLanguage('en');
    expect(french).toContain('# News : évaluation sur des données de test humaines');
    expect(french).toContain('## Matrices de confusion');
    expect(french).not.toContain(enFooter as string);
    expect(french.split('\n').filter((l) => l.startsWith('| sports |'))).toEqual(
      report.split('\n').filter((l) => l.startsWith('| sports |')),
    );
    expect(sentence).toMatch(
      /^The n-gram student trained on 72 synthetic samples (beats|trails|is level with) the LLM zero-shot/,
    );
  });

  it('compares answers imported from outside like any evaluator, and the headline weighs the student against them', async () => {
    const { db, task, classifier } = await setup();
    const tests = (await listSamples(db, task.id, { split: 'test' })).sort((a, b) => (a.id < b.id ? -1 : 1));
    // Right for the first 20, a refusal for one, wrong after; the last test text has no row, and
    // one row answers a text the task does not have.
    const rows = tests.slice(0, -1).map((s, i) => ({
      id: null,
      text: ` ${s.text} `,
      answer: i === 20 ? 'I cannot tell.' : `The topic is "${i < 20 ? s.label : LABELS.find((l) => l !== s.label)}".`,
    }));
    rows.push({ id: null, text: 'not a test text', answer: 'sports' });
    const set = newAnswerSet(task.id, { name: 'GPT-4 zero-shot', fileName: 'gpt4.tsv', rows }, 5);
    await evalRunsRepo.put(db, set);
    const { run, job } = await createEvaluation(
      db,
      task.id,
      [
        { kind: 'student', classifierId: classifier.id },
        { kind: 'answers', answerSetId: set.id },
      ],
      1,
    );
    const end = await runEvaluationJob(db, job.id, await backendsFor(db, run.id));
    expect(end.status).toBe('done');
    const stored = (await evalRunsRepo.get(db, run.id)) as CompareRun;
    const answers = stored.evaluators[1];
    expect(answers).toMatchObject({ status: 'done', name: 'GPT-4 zero-shot', done: 30 });
    expect(answers?.predictions.slice(0, 20)).toEqual(stored.items.slice(0, 20).map((it) => it.label));
    expect(answers?.predictions[20]).toBeNull();
    expect(answers?.predictions[29]).toBeNull();
    expect(answers?.scores?.accuracy).toBeCloseTo(20 / 30, 10);
    expect(answers?.invalidAnswers).toEqual([
      { index: 20, answer: 'I cannot tell.', reason: { code: 'no-label' } },
      { index: 29, answer: '', reason: { code: 'not-in-file' } },
    ]);
    expect(headline(stored, (c) => c)).toMatch(
      /^The n-gram student trained on 72 synthetic samples (beats|trails|is level with) the GPT-4 zero-shot \(imported answers\)/,
    );
    // Deleted answers fail the next run with the reason, and the student still runs.
    await evalRunsRepo.remove(db, set.id);
    await expect(createEvaluation(db, task.id, [{ kind: 'answers', answerSetId: set.id }], 1)).rejects.toThrow(
      'imported answers no longer exist',
    );
  });

  it('pauses on cancel and resumes at the first missing prediction, with the same results', async () => {
    const { db, task, classifier } = await setup();
    const specs: EvaluatorSpec[] = [{ kind: 'student', classifierId: classifier.id }, llm(1)];
    const whole = await createEvaluation(db, task.id, specs, 3);
    await runEvaluationJob(db, whole.job.id, await backendsFor(db, whole.run.id));

    const split = await createEvaluation(db, task.id, specs, 3);
    const controller = new AbortController();
    const paused = await runEvaluationJob(db, split.job.id, await backendsFor(db, split.run.id), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.key === 'llm-1' && p.done === 9) controller.abort();
      },
    });
    expect(paused.status).toBe('paused');
    const half = (await evalRunsRepo.get(db, split.run.id)) as CompareRun;
    expect(half.evaluators[0]?.status).toBe('done');
    expect(half.evaluators[1]?.done).toBe(9); // the answers received before the pause are kept
    const resumed = await runEvaluationJob(db, split.job.id, await backendsFor(db, split.run.id));
    expect(resumed.status).toBe('done');
    const a = (await evalRunsRepo.get(db, whole.run.id)) as CompareRun;
    const b = (await evalRunsRepo.get(db, split.run.id)) as CompareRun;
    expect(b.evaluators.map((e) => e.predictions)).toEqual(a.evaluators.map((e) => e.predictions));
    expect(b.evaluators[1]?.scores?.macroF1).toBe(a.evaluators[1]?.scores?.macroF1);
  });

  it('gives the same student the same interval in every run (the bootstrap is seeded by the test set)', async () => {
    const { db, task, classifier } = await setup();
    const specs: EvaluatorSpec[] = [{ kind: 'student', classifierId: classifier.id }];
    const scores = [];
    for (const seed of [1, 424_242]) {
      const { run, job } = await createEvaluation(db, task.id, specs, seed);
      await runEvaluationJob(db, job.id, await backendsFor(db, run.id));
      scores.push(((await evalRunsRepo.get(db, run.id)) as CompareRun).evaluators[0]?.scores);
    }
    expect(scores[0]?.macroF1Interval).toBeDefined();
    expect(scores[1]).toEqual(scores[0]);
  });

  it('marks an evaluator failed with the reason and runs the others', async () => {
    const { db, task, classifier } = await setup({ synthetic: false });
    const { run, job } = await createEvaluation(
      db,
      task.id,
      [llm(2), { kind: 'student', classifierId: classifier.id }],
      1,
    );
    const end = await runEvaluationJob(db, job.id, await backendsFor(db, run.id));
    expect(end.status).toBe('done');
    const stored = (await evalRunsRepo.get(db, run.id)) as CompareRun;
    expect(stored.evaluators[0]?.status).toBe('failed');
    expect(stored.evaluators[0]?.error).toMatch(/no synthetic training samples/);
    expect(stored.evaluators[1]?.status).toBe('done');
  });

  it('says what to do when the task has no test data or nothing is chosen', async () => {
    const { db, task, classifier } = await setup();
    await expect(createEvaluation(db, task.id, [], 1)).rejects.toThrow(/Choose at least one/);
    const other = await createTask(db, {
      name: 'Empty',
      description: '',
      languages: task.languages,
      labels: task.labels,
    });
    await expect(createEvaluation(db, other.id, [{ kind: 'student', classifierId: classifier.id }], 1)).rejects.toThrow(
      /no human test data yet/,
    );
  });
});

describe('learning curve', () => {
  it('keeps a share of every label × language cell, at least one each', () => {
    const samples = ['a', 'b'].flatMap((label) =>
      ['sw', 'ha'].flatMap((language) => Array.from({ length: 10 }, (_, i) => ({ label, language, i }))),
    );
    const tenth = stratifiedSubset(samples, 0.1, createRng(1));
    expect(tenth).toHaveLength(4);
    expect(new Set(tenth.map((s) => `${s.label}${s.language}`)).size).toBe(4);
    expect(stratifiedSubset(samples, 0.5, createRng(1))).toHaveLength(20);
    expect(stratifiedSubset(samples, 1, createRng(1))).toHaveLength(40);
    expect(stratifiedSubset(samples, 0.5, createRng(2))).not.toEqual(stratifiedSubset(samples, 0.5, createRng(1)));
  });

  it('trains on growing shares, scores each on the test set and stores the curve', async () => {
    const { db, task } = await setup();
    const progress: number[] = [];
    const run = await runLearningCurve(
      db,
      task.id,
      { student: 'ngram', sources: ['synthetic'], languages: [], encoder: null, seed: 1 },
      null,
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(run.points.map((p) => p.samples)).toEqual([6, 18, 36, 72]);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    for (const p of run.points) {
      expect(p.macroF1).toBeGreaterThanOrEqual(p.macroF1Interval.low);
      expect(Object.keys(p.perLanguage).sort()).toEqual(['ha', 'sw']);
    }
    // All the data classifies this easy test set better than a tenth of it.
    expect(run.points[3]?.macroF1).toBeGreaterThan(run.points[0]?.macroF1 ?? 1);
    expect(await evalRunsRepo.get(db, run.id)).toMatchObject({ kind: 'learning-curve', testItems: 30 });
  });

  it('compares synthetic samples only, people’s labels only and both, over the same shares', async () => {
    const { db, task } = await setup();
    // People's labels: a few per label and language, other texts than the synthetic ones.
    await addSamples(
      db,
      ['sw', 'ha'].flatMap((language) =>
        LABELS.flatMap((label) =>
          Array.from({ length: 4 }, (_, i) => ({
            taskId: task.id,
            text: text(label, i + 40, language),
            label,
            language,
            split: 'train' as const,
            source: 'human' as const,
          })),
        ),
      ),
    );
    const progress: number[] = [];
    const run = await runLearningCurve(
      db,
      task.id,
      { student: 'ngram', sources: ['synthetic', 'human'], languages: [], encoder: null, seed: 1 },
      null,
      { compareSources: true, onProgress: (p) => progress.push(p.done) },
    );
    expect(run.series?.map((s) => s.sources)).toEqual(['synthetic', 'human', 'both']);
    expect(run.series?.map((s) => s.points.map((p) => p.samples))).toEqual([
      [6, 18, 36, 72],
      [6, 6, 12, 24],
      [12, 24, 48, 96],
    ]);
    expect(run.points).toEqual(run.series?.[2]?.points);
    expect(progress).toEqual([0, ...Array.from({ length: 12 }, (_, i) => i + 1)]);
    const stored = await evalRunsRepo.get(db, run.id);
    expect(stored).toMatchObject({ kind: 'learning-curve' });
    expect((stored as typeof run).series).toHaveLength(3);
  });
});
