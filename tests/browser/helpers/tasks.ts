/**
 * @file Steps a user takes in the task editor, shared by browser tests.
 */
import type { Page } from 'playwright-core';

export interface TaskInput {
  name: string;
  /** Text typed into the language search, and the option to pick. */
  languages: { query: string; option: RegExp }[];
  labels: { name: string; description: string }[];
  /** Seed examples for the first language, per label index. */
  seeds?: Record<number, string>;
}

/** Creates a task through the editor and waits for the confirmation. */
export async function createTaskInUi(page: Page, baseURL: string, input: TaskInput): Promise<void> {
  await page.goto(`${baseURL}/#/tasks`);
  await page.getByRole('button', { name: 'New task' }).click();
  await page.getByLabel('Name', { exact: true }).fill(input.name);
  for (const lang of input.languages) {
    await page.getByRole('combobox', { name: 'Add a language' }).fill(lang.query);
    await page.getByRole('option', { name: lang.option }).first().click();
  }
  for (let i = 0; i < input.labels.length; i++) {
    const label = input.labels[i];
    if (!label) continue;
    if (!(await page.getByLabel(`Label ${i + 1} name`).count()))
      await page.getByRole('button', { name: 'Add a label' }).click();
    await page.getByLabel(`Label ${i + 1} name`).fill(label.name);
    await page.getByLabel(`Label ${i + 1} description`).fill(label.description);
  }
  // The editor starts with three empty labels: remove the ones not needed.
  while ((await page.getByRole('button', { name: /^Remove label \d+$/ }).count()) > input.labels.length) {
    await page.getByRole('button', { name: `Remove label ${input.labels.length + 1}` }).click();
  }
  for (const [i, text] of Object.entries(input.seeds ?? {})) {
    const label = input.labels[Number(i)];
    if (label) await page.getByLabel(new RegExp(`^${label.name} in `)).fill(text);
  }
  await page.getByRole('button', { name: 'Create task' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Created “${input.name}”` })
    .waitFor();
}

/** Swahili and Hausa news topics: the task of the README's first steps. */
export const NEWS_TASK: TaskInput = {
  name: 'News topics',
  languages: [
    { query: 'Swahili', option: /^Swahili \(macrolanguage\) sw/ },
    { query: 'ha', option: /^Hausa ha/ },
  ],
  labels: [
    { name: 'sports', description: 'Games, teams and athletes' },
    { name: 'politics', description: 'Government, parties and elections' },
    { name: 'health', description: 'Illness, medicine and wellbeing' },
  ],
  seeds: { 0: 'Simba imeshinda mechi ya jana.\nTimu ya taifa imefuzu.' },
};
