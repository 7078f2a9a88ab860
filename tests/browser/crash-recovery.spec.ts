/**
 * @file Crashes at seeded random moments: the tab's renderer (page and workers) is killed
 * mid-job with the DevTools protocol's `Page.crash`, the app is opened again in the same
 * profile, the database check in Settings must find nothing but jobs to resume, and the job
 * then finishes with exactly what an uninterrupted run stores: no accepted sample lost or
 * duplicated. Kills land in generation, in training (while embeddings are computed and cached)
 * and in evaluation.
 *
 * `npm test` kills 4 times; `npm run test:stress` sets POLYCLASS_KILLS=20.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/domain/random';
import { ENCODER_ID } from '../fixtures/models';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { addDemoProject, evaluateStudents, useModelFolder } from './helpers/steps';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

const KILLS = Math.max(4, Number(process.env.POLYCLASS_KILLS ?? 4));
const SEED = Number(process.env.POLYCLASS_KILL_SEED ?? 20261124);
const rng = createRng(SEED);
/** A delay in [min, max) ms, from the seeded generator (the same moments on every run). */
const moment = (min: number, max: number) => Math.floor(min + rng() * (max - min));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sessions: AppSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close();
});

interface StoredSample {
  id: string;
  taskId: string;
  text: string;
  label: string;
  language: string;
  jobId: string | null;
  deletedAt: number | null;
}

/** Kills the tab's renderer (page and its workers) and opens the app again in the same profile. */
async function crashAndReopen(app: AppSession, page: Page, route: string): Promise<Page> {
  const cdp = await app.context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => undefined);
  await Promise.race([page.waitForEvent('crash'), sleep(5000)]);
  await page.close().catch(() => undefined);
  const next = await app.context.newPage();
  await next.goto(`${app.baseURL}/${route}`);
  return next;
}

/** Runs the database check from Settings; returns the kinds it found. */
async function checkDatabase(page: Page, baseURL: string): Promise<string[]> {
  await page.goto(`${baseURL}/#/settings`);
  const panel = page.getByTestId('database-check');
  await panel.getByRole('button', { name: 'Check the database' }).click();
  const result = panel.getByTestId('database-check-result');
  await result.waitFor({ timeout: 30_000 });
  return panel.getByTestId('database-finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind') ?? ''));
}

/** Live samples a job wrote, per cell, as sorted texts. */
async function generatedByCell(page: Page, taskId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of await readStore<StoredSample>(page, 'samples'))
    if (s.taskId === taskId && s.jobId !== null && s.deletedAt === null)
      (out[`${s.language}/${s.label}`] ??= []).push(s.text);
  for (const k of Object.keys(out)) out[k]?.sort();
  return out;
}

/** The status of a task's latest job of a kind (undefined before the first). */
async function jobStatus(page: Page, task: string, kind: string): Promise<string | undefined> {
  const jobs = await readStore<{ id: string; taskId: string; kind: string; status: string }>(page, 'jobs');
  return jobs.filter((j) => j.taskId === task && j.kind === kind).at(-1)?.status;
}

async function taskId(page: Page, name: string): Promise<string> {
  const tasks = await readStore<{ id: string; name: string }>(page, 'tasks');
  const t = tasks.find((x) => x.name === name);
  if (!t) throw new Error(`no task ${name}`);
  return t.id;
}

