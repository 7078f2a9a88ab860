import 'fake-indexeddb/auto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUNDLE_VERSION, exportBundle, readBundle, writeBundle } from './bundle';
import { openDatabase } from './db';
import { addSamples, listSamples } from './samples-repo';
import { classifiersRepo } from './task-records-repo';
import { createTask, listTasks } from './tasks-repo';

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
  ]);
  await classifiersRepo.put(db, { id: 'c1', taskId: task.id, name: 'logreg', createdAt: 5, weights: [1, 2, 3] });
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
    expect(await classifiersRepo.listByTask(target, task.id)).toEqual([
      { id: 'c1', taskId: task.id, name: 'logreg', createdAt: 5, weights: [1, 2, 3] },
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
