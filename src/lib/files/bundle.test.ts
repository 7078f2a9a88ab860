import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { fromClassifierFile } from '../ml/classifier-file';
import { readRejection } from '../domain/filters';
import type { Sample } from '../domain/sample';
import { describe, expect, it } from 'vitest';
import { BUNDLE_VERSION, exportBundle, readBundle, writeBundle } from './bundle';
import { openDatabase } from '../storage/db';
import { addSamples, listSamples } from '../storage/samples-repo';
import { classifiersRepo, evalRunsRepo } from '../storage/task-records-repo';
import { classifierRecordFor } from '../../../tests/fixtures/classifier-record';
import { createTask, listTasks } from '../storage/tasks-repo';
import { createDataHandlers } from '../workers/data-handlers';

let n = 0;
const fresh = () => openDatabase({}, `bundle-test-${n++}`);
const draft = {
  name: 'Topics',
  description: '',
  languages: [{ code: 'sw', name: 'Swahili' }],
  labels: [
    { name: 'sports', description: '' },
    { name: 'politics', description: '' },
  ],
};

async function seeded() {
  const db = await fresh();
  const task = await createTask(db, draft);
  await addSamples(db, [
    { taskId: task.id, text: 'Simba imeshinda', label: 'sports', language: 'sw', split: 'test', source: 'human' },
    {
      taskId: task.id,
      text: 'Rais "alihutubia"\nbunge',
      label: 'politics',
      language: 'sw',
      split: 'train',
      source: 'synthetic',
    },
    // Not labelled yet: the pool travels with the project.
    { taskId: task.id, text: 'Habari za asubuhi', label: '', language: 'sw', split: 'pool', source: 'human' },
  ]);
  await classifiersRepo.put(db, classifierRecordFor(task.id, ['sports', 'politics']));
  return { db, task };
}

