/**
 * @file A browser that ran the previous version (database version 2) opens this one: its data
 * is upgraded in the real IndexedDB with nothing lost (version 4's indexes and version 5's counts
 * built over it), and rejection reasons that version stored
 * as English sentences read as codes, shown in the UI's language of today.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/lib/domain/sample';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';

/** What the previous version exported: its task, samples, classifiers and runs as stored. */
const zip = unzipSync(
  new Uint8Array(readFileSync(new URL('../fixtures/bundles/before-typed-records.polyclass.zip', import.meta.url))),
);
const json = (name: string): unknown => JSON.parse(strFromU8(zip[name] as Uint8Array));
const old = {
  tasks: json('tasks.json') as { id: string; name: string }[],
  samples: strFromU8(zip['samples.jsonl'] as Uint8Array)
    .split('\n')
    .map((line) => JSON.parse(line) as Sample),
  classifiers: json('classifiers.json') as { id: string }[],
  evalRuns: json('eval-runs.json') as { id: string }[],
};

let app: AppSession;

beforeAll(async () => {
  // A page of the app's origin that is not the app, so version 2 is written before the app opens it.
  app = await openApp('icon.svg');
  await app.page.evaluate(
    (data) =>
      new Promise<void>((resolve, reject) => {
        // Version 2's schema, as db.ts step(1) and step(2) create it.
        const open = indexedDB.open('polyclass', 2);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('settings');
          db.createObjectStore('tasks', { keyPath: 'id' }).createIndex('by-updated', 'updatedAt');
          const samples = db.createObjectStore('samples', { keyPath: 'id' });
          samples.createIndex('by-task', 'taskId');
          samples.createIndex('by-task-split', ['taskId', 'split']);
          samples.createIndex('by-task-label-language', ['taskId', 'label', 'language']);
          samples.createIndex('by-task-hash', ['taskId', 'textHash']);
          db.createObjectStore('embeddings', { keyPath: ['encoderId', 'textHash'] });
          db.createObjectStore('classifiers', { keyPath: 'id' }).createIndex('by-task', 'taskId');
          db.createObjectStore('evalRuns', { keyPath: 'id' }).createIndex('by-task', 'taskId');
          const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
          jobs.createIndex('by-task', 'taskId');
          jobs.createIndex('by-status', 'status');
          jobs.createIndex('by-task-kind', ['taskId', 'kind']);
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['tasks', 'samples', 'classifiers', 'evalRuns'], 'readwrite');
          for (const t of data.tasks) tx.objectStore('tasks').put(t);
          for (const s of data.samples) tx.objectStore('samples').put(s);
          for (const c of data.classifiers) tx.objectStore('classifiers').put(c);
          for (const r of data.evalRuns) tx.objectStore('evalRuns').put(r);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    old,
  );
});

afterAll(async () => {
  await app?.close();
});

describe('upgrading from the previous version', () => {
  it('keeps every record, turns stored rejection sentences into codes, and shows them in words', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/tasks`);
    // The task the old version stored is there, and (the only one) the current task.
    await page.getByTestId('task-item').filter({ hasText: 'News topics (current)' }).waitFor();
    await page.goto(`${baseURL}/#/dataset`);
    const removed = page.getByText('rejected: too short: 1 word; at least 3 are needed');
    await removed.first().waitFor({ timeout: 30_000 });

    const samples = await readStore<Sample>(page, 'samples');
    expect(samples).toHaveLength(old.samples.length);
    const before = new Map(old.samples.map((s) => [s.id, s]));
    for (const s of samples) {
      const { meta, ...rest } = s;
      const { meta: oldMeta, ...oldRest } = before.get(s.id) as Sample;
      expect(rest).toEqual(oldRest);
      if (oldMeta?.rejected) expect(meta?.rejected).toBe(oldMeta.rejected.split(':')[0]);
      else expect(meta).toEqual(oldMeta);
    }
    expect(samples.find((s) => s.meta?.rejected === 'too-short')?.meta?.rejectedWith).toBe('{"words":1,"min":3}');
    expect(await readStore(page, 'classifiers')).toEqual(old.classifiers);
    expect(await readStore(page, 'evalRuns')).toEqual(old.evalRuns);
    expect(await page.evaluate(() => indexedDB.databases())).toContainEqual({ name: 'polyclass', version: 7 });
    // Version 4's indexes and version 5's counts were built over the old samples: the table reads
    // from the indexes, the counts from the kept counts.
    const live = old.samples.filter((s) => s.deletedAt === null).length;
    expect(live).toBeGreaterThan(0);
    expect(live).toBeLessThan(old.samples.length);
    await expect.poll(() => page.getByTestId('samples-count').textContent()).toBe(`${live} of ${live} samples`);
    expect(await page.getByTestId('sample-row').count()).toBe(Math.min(live, 100));
    expect(await page.getByTestId('removed').getByRole('status').textContent()).toBe(
      `${old.samples.length - live} samples`,
    );
  });
});
