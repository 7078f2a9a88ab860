/**
 * @file Steps a user takes, shared by browser tests: add the demo project, train the n-gram
 * student on it, evaluate the students without the LLM, choose the model folder, check the
 * fixture encoder. Each waits for what the user would see when the step is done.
 */
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { ENCODER_ID } from '../../fixtures/models';

/** On the Tasks view of a profile without tasks: adds the demo project. */
export async function addDemoProject(page: Page): Promise<void> {
  await page.getByTestId('demo-offer').getByRole('button', { name: 'Add the demo project' }).click();
  await page.getByRole('status').filter({ hasText: 'Added “Demo: news topics (SIB-200)”' }).waitFor();
}

/** Trains the character n-gram student on the current task. */
export async function trainNgramStudent(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/train`);
  await page.getByLabel(/Character n-grams/).check();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-result').waitFor({ timeout: 60_000 });
}

/** Evaluates every trained student (no LLM) and waits until the run is done. */
export async function evaluateStudents(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/evaluate`);
  await page.getByTestId('test-set').filter({ hasText: 'test texts' }).waitFor();
  await page.getByLabel(/Zero-shot/).uncheck();
  await page.getByLabel(/With synthetic examples/).uncheck();
  await page.getByRole('button', { name: 'Run every evaluator' }).click();
  await page
    .getByTestId('eval-message')
    .filter({ hasText: 'Done: every evaluator has its scores.' })
    .waitFor({ timeout: 60_000 });
}

/** Chooses the model folder on this server as the model source, in Settings. */
export async function useModelFolder(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/settings`);
  await page.getByLabel(/A model folder on this server/).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
}

/**
 * Chooses the Hugging Face hub as the model source, in Settings: a laptop with no model folder.
 * (The test server serves the fixture models, which the default "automatic" source would use.)
 */
export async function useHub(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/settings`);
  await page.getByRole('radio', { name: /^Hugging Face hub/ }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
}

/** On the Models view: loads the fixture encoder (fp32, wasm) in "Check an embedding model"; returns its dimension. */
export async function checkFixtureEncoder(page: Page): Promise<string | null> {
  const panel = page.getByTestId('model-check');
  await panel.getByLabel('Model id').fill(ENCODER_ID);
  await panel.getByLabel('Precision').selectOption('fp32');
  await panel.getByLabel('Device').selectOption('wasm');
  await panel.getByRole('button', { name: 'Load and embed' }).click();
  await panel.getByTestId('model-check-result').waitFor({ timeout: 90_000 });
  return panel.getByTestId('dim').textContent();
}

/**
 * On the Dataset view: imports rows as a CSV (text, label, language `sw`) into one split and
 * waits for the summary.
 */
export async function importSwahiliRows(
  page: Page,
  rows: readonly { text: string; label: string }[],
  split: 'train' | 'validation' | 'test',
): Promise<void> {
  const panel = page.getByTestId('import-panel');
  const csv = Papa.unparse(
    rows.map((r) => ({ ...r, language: 'sw' })),
    { columns: ['text', 'label', 'language'] },
  );
  await panel
    .getByLabel('File to import')
    .setInputFiles({ name: `${split}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await panel.getByLabel('Split of rows without one').selectOption(split);
  await panel.getByRole('button', { name: 'Check the whole file' }).click();
  await panel.getByTestId('import-review').getByRole('button', { name: 'Import' }).click();
  await panel
    .getByTestId('import-summary')
    .filter({ hasText: `${rows.length} imported` })
    .waitFor();
}