describe('bundles', () => {
  it('round-trips tasks, samples and classifiers into an empty database', async () => {
    const { db, task } = await seeded();
    const bytes = await exportBundle(db);
    const target = await fresh();
    await writeBundle(target, readBundle(bytes), 'merge');
    expect(await listTasks(target)).toEqual(await listTasks(db));
    expect(await listSamples(target, task.id)).toEqual(await listSamples(db, task.id));
    expect((await listSamples(target, task.id, { split: 'pool' })).map((s) => s.label)).toEqual(['']);
    expect(await classifiersRepo.listByTask(target, task.id)).toEqual([
      classifierRecordFor(task.id, ['sports', 'politics']),
    ]);
  });

  it('replace removes tasks that are not in the bundle; merge keeps them', async () => {
    const { db } = await seeded();
    const bytes = await exportBundle(db);
    const target = await fresh();
    const other = await createTask(target, { ...draft, name: 'Already here' });
    await writeBundle(target, readBundle(bytes), 'merge');
    expect((await listTasks(target)).map((t) => t.name).sort()).toEqual(['Already here', 'Topics']);
    await writeBundle(target, readBundle(bytes), 'replace');
    expect((await listTasks(target)).map((t) => t.id)).not.toContain(other.id);
  });

  const zip = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
  const manifest = (version = BUNDLE_VERSION) =>
    JSON.stringify({ format: 'polyclass-bundle', formatVersion: version, createdAt: '2026-01-01', counts: {} });

  it.each([
    ['not a zip', new TextEncoder().encode('text,label\n'), 'This is not a polyclass bundle'],
    ['a future version', zip({ 'manifest.json': manifest(99) }), 'made by a newer polyclass (bundle format 99'],
    ['no manifest', zip({ 'tasks.json': '[]' }), 'The bundle has no manifest.json'],
    [
      'a path-traversal name',
      zip({ '../../evil.json': '{}', 'manifest.json': manifest() }),
      'unsafe name (“../../evil.json”)',
    ],
    [
      'a __proto__ key',
      zip({ 'manifest.json': manifest(), 'tasks.json': '[{"__proto__": {"polluted": true}}]' }),
      'tasks.json in the bundle has a field named “[0].__proto__”',
    ],
    [
      'a task with wrong types',
      zip({ 'manifest.json': manifest(), 'tasks.json': '[{"id": "t", "name": 5}]' }),
      'Task 1 in tasks.json, field “name”: should be a string, not a number (5).',
    ],
    [
      'a zip bomb',
      zipSync({ 'manifest.json': strToU8(manifest()), 'samples.jsonl': new Uint8Array(50_000_000) }, { level: 9 }),
      'zip bomb',
    ],
  ])('refuses %s with a clear message', (_what, bytes, message) => {
    expect(() => readBundle(bytes)).toThrowError(
      expect.objectContaining({ code: 'invalid-file', message: expect.stringContaining(message) }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never imports short: samples missing from samples.jsonl (or unreadable) refuse the bundle', async () => {
    const { db } = await seeded();
    const files = unzipSync(await exportBundle(db));
    const lines = strFromU8(files['samples.jsonl'] as Uint8Array).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    // Readable line by line, whatever the size: multi-byte characters stay whole.
    expect(readBundle(zipSync(files)).samples).toHaveLength(lines.length);
    for (const cut of [strToU8(lines.slice(1).join('\n')), new Uint8Array(0)]) {
      expect(() => readBundle(zipSync({ ...files, 'samples.jsonl': cut }))).toThrowError(
        expect.objectContaining({
          code: 'invalid-file',
          message: expect.stringMatching(
            /^samples\.jsonl in the bundle holds \d+ samples where its manifest says \d+: the bundle is incomplete or damaged, so nothing was imported\.$/,
          ),
        }),
      );
    }
  });

  it('refuses a sample whose label the task does not have', async () => {
    const { db } = await seeded();
    const good = readBundle(await exportBundle(db));
    const task = good.tasks[0];
    const bad = zip({
      'manifest.json': manifest(),
      'tasks.json': JSON.stringify(good.tasks),
      'samples.jsonl': JSON.stringify({ ...good.samples[0], label: 'weather' }),
      'classifiers.json': '[]',
      'eval-runs.json': '[]',
    });
    expect(() => readBundle(bad)).toThrowError(
      `Line 1 of samples.jsonl, field “label”: “weather” is not a label of the task “${task?.name}”.`,
    );
  });
});

describe('bundles made by earlier versions', () => {
  const fixture = new Uint8Array(
    readFileSync(new URL('../../../tests/fixtures/bundles/before-typed-records.polyclass.zip', import.meta.url)),
  );
  const raw = (name: string): unknown => JSON.parse(strFromU8(unzipSync(fixture)[name] as Uint8Array));

  it('imports the bundle of the version before typed records with every sample, classifier and run', async () => {
    const contents = readBundle(fixture);
    expect(contents.tasks).toHaveLength(1);
    expect(contents.samples).toHaveLength(48);
    // Nothing the old version stored is dropped by the record schemas.
    expect(contents.classifiers).toEqual(raw('classifiers.json'));
    expect(contents.evalRuns).toEqual(raw('eval-runs.json'));
    expect(contents.evalRuns.map((r) => r.kind)).toEqual(['compare', 'learning-curve']);
    const db = await openDatabase({}, `bundle-test-${n++}`);
    await writeBundle(db, contents, 'merge');
    const taskId = contents.tasks[0]?.id as string;
    expect(await listSamples(db, taskId)).toHaveLength(30);
    expect(await listSamples(db, taskId, { deleted: true })).toHaveLength(18);
    // Rejections the old version stored as English sentences read as codes, in today's language.
    const rejected = await listSamples(db, taskId, { deleted: true });
    expect(new Set(rejected.map((s) => s.meta?.rejected))).toEqual(new Set(['duplicate', 'too-short', 'label-leak']));
    const leak = rejected.find((s) => s.meta?.rejected === 'label-leak') as Sample;
    expect(readRejection(leak.meta, leak.label)).toEqual({ reason: 'label-leak', label: leak.label });
    const stored = await classifiersRepo.listByTask(db, taskId);
    expect(stored.map((c) => c.student).sort()).toEqual(['logreg', 'ngram']);
    // The n-gram student still classifies: a sports sentence of its training data.
    const ngram = fromClassifierFile(stored.find((c) => c.student === 'ngram')?.file);
    expect(ngram.model.labels).toEqual(['sports', 'politics', 'health']);
    expect(await evalRunsRepo.listByTask(db, taskId)).toHaveLength(2);
  });

  /** The fixture with its classifiers.json changed by `tamper`. */
  function tampered(tamper: (classifiers: Record<string, unknown>[]) => void): Uint8Array {
    const files = unzipSync(fixture);
    const classifiers = raw('classifiers.json') as Record<string, unknown>[];
    tamper(classifiers);
    files['classifiers.json'] = strToU8(JSON.stringify(classifiers));
    return zipSync(files);
  }
  const fileOf = (c: Record<string, unknown> | undefined) => (c as { file: Record<string, unknown> }).file;
  const f32 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');

  it.each([
    [
      'a bias of the wrong length',
      (cs: Record<string, unknown>[]) => ((fileOf(cs[0]).weights as Record<string, string>).bias = f32([0.1, 0.2])),
      'Classifier 1 in classifiers.json (“n-gram · 24 samples (18 synthetic, 6 human)”) cannot be used: The classifier file’s field “weights.bias” holds 2 numbers where its sizes need 3.',
    ],
    [
      'a weight that is not a number',
      (cs: Record<string, unknown>[]) =>
        ((fileOf(cs[1]).weights as Record<string, string>).b2 = f32([0.1, Number.NaN, 0.3])),
      'field “weights.b2” holds a value that is not a finite number (number 2)',
    ],
    [
      'an n-gram row outside the hash table',
      (cs: Record<string, unknown>[]) => ((fileOf(cs[0]).ngram as Record<string, number>).buckets = 4),
      'field “weights.rows” names row',
    ],
    [
      'a negative input size',
      (cs: Record<string, unknown>[]) => (fileOf(cs[1]).inputDim = -16),
      'Classifier 2 in classifiers.json, field “file.inputDim”: should be 1 or more.',
    ],
    [
      'a student kind that is not the file’s',
      (cs: Record<string, unknown>[]) => ((cs[0] as Record<string, unknown>).student = 'mlp'),
      'Classifier 1 in classifiers.json: names one kind of student',
    ],
  ])('refuses a tampered classifier (%s), naming the field', (_what, tamper, text) => {
    expect(() => readBundle(tampered(tamper))).toThrowError(
      expect.objectContaining({ code: 'invalid-file', message: expect.stringContaining(text) }),
    );
  });
});

describe('bundles through the data worker’s handlers', () => {
  it('imports the bundle it just read without unpacking it again', async () => {
    const { db, task } = await seeded();
    const bytes = await exportBundle(db);
    const target = await fresh();
    const handlers = createDataHandlers(() => Promise.resolve(target));
    const ctx = { progress: () => undefined, signal: new AbortController().signal, transfer: () => undefined };
    const preview = await handlers.readBundle({ file: new Blob([bytes as Uint8Array<ArrayBuffer>]) }, ctx);
    expect(preview.samples).toBe(3);
    // The file given now cannot be unpacked at all: the import can only have used what was kept.
    const garbage = new Blob(['not a zip']);
    expect(await handlers.importBundle({ file: garbage, mode: 'merge', token: preview.token }, ctx)).toEqual({
      tasks: 1,
      samples: 3,
    });
    expect(await listSamples(target, task.id)).toHaveLength(3);
    // Kept once only: a second import with the same token reads the file (and fails on it).
    await expect(handlers.importBundle({ file: garbage, mode: 'merge', token: preview.token }, ctx)).rejects.toThrow(
      'not a polyclass bundle',
    );
  });
});
