/**
 * @file Deleting a task with its samples: the task goes at once and Undo brings it back whole;
 * once Undo is no longer offered the samples are purged in the background, and a tab closed
 * (or reloaded) before that leaves nothing behind after the next start.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { addDemoProject } from './helpers/steps';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks', undefined, [], { clock: true });
});

afterAll(async () => {
  await app?.close();
});

const DEMO = 'Demo: news topics (SIB-200)';
/** The demo project's sample count (src/assets/demo-project.json). */
const DEMO_SAMPLES = 777;

const samplesOf = async (page: Page, taskId: string) =>
  (await readStore<{ id: string; taskId: string }>(page, 'samples')).filter((s) => s.taskId === taskId).length;

async function deleteDemo(page: Page): Promise<string> {
  const [task] = await readStore<{ id: string; name: string }>(page, 'tasks');
  if (!task) throw new Error('no task');
  const item = page.getByTestId('task-item').filter({ hasText: DEMO });
  await item.getByRole('button', { name: 'Delete…' }).click();
  await item.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText(`Deleted “${DEMO}”.`).waitFor();
  return task.id;
}

describe('deleting a task with its samples', () => {
  it('brings the task back whole with Undo, and purges its samples once Undo is gone', async () => {
    const { page } = app;
    await addDemoProject(page);
    const id = await deleteDemo(page);
    expect(await readStore(page, 'tasks')).toEqual([]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('task-item').filter({ hasText: DEMO }).waitFor();
    expect(await samplesOf(page, id)).toBe(DEMO_SAMPLES);

    await deleteDemo(page);
    // Undo is offered for 15 s (skipped on the page's clock); then the samples go.
    await app.context.clock.fastForward(14_000);
    expect(await samplesOf(page, id)).toBe(DEMO_SAMPLES);
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    await app.context.clock.fastForward(1_500);
    await page.getByRole('button', { name: 'Undo' }).waitFor({ state: 'detached' });
    await expect.poll(() => samplesOf(page, id), { timeout: 30_000, interval: 500 }).toBe(0);
  });

  it('purges after a reload what a deletion left, once its Undo time has passed', async () => {
    const { page } = app;
    await page.getByTestId('demo-offer').waitFor();
    await addDemoProject(page);
    const id = await deleteDemo(page);
    // The tab goes before its Undo time is over: the samples are still there, detached.
    await page.reload();
    expect(await samplesOf(page, id)).toBe(DEMO_SAMPLES);
    expect(await readStore(page, 'tasks')).toEqual([]);
    // The new page waits for the rest of the 15 s, and a second more, before it purges.
    await app.context.clock.fastForward(10_000);
    expect(await samplesOf(page, id)).toBe(DEMO_SAMPLES);
    await app.context.clock.fastForward(7_000);
    await expect.poll(() => samplesOf(page, id), { timeout: 30_000, interval: 500 }).toBe(0);
  });
});
