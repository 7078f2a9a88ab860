/**
 * @file The compare flow in the real app: a news-topic task gets human test data (SIB-200),
 * synthetic samples from a recorded generator and an n-gram student; one click runs the student,
 * the LLM zero-shot and the LLM with synthetic examples (recorded classifier answers), through a
 * reload mid-run; the numbers shown equal those stored, and the exported predictions reproduce
 * them. Then a learning curve.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareRun } from '../../src/lib/domain/evaluation';
import { computeMetrics } from '../../src/lib/domain/metrics';
import { ENCODER_ID } from '../fixtures/models';
import { evaluationTestRows, EVALUATION_LABELS } from '../fixtures/sib200';
import { importSwahiliRows, useModelFolder } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

let app: AppSession;
const testRows = evaluationTestRows();

beforeAll(async () => {
  app = await openApp('#/settings');
  const { page, baseURL } = app;
  await useModelFolder(page, baseURL);
  await createTaskInUi(page, baseURL, { ...NEWS_TASK, name: 'Evaluated news', seeds: {} });

  // Human test data.
  await page.goto(`${baseURL}/#/dataset`);
  const panel = page.getByTestId('import-panel');
  await panel.getByLabel('File to import').setInputFiles({
    name: 'test.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(Papa.unparse(testRows, { columns: ['text', 'category', 'language', 'split'] })),
  });
  await panel.getByRole('button', { name: 'Check the whole file' }).click();
  await panel.getByTestId('import-review').getByRole('button', { name: 'Import', exact: true }).click();
  await panel.getByTestId('import-summary').waitFor();

  // Synthetic training samples, from the recorded generator.
  await page.goto(`${baseURL}/#/generate`);
  await page.getByLabel(/Replay a recorded session/).check();
  await page.getByLabel('Recording address').fill('models/recordings/news.json');
  await page.getByLabel('Samples per label and language').fill('3');
  await page.getByRole('button', { name: 'Start generating' }).click();
  await page
    .getByTestId('gen-message')
    .filter({ hasText: 'Done: every label and language has its samples.' })
    .waitFor({ timeout: 90_000 });

  // Two students on them: the n-gram student, and logistic regression on the fixture encoder.
  await page.goto(`${baseURL}/#/train`);
  await page.getByLabel(/Character n-grams/).check();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-result').waitFor({ timeout: 60_000 });
  await page.getByLabel(/Logistic regression on sentence embeddings/).check();
  await page.getByLabel('Embedding model').fill(ENCODER_ID);
  await page.getByLabel('Precision').selectOption('fp32');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByTestId('train-result').filter({ hasText: 'logistic' }).waitFor({ timeout: 120_000 });
});

afterAll(async () => {
  await app?.close();
});

const pct = (x: number | undefined) => (100 * (x ?? NaN)).toFixed(1);

describe('evaluation', () => {
  it('shows the test set with a warning for cells too small to trust', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/evaluate`);
    const card = page.getByTestId('test-set');
    await expect.poll(() => card.textContent()).toContain('30 test texts');
    // 5 sentences per language and label: every cell is under 10.
    const small = 6;
    const warning = (await card.getByTestId('small-cells').textContent())?.replace(/\s+/g, ' ');
    expect(warning).toContain(`${small} language × label cells have fewer than 10 test texts`);
  });

  it('runs every evaluator with one click, survives a reload, and shows the stored numbers', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByLabel(/Replay a recorded session/).check();
    await page.getByLabel('Examples per label').fill('2');
    await page.getByRole('button', { name: 'Run every evaluator' }).click();

    // Reload while the LLM answers; the run resumes where its last commit left it.
    await expect
      .poll(
        async () =>
          (await page
            .getByTestId('eval-progress')
            .textContent()
            .catch(() => '')) ?? '',
        {
          timeout: 60_000,
        },
      )
      .toMatch(/LLM[^:]*: ([5-9]|[12][0-9]) of 30/);
    await page.reload();
    const offer = page.getByTestId('eval-resume');
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByRole('button', { name: 'Resume' }).click();
    await expect
      .poll(() => page.getByTestId('eval-message').textContent(), { timeout: 90_000 })
      .toBe('Done: every evaluator has its scores.');

    const [run] = (await readStore<CompareRun>(page, 'evalRuns')).filter((r) => r.kind === 'compare');
    expect(run?.evaluators.map((e) => e.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(run?.items).toHaveLength(30);
    const truth = run?.items.map((it) => it.label) ?? [];
    for (const e of run?.evaluators ?? []) {
      // Nothing lost or repeated across the reload: one prediction per item, each as recorded.
      expect(e.done).toBe(30);
      expect(e.predictions).toHaveLength(30);
      expect(e.scores?.macroF1).toBe(
        computeMetrics(
          EVALUATION_LABELS,
          truth,
          e.predictions.map((p) => p ?? ''),
        ).macroF1,
      );
      const row = page.locator(`[data-testid="compare-row"][data-key="${e.key}"]`);
      expect(await row.getByTestId('macro-f1').textContent()).toBe(pct(e.scores?.macroF1));
      expect(await row.getByTestId('accuracy').textContent()).toBe(pct(e.scores?.accuracy));
    }
    // The recorded classifier: items 6, 13, 20, 27 of the recording name no label.
    const zero = run?.evaluators.find((e) => e.name.startsWith('LLM zero-shot'));
    expect(zero?.scores?.invalid).toBe(4);
    expect(await page.locator(`[data-key="${zero?.key}"]`).getByTestId('invalid').textContent()).toBe('4');
    const headline = await page.getByTestId('headline').textContent();
    // The headline puts the best student against the LLM zero-shot.
    const student = run?.evaluators
      .filter((e) => e.spec.kind === 'student')
      .reduce((a, b) => ((b.scores?.macroF1 ?? 0) > (a.scores?.macroF1 ?? 0) ? b : a));
    expect(headline).toContain(`(${pct(student?.scores?.macroF1)} vs ${pct(zero?.scores?.macroF1)})`);
    expect(headline).toMatch(
      /^The (n-gram|logistic-regression) student.* trained on 18 synthetic samples (beats|trails|is level with) the LLM zero-shot/,
    );
    // The head on embeddings was timed on its own test texts, and its size is the head's file.
    const head = run?.evaluators.find((e) => e.name.startsWith('logistic-regression student'));
    expect(head?.latencyMs).toBeGreaterThan(0);
    expect(head?.sizeBytes).toBeGreaterThan(0);
    await page.getByTestId('language-chart').locator('canvas').waitFor();
    expect(await page.getByTestId('confusion').count()).toBe(1);
  });

  it('exports predictions that reproduce every score, and a Markdown report', async () => {
    const { page } = app;
    const dir = await mkdtemp(join(tmpdir(), 'polyclass-eval-'));
    const save = async (name: string) => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name }).click();
      const d = await downloading;
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      return readFile(path, 'utf8');
    };
    const [run] = (await readStore<CompareRun>(page, 'evalRuns')).filter((r) => r.kind === 'compare');
    const predictions = Papa.parse<Record<string, string>>(await save('Every prediction (CSV)'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(predictions).toHaveLength(30);
    for (const e of run?.evaluators ?? []) {
      const m = computeMetrics(
        EVALUATION_LABELS,
        predictions.map((r) => r.label as string),
        predictions.map((r) => r[e.name] as string),
      );
      expect(m.macroF1).toBe(e.scores?.macroF1);
    }
    const scores = Papa.parse<Record<string, string>>(await save('Scores (CSV)'), { header: true }).data;
    expect(scores.filter((r) => r.language === 'all')).toHaveLength(4);
    const report = await save('Report (Markdown)');
    expect(report).toContain('# Evaluated news: evaluation on human test data');
    expect(report).toContain(await page.getByTestId('headline').textContent());
    const png = await (async () => {
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Chart (PNG)' }).click();
      return (await downloading).suggestedFilename();
    })();
    expect(png).toMatch(/per-language\.png$/);
  });

  it('draws a learning curve over growing shares of the synthetic data', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Draw the learning curve' }).click();
    const table = page.getByTestId('curve-table');
    await table.waitFor({ timeout: 60_000 });
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(4);
    const [curve] = (
      await readStore<{ id: string; kind: string; points: { samples: number }[] }>(page, 'evalRuns')
    ).filter((r) => r.kind === 'learning-curve');
    expect(curve?.points.map((p) => p.samples)).toEqual([6, 6, 12, 18]);
  });

  it('says which evaluators could not run and why, instead of “Done”', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByLabel(/Replay a recorded session/).check();
    const why = page.getByTestId('zero-shot-why');
    // The demo's recording holds written texts, no answers to test texts: not offered, and why.
    await page.getByLabel('Recording address').fill('recordings/demo-news.json');
    await why.filter({ hasText: 'this recording holds texts written for a task, not answers to test texts' }).waitFor();
    expect(await page.getByLabel(/Zero-shot/).isChecked()).toBe(false);
    // A recording that is not there: both LLM evaluators fail; the students still run.
    await page.getByLabel('Recording address').fill('models/recordings/not-here.json');
    // Not there: the LLM ways are offered unticked and say why; ticked anyway, they fail.
    await why.filter({ hasText: 'there is no recording at' }).waitFor();
    expect(await page.getByLabel(/Zero-shot/).isChecked()).toBe(false);
    await page.getByLabel(/Zero-shot/).check();
    await page.getByLabel(/With synthetic examples/).check();
    await page.getByRole('button', { name: 'Run every evaluator' }).click();
    const said = page.getByTestId('eval-message');
    await expect.poll(() => said.textContent(), { timeout: 90_000 }).toMatch(/evaluated;|could run/);
    expect(await said.textContent()).toMatch(
      /^2 of 4 evaluated; 2 could not run: LLM zero-shot \(recording not-here\.json\): The recording .+ could not be read \(404\); LLM with .+\.$/,
    );
    const [run] = (await readStore<CompareRun>(page, 'evalRuns'))
      .filter((r) => r.kind === 'compare')
      .sort((a, b) => b.createdAt - a.createdAt);
    expect(run?.evaluators.map((e) => e.status).sort()).toEqual(['done', 'done', 'failed', 'failed']);
  });

  it('shows every label of the test set on a phone, however long its name', async () => {
    const { page, baseURL } = app;
    const labels = [
      'Government, parliament and national elections',
      'Football, athletics and other sports competitions',
      'Hospitals, illness and public health campaigns',
    ];
    await createTaskInUi(page, baseURL, {
      name: 'Long label names',
      languages: [NEWS_TASK.languages[0] as (typeof NEWS_TASK.languages)[number]],
      labels: labels.map((name) => ({ name, description: '' })),
    });
    await page.goto(`${baseURL}/#/dataset`);
    await importSwahiliRows(
      page,
      labels.flatMap((label, i) => [1, 2].map((k) => ({ text: `Sentensi ndefu ${i}-${k}`, label }))),
      'test',
    );
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${baseURL}/#/evaluate`);
      const card = page.getByTestId('test-set');
      await card.filter({ hasText: '6 test texts' }).waitFor();
      for (const label of labels) {
        const box = await card.getByRole('table').getByText(label, { exact: true }).boundingBox();
        expect(box, label).not.toBeNull();
        expect((box?.x ?? 0) + (box?.width ?? 0), label).toBeLessThanOrEqual(390);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
