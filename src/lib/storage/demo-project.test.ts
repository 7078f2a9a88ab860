import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { UNLABELLED } from '../domain/sample';
import { validateTaskDraft } from '../domain/task';
import { openDatabase } from './db';
import { addDemoProject, loadDemoProject } from './demo-project';
import { listSamples } from './samples-repo';
import { getTask } from './tasks-repo';

describe('demo project', () => {
  it('is a valid task with seeds, training and test sentences in every language × label cell, and an unlabelled pool', async () => {
    const demo = await loadDemoProject();
    expect(validateTaskDraft(demo.task)).toEqual([]);
    expect(demo.task.labels.every((l) => l.description.length > 10)).toBe(true);
    for (const lang of demo.task.languages)
      for (const label of demo.task.labels) {
        const cell = demo.samples.filter((s) => s.language === lang.code && s.label === label.name);
        expect(cell.filter((s) => s.split === 'seed')).toHaveLength(2);
        expect(cell.filter((s) => s.split === 'train')).toHaveLength(15);
        expect(cell.filter((s) => s.split === 'test')).toHaveLength(10);
      }
    // The pool is unlabelled, 70 texts a language, none of them in another split.
    const pool = demo.samples.filter((s) => s.split === 'pool');
    expect(pool).toHaveLength(210);
    expect(new Set(pool.map((s) => s.label))).toEqual(new Set([UNLABELLED]));
    for (const lang of demo.task.languages) expect(pool.filter((s) => s.language === lang.code)).toHaveLength(70);
    const labelled = new Set(demo.samples.filter((s) => s.split !== 'pool').map((s) => s.text));
    expect(pool.filter((s) => labelled.has(s.text))).toEqual([]);
    expect(new Set(demo.samples.map((s) => `${s.language} ${s.text}`)).size).toBe(demo.samples.length);
    expect(demo.attribution).toMatch(/SIB-200.*Apache License 2\.0.*Flores-200 \(CC BY-SA 4\.0\)/);
  });

  it('is added with every sample, as human data, and its attribution', async () => {
    const db = await openDatabase({}, 'demo-1');
    const task = await addDemoProject(db);
    expect((await getTask(db, task.id))?.attribution).toMatch(/SIB-200/);
    const samples = await listSamples(db, task.id);
    expect(samples).toHaveLength(777);
    expect(new Set(samples.map((s) => s.source))).toEqual(new Set(['human']));
    expect(samples.filter((s) => s.split === 'test')).toHaveLength(210);
    expect(samples.filter((s) => s.split === 'pool')).toHaveLength(210);
  });
});
