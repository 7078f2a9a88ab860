/**
 * @file Training in the real app: a task's samples are embedded by the fixture encoder (the
 * second training reuses every cached embedding), logistic regression and MLP train with a
 * visible curve, the n-gram student trains with no model at all, and the playground classifies.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCODER_ID } from '../fixtures/models';
import { sib200 } from '../fixtures/sib200';
import { openApp, type AppSession } from './helpers/chromium';
import { createTaskInUi } from './helpers/tasks';

const LABELS = ['sports', 'politics', 'health'];
const rows = sib200('swh_Latn', 'train')
  .filter((r) => LABELS.includes(r.category))
  .map((r) => ({ ...r, split: 'train' }));

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/settings');
  const { page, baseURL } = app;
  await page.getByLabel(/A model folder on this server/).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  await createTaskInUi(page, baseURL, {
    name: 'Swahili topics',
    languages: [{ query: 'swahili', option: /^Swahili \(macrolanguage\) sw/ }],
    labels: LABELS.map((name) => ({ name, description: '' })),
  });
  await page.goto(`${baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File to import').setInputFiles({
    name: 'train.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(Papa.unparse(rows, { columns: ['text', 'category', 'split'] })),
  });
  await panel.getByRole('button', { name: 'Check the whole file' }).click();
  await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
  await panel.getByTestId('import-summary').waitFor();
});

afterAll(async () => {
  await app?.close();
});

async function train(student: RegExp, encoder = true): Promise<string> {
  const { page, baseURL } = app;
  await page.goto(`${baseURL}/#/train`);
  await page.getByLabel(student).check();
  if (encoder) {
    await page.getByLabel('Embedding model').fill(ENCODER_ID);
    await page.getByLabel('Precision').selectOption('fp32');
  }
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const result = page.getByTestId('train-result');
  await result.or(page.getByTestId('train-error')).waitFor({ timeout: 120_000 });
  return (
    (await result.textContent({ timeout: 1_000 }).catch(async () => page.getByTestId('train-error').textContent())) ??
    ''
  );
}

describe('training', () => {
  it('trains logistic regression on embeddings, with a curve, then an MLP reusing every embedding', async () => {
    const first = await train(/Logistic regression on sentence embeddings/);
    expect(first).toContain(`Embeddings: ${rows.length} new, 0 reused from the cache.`);
    // Its confidences are calibrated on the 10% it held back for early stopping.
    expect(first).toMatch(/Its confidences are calibrated on \d\d texts held back from training\./);
    expect(await app.page.getByTestId('loss-chart').locator('canvas').count()).toBeGreaterThan(0);
    // Its legend names the series; it never reads "--" for values under a pointer that is elsewhere.
    const legend = (await app.page.getByTestId('loss-chart').locator('.u-legend').textContent()) ?? '';
    expect(legend).toContain('validation accuracy');
    expect(legend).not.toContain('--');
    expect(await app.page.getByText(/\d+ epochs?; validation accuracy \d+%/).count()).toBe(1);
    const second = await train(/Small neural network \(MLP\)/);
    expect(second).toContain(`Embeddings: 0 new, ${rows.length} reused from the cache.`);
  });

  it('exports a head as ONNX and a model card', async () => {
    const { page } = app;
    const item = page.getByTestId('classifier-item').filter({ hasText: 'MLP' });
    const onnx = page.waitForEvent('download');
    await item.getByRole('button', { name: 'ONNX head' }).click();
    const file = await onnx;
    expect(file.suggestedFilename()).toBe('swahili-topics-mlp.onnx');
    const card = page.waitForEvent('download');
    await item.getByRole('button', { name: 'Model card' }).click();
    const path = await (await card).path();
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    expect(text).toContain('one-hidden-layer MLP on sentence embeddings of polyclass-fixtures/tiny-encoder');
    expect(text).toContain(`${rows.length} samples: ${rows.length} human`);
  });

  it('trains the n-gram student with no model download', async () => {
    const result = await train(/Character n-grams/, false);
    expect(result).toMatch(
      new RegExp(
        `^Saved “n-gram student · \\d+ samples \\(\\d+ human\\)”\\.\\s*Its confidences are calibrated on ${rows.length} texts \\(leave-one-out estimates on its training data\\)\\.\\s*$`,
      ),
    );
    // A validation split would serve better, and the view says how.
    expect(await app.page.getByTestId('calibrate-tip').textContent()).toContain(
      'With at least 30 labelled texts in the validation split',
    );
    // It learns from every sample, so its accuracy is a leave-one-out estimate, said as one.
    expect(
      await app.page
        .getByText(/\d+ epochs?; estimated accuracy on new texts \d+% \(each training sample scored/)
        .count(),
    ).toBe(1);
    expect(await app.page.getByTestId('classifier-item').count()).toBe(3);
  });

  it('opens the classifier whose “Try it” was pressed in the playground', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/train`);
    const items = page.getByTestId('classifier-item');
    await expect.poll(() => items.count()).toBe(3);
    // Not the first in the list (the playground's choice when none is named).
    const mlp = items.filter({ hasText: 'MLP' });
    // Its name as listed, less the date beside it.
    const name = await mlp
      .locator('span')
      .first()
      .evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelector('.note')?.remove();
        return (copy.textContent ?? '').trim();
      });
    expect(await items.first().textContent()).not.toContain(name);
    // Each item's actions are a group named by its classifier (the buttons' names repeat).
    const group = page.getByRole('group', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    expect(await group.getByRole('button').allTextContents()).toContain('Delete');
    await mlp.getByRole('link', { name: 'Try it' }).click();
    await page.getByRole('heading', { level: 1, name: 'Playground' }).waitFor();
    const chosen = page.getByLabel('Classifier');
    await expect
      .poll(async () => chosen.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent))
      .toBe(name);
  });

  it('classifies a text in the playground with every label’s probability', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/playground`);
    await page.getByLabel('Classifier').selectOption({
      label: (await page.getByLabel('Classifier').locator('option').filter({ hasText: 'n-gram' }).textContent()) ?? '',
    });
    await page.getByRole('textbox', { name: 'Text' }).fill('Timu ya taifa imeshinda mechi ya mpira wa miguu jana.');
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    await page.getByTestId('play-result').waitFor();
    expect(LABELS).toContain(await page.getByTestId('play-label').textContent());
    const probs = await page.getByTestId('play-prob').allTextContents();
    expect(probs).toHaveLength(3);
    const sum = probs.map((t) => Number(/([\d.]+)%/.exec(t)?.[1])).reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(99.5);
    expect(sum).toBeLessThan(100.5);
  });

  it('classifies a whole file and hands back the predictions as CSV', async () => {
    const { page } = app;
    const test = sib200('swh_Latn', 'test').filter((r) => LABELS.includes(r.category));
    const downloading = page.waitForEvent('download');
    await page
      .getByTestId('batch')
      .getByLabel('File to classify')
      .setInputFiles({
        name: 'test.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(Papa.unparse(test, { columns: ['category', 'text'] })),
      });
    const path = await (await downloading).path();
    const { readFile } = await import('node:fs/promises');
    const out = Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(out.meta.fields).toEqual(['category', 'text', 'prediction', 'p_sports', 'p_politics', 'p_health']);
    expect(out.data).toHaveLength(test.length);
    const correct = out.data.filter((r) => r.prediction === r.category).length;
    // The n-gram student on 100-odd real sentences does far better than chance (1/3).
    expect(correct / test.length).toBeGreaterThan(0.5);
    expect(await page.getByTestId('batch-summary').textContent()).toContain(
      `Classified ${test.length} rows (text column “text”)`,
    );
  });

  it('calibrates the next student on the validation split once it has 30 texts', async () => {
    const { page, baseURL } = app;
    const dev = sib200('swh_Latn', 'dev').filter((r) => LABELS.includes(r.category));
    expect(dev.length).toBeGreaterThanOrEqual(30);
    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('File to import').setInputFiles({
      name: 'dev.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        Papa.unparse(
          dev.map((r) => ({ ...r, split: 'validation' })),
          { columns: ['text', 'category', 'split'] },
        ),
      ),
    });
    await panel.getByRole('button', { name: 'Check the whole file' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
    await panel
      .getByTestId('import-summary')
      .filter({ hasText: `${dev.length} imported` })
      .waitFor();
    const result = await train(/Character n-grams/, false);
    expect(result).toContain(`Its confidences are calibrated on ${dev.length} texts of the validation split.`);
    expect(await page.getByTestId('calibrate-tip').count()).toBe(0);
  });
});
