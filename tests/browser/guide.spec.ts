/**
 * @file Teaching mode: turned on in Settings, the guided tour appears in the navigation and
 * walks through the user's own task (the demo project, a trained student, an evaluation) with
 * its real numbers, step by step, by keyboard too; in French as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareRun } from '../../src/lib/domain/evaluation';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { addDemoProject, evaluateStudents, trainNgramStudent } from './helpers/steps';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
  await addDemoProject(app.page);
  await trainNgramStudent(app.page, app.baseURL);
  await evaluateStudents(app.page, app.baseURL);
});

afterAll(async () => {
  await app?.close();
});

describe('teaching mode', () => {
  it('is off by default, and once on shows the guided tour in the navigation', async () => {
    const { page, baseURL } = app;
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Guided tour' }).count()).toBe(0);
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('teaching').getByLabel('Show the guided tour in the navigation').check();
    await nav.getByRole('link', { name: 'Guided tour' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Guided tour');
    // Kept after a reload.
    await page.reload();
    expect(await nav.getByRole('link', { name: 'Guided tour' }).count()).toBe(1);
  });

  it('walks through the user’s own numbers', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/guide`);
    const step = page.getByTestId('guide-step');
    const numbers = step.getByTestId('guide-numbers');
    const samples = await readStore<{ id: string; split: string; deletedAt: number | null }>(page, 'samples');
    const test = samples.filter((s) => s.split === 'test' && s.deletedAt === null).length;
    // The unlabelled pool is not learned from.
    const train = samples.filter((s) => s.split !== 'test' && s.split !== 'pool' && s.deletedAt === null).length;
    expect(samples.some((s) => s.split === 'pool')).toBe(true);
    await expect.poll(() => numbers.textContent()).toContain(`${train} examples to learn from`);
    expect(await numbers.textContent()).toContain(`${test} texts with a label checked by people`);

    await step.getByRole('button', { name: 'Next' }).click();
    expect(await step.getByRole('heading').textContent()).toBe('2. The LLM writes examples');
    // The demo has no generated texts: the step says so and points to Generate.
    expect(await step.getByRole('link', { name: 'Generate examples' }).count()).toBe(1);

    await step.getByRole('button', { name: 'Next' }).click();
    const shown = /texts are (\d+)% alike; the “.+” text and the “.+” text are (\d+)% alike/.exec(
      (await numbers.textContent()) ?? '',
    );
    expect(shown).not.toBeNull();
    expect(await step.locator('ul li').count()).toBe(3);
    // Averages over many trios say what is usual; the lesson drawn matches them, and the example
    // shown is one that shows the lesson when the averages do.
    const average = /Over (\d+) such trios .* are (\d+)% alike on average, texts with different labels (\d+)%/.exec(
      (await step.getByTestId('guide-average').textContent()) ?? '',
    );
    expect(Number(average?.[1])).toBeGreaterThan(10);
    const usual = Number(average?.[2]) > Number(average?.[3]);
    expect(await step.textContent()).toContain(
      usual ? 'Texts with the same label are closer' : 'the texts of different labels look closer',
    );
    if (usual) expect(Number(shown?.[1])).toBeGreaterThan(Number(shown?.[2]));

    // The focus is on the step's heading: Tab then Enter on "Back"/"Next" works from the keyboard.
    await step.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    expect(await step.getByRole('heading').textContent()).toBe('4. The student learns');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('guide-heading');
    expect(await numbers.textContent()).toMatch(/Your newest student, “n-gram student · \d+ samples/);
    // Evaluated: the step says the test score Evaluate shows, on the test texts.
    const [run] = (await readStore<CompareRun>(page, 'evalRuns')).filter((r) => r.kind === 'compare');
    const accuracy = run?.evaluators[0]?.scores?.accuracy ?? -1;
    expect(await numbers.textContent()).toContain(
      `On the ${run?.items.length} test texts kept aside, it got ${Math.round(accuracy * 100)}% right (as Evaluate shows).`,
    );

    await page.getByRole('navigation', { name: 'Steps of the tour' }).getByRole('button', { name: /^6\./ }).click();
    expect(await step.getByRole('heading').textContent()).toBe('6. Reading a confusion matrix');
    expect(await numbers.textContent()).toMatch(
      /of the \d+ “.+” test texts in .+, \d+ were right and \d+ were taken for “.+”/,
    );

    // Step 5 weighs the student against GPT-4's published answers (the demo's), and claims
    // nothing the data does not show.
    await step.getByRole('button', { name: 'Back' }).click();
    expect(await numbers.textContent()).toMatch(
      /In your latest evaluation, in .+, (the student scored \d+% and the LLM \(GPT-4 zero-shot \(imported answers\)\) \d+%|the LLM \(GPT-4 zero-shot \(imported answers\)\) scored \d+% and the student \d+%)/,
    );
    expect(await step.getByTestId('guide-learned-from').textContent()).toMatch(
      /^\s*Your student learned only from \d+ texts written by people: the LLM has written none/,
    );
  });

  it('speaks the UI language', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('fr');
    await page.goto(`${baseURL}/#/guide`);
    await expect.poll(() => page.getByTestId('guide-step').getByRole('heading').textContent()).toBe('1. Votre tâche');
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('en');
  });
});
