/**
 * @file The test split only ever evaluates (decision 013). Two guards:
 * - behaviour: every job that chooses or trains (training, label check, confusion rounds,
 *   generation prompts) gives the same result whether the task has a test split or not, even a
 *   test split written to mislead it;
 * - source: the only modules that name the test split are the ones listed below, each for a
 *   stated reason. A new module that reads test samples fails here until it is reviewed.
 */
import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRAST_TEST, CONTRAST_TRAIN, contrastRecording } from '../../../tests/fixtures/contrast';
import { NEWS_DRAFT } from '../../../tests/fixtures/news-generation';
import { noisyLabelledTexts } from '../../../tests/fixtures/noisy-labels';
import type { GenOptions, Generator } from '../backends/generator';
import { RecordedGenerator } from '../backends/recorded-generator';
import { DEFAULT_GENERATION } from '../domain/generation';
import type { TrainingConfig } from '../domain/student';
import { openDatabase, type Database } from '../storage/db';
import { addSamples, listSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { createGenerationJob, runGenerationJob } from './generation-job';
import { runLabelCheck } from './label-check';
import { createEvaluation } from './evaluation-job';
import { findConfusions } from './targeted-round';
import { trainClassifier } from './training-job';

let n = 0;
type Row = { text: string; label: string };

/** Test texts with rotated labels: a job that read them would learn or choose differently. */
const ROTATE: Record<string, string> = { sports: 'health', politics: 'sports', health: 'politics' };
const MISLEADING: Row[] = [
  ...CONTRAST_TEST,
  ...noisyLabelledTexts(12, 0, 99).rows.map((r, i) => ({ ...r, text: `${r.text} m${i}` })),
].map((r, i) => ({ text: `${r.text} (${i})`, label: ROTATE[r.label] ?? r.label }));

/** A task with training, seed and noisy data, and (when given) a test split. */
async function taskWith(test: readonly Row[]) {
  const db = await openDatabase({}, `test-split-${n++}`);
  const task = await createTask(db, NEWS_DRAFT);
  const rows = (split: 'train' | 'seed' | 'test', source: 'human' | 'synthetic') => (r: Row) => ({
    ...r,
    taskId: task.id,
    language: 'sw',
    split,
    source,
  });
  // Some training labels are wrong, so the label check has something to find.
  await addSamples(db, noisyLabelledTexts(20, 0.15, 5).rows.map(rows('train', 'synthetic')));
  await addSamples(db, CONTRAST_TRAIN.slice(0, 6).map(rows('seed', 'human')));
  await addSamples(db, CONTRAST_TEST.map(rows('train', 'human')));
  await addSamples(db, test.map(rows('test', 'human')));
  return { db, taskId: task.id };
}

const NGRAM: TrainingConfig = {
  student: 'ngram',
  sources: ['synthetic', 'human', 'edited'],
  languages: [],
  encoder: null,
  seed: 1,
};

/** A recorded generator that keeps every prompt it is given. */
function promptLog(): { generator: Generator; prompts: string[] } {
  const inner = new RecordedGenerator(contrastRecording());
  const prompts: string[] = [];
  const generator: Generator = {
    id: inner.id,
    load: (p) => inner.load(p),
    unload: () => inner.unload(),
    chat: (messages: Parameters<Generator['chat']>[0], opts: GenOptions, signal?: AbortSignal) => {
      prompts.push(messages.map((m) => `${m.role}: ${m.content}`).join('\n'));
      return inner.chat(messages, opts, signal);
    },
  };
  return { generator, prompts };
}

/** What a task's jobs decide, in terms that do not depend on generated ids. */
async function decisions(db: Database, taskId: string) {
  const { record } = await trainClassifier(db, taskId, NGRAM, null);
  const textOf = new Map((await listSamples(db, taskId)).map((s) => [s.id, s.text]));
  const check = await runLabelCheck(db, taskId, null);
  const confusions = await findConfusions(db, record.id, {
    encoderFor: () => Promise.reject(new Error('the n-gram student needs no encoder')),
  });
  const job = await createGenerationJob(db, taskId, {
    ...DEFAULT_GENERATION,
    perCell: 2,
    generator: { kind: 'recorded', url: 'contrast.json' },
  });
  const log = promptLog();
  await runGenerationJob(db, job.id, log.generator);
  return {
    weights: record.file.weights,
    trainedOn: record.file.training.samples,
    metrics: record.file.metrics,
    classifierId: record.id,
    mislabelled: check.mislabelled.map((m) => ({ ...m, id: textOf.get(m.id) })),
    checked: check.samples,
    confusions: { basis: confusions.basis, items: confusions.items, targets: confusions.targets },
    prompts: log.prompts,
  };
}

describe('the test split only ever evaluates', () => {
  it('training, the label check, confusion rounds and generation prompts ignore it', async () => {
    const plain = await taskWith([]);
    const misled = await taskWith(MISLEADING);
    const { classifierId: _a, ...a } = await decisions(plain.db, plain.taskId);
    const { classifierId, ...b } = await decisions(misled.db, misled.taskId);
    // The comparison means something: the jobs found and wrote things.
    expect(a.mislabelled.length).toBeGreaterThan(0);
    expect(a.prompts.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    // Evaluation does read it.
    const { run } = await createEvaluation(misled.db, misled.taskId, [{ kind: 'student', classifierId }], 1);
    expect(run.items).toHaveLength(MISLEADING.length);
  });

  it('is named only by modules that evaluate, count, import or keep it out', () => {
    const root = join(import.meta.dirname, '../../..');
    /** Module → why it may name the test split. */
    const allowed: Record<string, string> = {
      'src/lib/jobs/evaluation-job.ts': 'evaluation: compare runs score every evaluator on it',
      'src/lib/jobs/learning-curve.ts': 'evaluation: scores each fraction’s student on it, chooses nothing',
      'src/lib/ui/evaluation.svelte.ts': 'the Evaluate view shows its texts and scores',
      'src/lib/jobs/label-check.ts': 'keeps it out of the check',
      'src/lib/domain/guide.ts': 'keeps it out of the training counts',
      'src/lib/ui/guide.svelte.ts': 'keeps it out of the training counts',
      'src/lib/ui/path.svelte.ts': 'counts its samples for the path',
      'src/lib/domain/import-rows.ts': 'maps file splits named test on import',
      'src/lib/domain/sample.ts': 'declares the splits',
      'src/lib/domain/generation.ts': 'the basis of rounds stored by earlier versions (never read again)',
      'src/components/train/TargetedRound.svelte': 'words for a comparison stored by an earlier version',
    };
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|svelte)$/.test(e.name) && !/\.test\.ts$/.test(e.name)) files.push(p);
      }
    };
    walk(join(root, 'src'));
    const naming = files
      // Code only: comments may mention the split.
      .filter((f) => /'test'|"test"/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
      .map((f) => relative(root, f).replaceAll('\\', '/'))
      .sort();
    expect(naming).toEqual(Object.keys(allowed).sort());
  });
});