async function startGeneration(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/generate`);
  await page.getByLabel(/Replay a recorded session/).check();
  await page.getByLabel('Recording address').fill('models/recordings/news.json');
  await page.getByLabel('Samples per label and language').fill('3');
  await page.getByRole('button', { name: 'Start generating' }).click();
}

const GEN_DONE = 'Done: every label and language has its samples.';

describe(`crash recovery (${KILLS} kills, seed ${SEED})`, () => {
  it('generation: killed mid-job, resumed, ends with exactly the uninterrupted run’s samples', async () => {
    const app = await openApp('#/settings');
    sessions.push(app);
    let page = app.page;
    await useModelFolder(page, app.baseURL);

    // The reference: the same task, generated without interruption.
    await createTaskInUi(page, app.baseURL, { ...NEWS_TASK, name: 'Reference', seeds: {} });
    await startGeneration(page, app.baseURL);
    await expect.poll(() => page.getByTestId('gen-message').textContent(), { timeout: 90_000 }).toBe(GEN_DONE);
    const reference = await generatedByCell(page, await taskId(page, 'Reference'));
    expect(Object.values(reference).flat()).toHaveLength(18);

    await createTaskInUi(page, app.baseURL, { ...NEWS_TASK, name: 'Crashed', seeds: {} });
    const crashedId = await taskId(page, 'Crashed');
    await startGeneration(page, app.baseURL);
    const kills = Math.ceil(KILLS / 2);
    let killedMidJob = 0;
    for (let k = 0; k < kills; k++) {
      await sleep(moment(300, 2500));
      const before = Object.values(await generatedByCell(page, crashedId)).flat().length;
      page = await crashAndReopen(app, page, '#/generate');
      if (before < 18) killedMidJob++;
      const found = await checkDatabase(page, app.baseURL);
      // A job the crash left "running" is expected (it is offered for resume); nothing else.
      expect(found.filter((f) => f !== 'interrupted-jobs')).toEqual([]);
      const stored = await generatedByCell(page, crashedId);
      for (const [cell, texts] of Object.entries(stored)) {
        expect(new Set(texts).size).toBe(texts.length);
        for (const t of texts) expect(reference[cell]).toContain(t);
      }
      await page.goto(`${app.baseURL}/#/generate`);
      if ((await jobStatus(page, crashedId, 'generate')) !== 'done') {
        const offer = page.getByTestId('resume-offer');
        await offer.waitFor({ timeout: 30_000 });
        await offer.getByRole('button', { name: 'Resume' }).click();
      }
    }
    expect(killedMidJob).toBeGreaterThan(0);
    // Finished before the last kill, or resumed after it: the job ends done either way.
    await expect.poll(() => jobStatus(page, crashedId, 'generate'), { timeout: 90_000 }).toBe('done');
    expect(await generatedByCell(page, crashedId)).toEqual(reference);
    expect(await checkDatabase(page, app.baseURL)).toEqual([]);
  }, 600_000);

  it('training and evaluation: killed mid-work, the database stays consistent and the work completes', async () => {
    const app = await openApp('#/tasks');
    sessions.push(app);
    let page = app.page;
    await addDemoProject(page);
    const demoId = (await readStore<{ id: string }>(page, 'tasks'))[0]?.id ?? '';
    await useModelFolder(page, app.baseURL);

    const train = async () => {
      await page.goto(`${app.baseURL}/#/train`);
      await page.getByLabel(/Logistic regression on sentence embeddings/).check();
      await page.getByLabel('Embedding model').fill(ENCODER_ID);
      await page.getByLabel('Precision').selectOption('fp32');
      await page.getByRole('button', { name: 'Train', exact: true }).click();
    };
    const kills = Math.max(1, Math.floor(KILLS / 4));
    for (let k = 0; k < kills; k++) {
      await train();
      await sleep(moment(200, 4000));
      page = await crashAndReopen(app, page, '#/train');
      expect(await checkDatabase(page, app.baseURL)).toEqual([]);
      // A classifier is stored whole or not at all.
      for (const c of await readStore<{ id: string; file?: unknown }>(page, 'classifiers')) expect(c.file).toBeTruthy();
    }
    await train();
    const result = page.getByTestId('train-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.textContent()).toMatch(/Embeddings: \d+ new, \d+ reused from the cache\./);

    const evalKills = Math.max(1, KILLS - Math.ceil(KILLS / 2) - kills);
    for (let k = 0; k < evalKills; k++) {
      await page.goto(`${app.baseURL}/#/evaluate`);
      await page.getByTestId('test-set').filter({ hasText: 'test texts' }).waitFor();
      await page.getByLabel(/Zero-shot/).uncheck();
      await page.getByLabel(/With synthetic examples/).uncheck();
      await page.getByRole('button', { name: 'Run every evaluator' }).click();
      await sleep(moment(50, 1500));
      page = await crashAndReopen(app, page, '#/evaluate');
      expect((await checkDatabase(page, app.baseURL)).filter((f) => f !== 'interrupted-jobs')).toEqual([]);
      await page.goto(`${app.baseURL}/#/evaluate`);
      if ((await jobStatus(page, demoId, 'evaluate')) !== 'done') {
        const offer = page.getByTestId('eval-resume');
        await offer.waitFor({ timeout: 30_000 });
        await offer.getByRole('button', { name: 'Resume' }).click();
        await page
          .getByTestId('eval-message')
          .filter({ hasText: 'Done: every evaluator has its scores.' })
          .waitFor({ timeout: 60_000 });
      }
    }
    await evaluateStudents(page, app.baseURL);
    // Every finished run has one prediction per test item for every evaluator.
    const runs = await readStore<{
      id: string;
      kind?: string;
      finishedAt: number | null;
      items: unknown[];
      evaluators: { done: number; predictions: unknown[] }[];
    }>(page, 'evalRuns');
    const finished = runs.filter((r) => r.kind === 'compare' && r.finishedAt !== null);
    expect(finished.length).toBeGreaterThan(0);
    for (const r of finished)
      for (const e of r.evaluators) {
        expect(e.done).toBe(r.items.length);
        expect(e.predictions).toHaveLength(r.items.length);
      }
    expect(await checkDatabase(page, app.baseURL)).toEqual([]);
  }, 600_000);
});
