import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SkippedRow } from '../domain/import-rows';
import { describeSkippedRow } from '../ui/import-text';
import type { ColumnMapping } from '../domain/import-rows';
import { openDatabase } from '../storage/db';
import { listSamples } from '../storage/samples-repo';
import { createTask } from '../storage/tasks-repo';
import { IMPORT_BATCH, importFile, previewFile, scanFile } from './import-job';

let n = 0;
const draft = {
  name: 'T',
  description: '',
  languages: [{ code: 'sw', name: 'Swahili' }],
  labels: [
    { name: 'sports', description: '' },
    { name: 'politics', description: '' },
  ],
};
const mapping: ColumnMapping = {
  text: 'text',
  label: 'label',
  language: null,
  split: null,
  defaultLanguage: 'sw',
  defaultSplit: 'test',
};
const csv = (rows: number, label = 'sports') =>
  new Blob([
    'text,label\n' +
      Array.from({ length: rows }, (_, i) => `Sentence number ${i},${i % 2 ? label : 'politics'}\n`).join(''),
  ]);

const originalAdd = IDBObjectStore.prototype.add;
afterEach(() => {
  IDBObjectStore.prototype.add = originalAdd;
});

describe('import job', () => {
  it('previews the first rows and guesses the mapping', async () => {
    const p = await previewFile(csv(50), 'x.csv', draft);
    expect(p.rows).toHaveLength(8);
    expect(p.mapping).toMatchObject({ text: 'text', label: 'label', defaultLanguage: 'sw' });
    expect(p.warnings).toEqual([]);
  });

  it('scans without writing and lists unknown labels with their counts', async () => {
    const r = await scanFile(csv(10, 'weather'), 'x.csv', mapping, draft);
    expect(r).toMatchObject({
      rows: 10,
      tally: { imported: 5, skipped: { 'unknown-label': 5 } },
      unknownLabels: new Map([['weather', 5]]),
    });
    expect(r.examples[0]).toEqual({ where: 'csv', index: 3, skip: { reason: 'unknown-label', label: 'weather' } });
    expect(describeSkippedRow(r.examples[0] as SkippedRow)).toBe('Row 3: “weather” is not a label of this task');
  });

  it('imports in batches, reporting progress, and skips duplicates on a second run', async () => {
    const db = await openDatabase({}, `import-${n++}`);
    const task = await createTask(db, draft);
    const progress: number[] = [];
    const rows = IMPORT_BATCH * 2 + 10;
    const first = await importFile(db, csv(rows), 'x.csv', task.id, mapping, (p) => progress.push(p.imported));
    expect(first.tally).toEqual({ imported: rows, skipped: {} });
    expect(progress).toEqual([IMPORT_BATCH, IMPORT_BATCH * 2, rows]);
    const again = await importFile(db, csv(rows), 'x.csv', task.id, mapping);
    expect(again.tally).toEqual({ imported: 0, skipped: { duplicate: rows } });
    const stored = await listSamples(db, task.id);
    expect(stored.map((s) => s.text).slice(0, 3)).toEqual([
      'Sentence number 0',
      'Sentence number 1',
      'Sentence number 2',
    ]);
    db.close();
  });

  it('stops cleanly when storage is full, keeping what earlier batches saved', async () => {
    const db = await openDatabase({}, `import-${n++}`);
    const task = await createTask(db, draft);
    let adds = 0;
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (++adds > IMPORT_BATCH) {
        this.transaction.abort();
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return originalAdd.apply(this, args);
    };
    const error = await importFile(db, csv(IMPORT_BATCH * 3), 'x.csv', task.id, mapping).catch((e: unknown) => e);
    IDBObjectStore.prototype.add = originalAdd;
    expect(error).toMatchObject({ code: 'quota-exceeded' });
    expect((error as Error).message).toContain(`The import stopped after ${IMPORT_BATCH} samples`);
    expect(await listSamples(db, task.id)).toHaveLength(IMPORT_BATCH);
    db.close();
  });

  it('cancels between rows and says how much was imported', async () => {
    const db = await openDatabase({}, `import-${n++}`);
    const task = await createTask(db, draft);
    const controller = new AbortController();
    const error = await importFile(
      db,
      csv(IMPORT_BATCH * 4),
      'x.csv',
      task.id,
      mapping,
      (p) => {
        if (p.imported >= IMPORT_BATCH) controller.abort();
      },
      controller.signal,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'aborted', message: `Cancelled after ${IMPORT_BATCH} samples were imported.` });
    db.close();
  });
});
