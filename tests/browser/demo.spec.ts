/**
 * @file A newcomer's first launch: the demo project is offered, added in one click with its
 * source and license shown, and the n-gram student trains and is evaluated on its human test
 * sentences with no download (no request leaves localhost).
 */
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareRun } from '../../src/lib/domain/evaluation';
import { trainNgramStudent, useHub } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';

let app: AppSession;

/** Each step of the path bar: done, next or todo. */
/** The compare runs stored (the store also keeps imported answers), oldest first. */
const compareRuns = async (page: Page) =>
  (await readStore<CompareRun>(page, 'evalRuns')).filter((r) => r.kind === 'compare');

const pathStates = async (page: Page) =>
  Object.fromEntries(
    await page
      .getByTestId('path')
      .locator('li')
      .evaluateAll((items) => items.map((li) => [li.getAttribute('data-step'), li.getAttribute('data-state')])),
  ) as Record<string, string>;

beforeAll(async () => {
  // A laptop with no model folder: the models come from the hub, which this machine cannot reach.
  app = await openApp('#/settings');
  await useHub(app.page, app.baseURL);
  await app.page.goto(`${app.baseURL}/#/tasks`);
});

afterAll(async () => {
  await app?.close();
});

describe('demo project', () => {
  it('is offered on first launch and added with its source and license', async () => {
    const { page } = app;
    const offer = page.getByTestId('demo-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('Flores-200 (CC BY-SA 4.0)');
    await offer.getByRole('button', { name: 'Add the demo project' }).click();
    await page.getByRole('status').filter({ hasText: 'Added “Demo: news topics (SIB-200)”' }).waitFor();
    expect(await page.getByTestId('task-attribution').textContent()).toContain('SIB-200');
    expect(await page.getByTestId('demo-offer').count()).toBe(0);
    expect(await page.getByTestId('current-task').count()).toBe(0); // the Tasks view names no current task
    expect(await readStore(page, 'samples')).toHaveLength(777);
    // The path says what is done and what comes next: the demo has its data; generating is next.
    expect(await pathStates(page)).toEqual({
      task: 'done',
      data: 'done',
      generate: 'next',
      train: 'todo',
      evaluate: 'todo',
      use: 'todo',
    });
    expect(
      await page
        .getByTestId('path')
        .getByRole('link', { name: /Generate/ })
        .getAttribute('href'),
    ).toBe('#/generate');
  });

  it('trains the n-gram student and evaluates it on the human test set without any download', async () => {
    const { page, baseURL, requests } = app;
    await trainNgramStudent(page, baseURL);
    await page.goto(`${baseURL}/#/evaluate`);
    await page.getByTestId('test-set').filter({ hasText: '210 test texts' }).waitFor();
    // No LLM is on this machine and the demo has no generated samples: the LLM evaluators are
    // offered unticked, each with the reason and the way to fix it, and only the student runs.
    const llm = page.getByTestId('llm-evaluators');
    const why = llm.getByTestId('zero-shot-why');
    await why.waitFor();
    expect(await why.textContent()).toMatch(/Not ticked: Qwen2\.5-0\.5B-Instruct is not on this device yet/);
    expect(await why.getByRole('link', { name: 'Models & storage' }).getAttribute('href')).toBe('#/models');
    const fewWhy = llm.getByTestId('few-shot-why');
    expect(await fewWhy.textContent()).toContain('no generated training samples');
    expect(await fewWhy.getByRole('link', { name: 'Generate some' }).getAttribute('href')).toBe('#/generate');
    expect(await llm.getByLabel(/Zero-shot/).isChecked()).toBe(false);
    expect(await llm.getByLabel(/With synthetic examples/).isChecked()).toBe(false);
    // GPT-4's and GPT-3.5's published answers come with the demo, ticked; left out this time.
    const sets = page.getByTestId('answer-sets').getByTestId('answer-set');
    await expect.poll(() => sets.count()).toBe(2);
    for (const name of ['GPT-4 zero-shot', 'GPT-3.5 zero-shot']) {
      const box = page.getByTestId('answer-sets').getByLabel(name, { exact: true });
      expect(await box.isChecked()).toBe(true);
      await box.uncheck();
    }
    expect(await sets.first().textContent()).toMatch(/210 of 210 test texts answered, \d+ answers name no label/);
    await page.getByRole('button', { name: 'Run every evaluator' }).click();
    await expect
      .poll(() => page.getByTestId('eval-message').textContent(), { timeout: 60_000 })
      .toBe('Done: every evaluator has its scores.');
    const [run] = await compareRuns(page);
    expect(run?.evaluators.map((e) => [e.spec.kind, e.status])).toEqual([['student', 'done']]);
    // With the student alone, a plain sentence still says what its score means; the chart's key
    // names the student, with no empty cursor values.
    expect(await page.getByTestId('headline').textContent()).toMatch(
      /^The n-gram student trained on 357 human samples scores \d+\.\d macro-F1 points out of 100 on 210 test texts \(95% interval [\d.]+–[\d.]+\); guessing at random would score about 14\.3\. Best in .+ \([\d.]+\), weakest in .+ \([\d.]+\)\.$/,
    );
    const key = await page.getByTestId('language-chart').locator('.u-legend').textContent();
    expect(key).toContain('n-gram student');
    expect(key).not.toContain('--');
    await expect
      .poll(() => pathStates(page))
      .toEqual({ task: 'done', data: 'done', generate: 'next', train: 'done', evaluate: 'done', use: 'todo' });
    const student = run?.evaluators[0];
    expect(student?.trainedOn).toMatchObject({ samples: 357, bySource: { human: 357 } });
    // Seven topics: chance is about 14 macro-F1 points; the student does far better.
    expect(student?.scores?.macroF1).toBeGreaterThan(0.3);
    expect(await page.getByTestId('macro-f1').textContent()).toBe((100 * (student?.scores?.macroF1 ?? 0)).toFixed(1));
    expect(requests.filter((u) => !new URL(u).hostname.match(/^(localhost|127\.0\.0\.1)$/))).toEqual([]);
  });

  it('compares the student with GPT-4’s and GPT-3.5’s published answers, with no download', async () => {
    const { page, requests } = app;
    for (const name of ['GPT-4 zero-shot', 'GPT-3.5 zero-shot'])
      await page.getByTestId('answer-sets').getByLabel(name, { exact: true }).check();
    await page.getByRole('button', { name: 'Run every evaluator' }).click();
    await expect.poll(async () => (await compareRuns(page)).length, { timeout: 60_000 }).toBe(2);
    await expect
      .poll(() => page.getByTestId('eval-message').textContent(), { timeout: 60_000 })
      .toBe('Done: every evaluator has its scores.');
    const run = (await compareRuns(page)).at(-1);
    expect(run?.evaluators.map((e) => [e.spec.kind, e.name, e.status])).toEqual([
      ['student', 'n-gram student', 'done'],
      ['answers', 'GPT-4 zero-shot', 'done'],
      ['answers', 'GPT-3.5 zero-shot', 'done'],
    ]);
    const [student, gpt4, gpt35] = run?.evaluators ?? [];
    // GPT-4 is the stronger of the two: the headline weighs the student against it, per language too.
    expect(gpt4?.scores?.macroF1).toBeGreaterThan(gpt35?.scores?.macroF1 ?? 1);
    const sign = (student?.scores?.macroF1 ?? 0) > (gpt4?.scores?.macroF1 ?? 0) ? 'beats' : 'trails';
    expect(await page.getByTestId('headline').textContent()).toMatch(
      new RegExp(
        `^The n-gram student trained on 357 human samples ${sign} the GPT-4 zero-shot \\(imported answers\\) by [\\d.]+ macro-F1 points .* The widest gap is in (Swahili|Hausa|Yoruba)`,
      ),
    );
    const table = page.getByTestId('compare');
    expect(await table.textContent()).toContain('GPT-3.5 zero-shot (imported answers)');
    // Answers it could not use are listed under the confusion matrix of that evaluator.
    expect(gpt4?.invalidAnswers.length).toBeGreaterThan(0);
    // How far to trust the student's confidence: its calibration error and reliability diagram,
    // from the confidences the run kept; imported answers have none to show.
    expect(student?.confidences).toHaveLength(210);
    const calibration = page.getByTestId('calibration');
    expect(await calibration.getByTestId('calibration-ece').textContent()).toMatch(
      /^Expected calibration error: \d+\.\d points on 210 test texts, .* When it was \d+–\d+% sure \(\d+ texts?\), it was right \d+% of the time\.$/,
    );
    expect(await calibration.getByTestId('reliability-diagram').locator('rect').count()).toBeGreaterThan(1);
    // A "not sure" threshold: what the student would still answer, and how well.
    const conf = student?.confidences ?? [];
    const answeredAt = (t: number) => Math.round((100 * conf.filter((c) => c >= t).length) / conf.length);
    expect(await calibration.getByTestId('coverage').textContent()).toContain(
      `Saying “not sure” below 80%, it would answer ${answeredAt(0.8)}% of the texts`,
    );
    await calibration.getByTestId('not-sure-threshold').fill('50');
    await expect
      .poll(() => calibration.getByTestId('coverage').textContent())
      .toContain(`Saying “not sure” below 50%, it would answer ${answeredAt(0.5)}% of the texts`);
    await page.getByLabel('Confusion matrix of').selectOption({ label: 'GPT-4 zero-shot (imported answers)' });
    await expect.poll(() => calibration.count()).toBe(0);
    await page.getByLabel('Confusion matrix of').selectOption({ label: 'n-gram student' });
    expect(requests.filter((u) => !new URL(u).hostname.match(/^(localhost|127\.0\.0\.1)$/))).toEqual([]);
  });

  it('says "not sure" below the threshold chosen in Evaluate, in the playground and in a classified file', async () => {
    const { page, baseURL } = app;
    const calibration = page.getByTestId('calibration');
    await calibration.getByTestId('not-sure-threshold').fill('50');
    await calibration.getByTestId('use-threshold').click();
    await calibration.getByTestId('threshold-in-use').waitFor();
    const student = (await compareRuns(page)).at(-1)?.evaluators[0];
    const conf = student?.confidences ?? [];
    const answeredAt = (t: number) => Math.round((100 * conf.filter((c) => c >= t).length) / conf.length);

    await page.goto(`${baseURL}/#/playground`);
    const unsure = page.getByTestId('not-sure');
    expect(await unsure.getByRole('checkbox').isChecked()).toBe(true);
    expect(await unsure.getByTestId('threshold').inputValue()).toBe('50');
    // What this threshold did on the latest evaluation, from its kept confidences.
    expect(await unsure.getByTestId('threshold-evidence').textContent()).toMatch(
      new RegExp(
        `210 test texts\\), at 50% it would answer ${answeredAt(0.5)}% of them and be right on \\d+% of those`,
      ),
    );
    // At 99% the student is not sure of a text it has never seen the like of: it says so, with its best guess.
    await unsure.getByTestId('threshold').fill('99');
    await unsure.getByTestId('threshold').dispatchEvent('change');
    await expect.poll(() => unsure.getByTestId('threshold-evidence').textContent()).toContain('at 99%');
    await page.getByLabel('Text', { exact: true }).fill('qwxz plorb');
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    await expect.poll(() => page.getByTestId('play-label').textContent()).toBe('Not sure');
    expect(await page.getByTestId('play-guess').textContent()).toMatch(
      /^best guess: \S+, \d+% sure, below your 99% threshold$/,
    );

    // A classified file leaves the prediction empty where the student is not sure.
    const downloading = page.waitForEvent('download');
    await page.getByLabel('File to classify').setInputFiles({
      name: 'texts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('text\nqwxz plorb\nmpira wa miguu timu ya taifa imeshinda mechi ya kombe\n'),
    });
    const file = await (await downloading).path();
    const { readFile } = await import('node:fs/promises');
    const rows = Papa.parse<Record<string, string>>(await readFile(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(Object.keys(rows[0] ?? {}).slice(0, 4)).toEqual(['text', 'prediction', 'best_guess', 'confidence']);
    const notSure = rows.filter((r) => r.prediction === '');
    for (const r of notSure) expect(Number(r.confidence)).toBeLessThan(0.99);
    expect(notSure.length).toBeGreaterThan(0);
    expect(await page.getByTestId('batch-summary').textContent()).toMatch(
      new RegExp(`On ${notSure.length} rows? the student was less than 99% sure`),
    );
    // Off again: the student always answers.
    await unsure.getByRole('checkbox').uncheck();
    await expect
      .poll(() => unsure.getByTestId('threshold-evidence').textContent())
      .toMatch(/^\s*Off: the student always gives its most likely label/);
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    await expect.poll(() => page.getByTestId('play-label').textContent()).not.toBe('Not sure');
    await page.goto(`${baseURL}/#/evaluate`);
  });

  it('imports a file of answers, saying which rows it could not use, and deletes it with Undo', async () => {
    const { page } = app;
    const [run] = await compareRuns(page);
    const items = run?.items ?? [];
    // Answers for all but the last test text, one that names no label, and a row for no test text.
    const lines = items
      .slice(0, -1)
      .map((it, i) => [it.text, i === 3 ? 'No idea, sorry.' : `Category: ${it.label}`])
      .concat([['A sentence this task does not have.', 'sports']]);
    const tsv = Papa.unparse([['sentence', 'prediction'], ...lines], { delimiter: '\t' });
    const box = page.getByTestId('answer-sets');
    await box
      .getByLabel('File of answers')
      .setInputFiles({ name: 'my-model.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
    const preview = box.getByTestId('answers-preview');
    await expect.poll(() => preview.textContent()).toContain('209 of 210 test texts have an answer in “my-model.tsv”.');
    expect(await preview.textContent()).toContain(
      '1 row answers no test text of this task, e.g. “A sentence this task does not have.”',
    );
    expect(await preview.textContent()).toContain(
      '1 answer names no label or several (counted wrong), e.g. “No idea, sorry.”: names no label.',
    );
    expect(await box.getByLabel('Answers in column').inputValue()).toBe('prediction');
    expect(await box.getByLabel('Test texts in column').inputValue()).toBe('sentence');
    await box.getByLabel('Name', { exact: true }).fill('My fine-tuned model');
    await box.getByRole('button', { name: 'Add these answers' }).click();
    const mine = box.getByTestId('answer-set').filter({ hasText: 'My fine-tuned model' });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('209 of 210 test texts answered, 1 answer names no label');
    // A file that answers nothing here says so, and cannot be added.
    await box
      .getByLabel('File of answers')
      .setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from('text,answer\nhello,sports\n') });
    await expect.poll(() => preview.textContent()).toContain('No row answers a test text of this task.');
    expect(await box.getByRole('button', { name: 'Add these answers' }).isDisabled()).toBe(true);
    await box.getByRole('button', { name: 'Cancel' }).click();
    // The test texts go out with their ids and no labels; answers that come back with the ids match.
    const downloading = page.waitForEvent('download');
    await box.getByRole('button', { name: 'Save the test texts (CSV)' }).click();
    const saved = await downloading;
    expect(saved.suggestedFilename()).toBe('demo-news-topics-sib-200-test-texts.csv');
    const { readFile } = await import('node:fs/promises');
    const sent = Papa.parse<Record<string, string>>(await readFile(await saved.path(), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(sent.meta.fields).toEqual(['id', 'text', 'language']);
    expect(sent.data).toHaveLength(210);
    const labelOf = new Map(items.map((it) => [it.sampleId, it.label]));
    const back = Papa.unparse(sent.data.map((r) => ({ id: r.id, answer: `{"label": "${labelOf.get(r.id ?? '')}"}` })));
    await box
      .getByLabel('File of answers')
      .setInputFiles({ name: 'by-id.csv', mimeType: 'text/csv', buffer: Buffer.from(back) });
    await expect.poll(() => preview.textContent()).toContain('210 of 210 test texts have an answer in “by-id.csv”.');
    expect(await box.getByLabel('Ids in column').inputValue()).toBe('id');
    await box.getByRole('button', { name: 'Cancel' }).click();
    // Delete, then Undo brings it back whole.
    const stored = (await readStore<{ id: string; kind: string; name: string }>(page, 'evalRuns')).filter(
      (r) => r.kind === 'answers',
    );
    expect(stored).toHaveLength(3);
    await mine.getByRole('button', { name: 'Delete' }).click();
    await box.getByTestId('answers-deleted').waitFor();
    await expect.poll(() => mine.count()).toBe(0);
    await box.getByTestId('answers-deleted').getByRole('button', { name: 'Undo' }).click();
    await mine.waitFor();
    expect(
      (await readStore<{ id: string; kind: string }>(page, 'evalRuns')).filter((r) => r.kind === 'answers'),
    ).toEqual(stored);
    // Not needed by the tests that follow.
    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => mine.count()).toBe(0);
  });

  it('gives the same student the same 95% interval when evaluated again', async () => {
    const { page } = app;
    const before = (await compareRuns(page)).length;
    await page.getByRole('button', { name: 'Run every evaluator' }).click();
    await expect.poll(async () => (await compareRuns(page)).length, { timeout: 60_000 }).toBe(before + 1);
    await page.getByTestId('eval-message').filter({ hasText: 'Done' }).waitFor({ timeout: 60_000 });
    const runs = (await compareRuns(page)).slice(-2);
    const intervals = runs.map((r) => r.evaluators[0]?.scores?.macroF1Interval);
    expect(intervals[0]).toBeDefined();
    expect(intervals[1]).toEqual(intervals[0]);
    expect(runs[0]?.seed).not.toBe(runs[1]?.seed);
    // Runs are listed newest first, each with its evaluators; the one chosen is shown, and is
    // the one "Delete this run" deletes.
    const [older, newer] = runs.map((r) => r.id);
    const select = page.getByTestId('compare').getByRole('combobox', { name: /^Run\b/ });
    const options = await select
      .locator('option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
    expect(options).toHaveLength(before + 1);
    expect(options[0]?.[0]).toBe(newer);
    expect(options[1]?.[0]).toBe(older);
    for (const [, text] of options) expect(text).toMatch(/ · \d+ evaluators?$/);
    expect(await select.inputValue()).toBe(newer);
    await select.selectOption(older ?? '');
    await expect.poll(() => select.inputValue()).toBe(older);
    // Back to the runs before, for the tests that follow.
    await page.getByRole('button', { name: 'Delete this run' }).click();
    await expect.poll(async () => (await compareRuns(page)).length).toBe(before);
    expect((await compareRuns(page)).map((r) => r.id)).toContain(newer);
    expect((await compareRuns(page)).map((r) => r.id)).not.toContain(older);
  });

  it('deletes a classifier or an evaluation run at once, with Undo bringing it back whole', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/train`);
    const list = page.getByTestId('classifiers');
    const [before] = await readStore<{ id: string; name: string }>(page, 'classifiers');
    await list.getByTestId('classifier-item').first().getByRole('button', { name: 'Delete' }).click();
    const deleted = list.getByTestId('classifier-deleted');
    await deleted.waitFor();
    expect(await deleted.textContent()).toContain('Deleted “n-gram student · 357 samples (357 human)”.');
    expect(await list.getByTestId('classifier-item').count()).toBe(0);
    expect(await readStore(page, 'classifiers')).toEqual([]);
    await deleted.getByRole('button', { name: 'Undo' }).click();
    await list.getByTestId('classifier-item').first().waitFor();
    expect(await readStore(page, 'classifiers')).toEqual([before]);
    expect(await deleted.count()).toBe(0);

    await page.goto(`${baseURL}/#/evaluate`);
    const runs = await readStore<{ id: string }>(page, 'evalRuns');
    const compared = (await compareRuns(page)).length;
    await page.getByRole('button', { name: 'Delete this run' }).click();
    const runDeleted = page.getByTestId('run-deleted');
    await runDeleted.waitFor();
    await expect.poll(async () => (await compareRuns(page)).length).toBe(compared - 1);
    await runDeleted.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await compareRuns(page)).length).toBe(compared);
    expect(await readStore(page, 'evalRuns')).toEqual(runs);
  });

  it('takes the split of rows without one from the file name, and otherwise asks', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    const file = (name: string) => ({
      name,
      mimeType: 'text/tab-separated-values',
      buffer: Buffer.from('text\tlabel\tlanguage\nTimu ya taifa imeshinda.\tsports\tsw\n'),
    });
    const split = panel.getByLabel('Split of rows without one');
    const check = panel.getByRole('button', { name: 'Check the whole file' });

    await panel.getByLabel('File to import').setInputFiles(file('zul_train.tsv'));
    await panel.getByTestId('split-from-name').waitFor();
    expect(await split.inputValue()).toBe('train');
    expect(await panel.getByTestId('split-from-name').textContent()).toContain('“zul_train.tsv”');
    expect(await check.isEnabled()).toBe(true);

    await panel.getByLabel('File to import').setInputFiles(file('sentences.tsv'));
    await panel.getByTestId('split-needed').waitFor();
    expect(await check.isDisabled()).toBe(true);
    await split.selectOption('test');
    expect(await panel.getByTestId('split-needed').count()).toBe(0);
    expect(await check.isEnabled()).toBe(true);
    await page.reload();
  });

  it('speaks French down to the messages the workers write', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('fr');
    await page.goto(`${baseURL}/#/dataset`);
    const panel = page.getByTestId('import-panel');
    await panel.getByLabel('Fichier à importer').setInputFiles({
      name: 'extra-train.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('text,label,language\nUne phrase de plus sur le sport.,sports,sw\n,sports,sw\n'),
    });
    await panel.getByRole('button', { name: 'Vérifier tout le fichier' }).click();
    await panel.getByTestId('import-review').getByRole('button', { name: 'Importer', exact: true }).click();
    // Written by the data worker, in the page's language.
    expect(await panel.getByTestId('import-summary').textContent()).toContain('1 importé, 1 ignoré : 1 texte vide');
    // Names, dates and numbers are made at display time, in French.
    await page.goto(`${baseURL}/#/train`);
    const item = page.getByTestId('classifier-item').first();
    await item.waitFor();
    expect(await item.textContent()).toMatch(
      /^élève n-gramme · 357 exemples \(357 exemples humains\) \(\d{1,2} [a-zéû]+\.? \d{4},? (à )?\d{2}:\d{2}\)/,
    );
    await page.goto(`${baseURL}/#/evaluate`);
    expect(await page.getByTestId('headline').textContent()).toMatch(
      /^L’élève n-gramme entraîné sur 357 exemples humains (bat|est derrière) le GPT-4 zero-shot \(réponses importées\) de \d+,\d points de macro-F1/,
    );
    expect(await page.getByTestId('macro-f1').first().textContent()).toMatch(/^\d+,\d$/);
    await page.goto(`${baseURL}/#/settings`);
    await page.getByTestId('ui-language').selectOption('en');
  });

  it('flags at most 5% of the demo’s clean human sentences as possibly mislabelled', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/dataset`);
    const check = page.getByTestId('label-check');
    await check.getByLabel(/Words and letter patterns/).check();
    await check.getByRole('button', { name: 'Check labels' }).click();
    const summary = check.getByTestId('check-summary');
    await summary.waitFor({ timeout: 60_000 });
    const said = (await summary.textContent()) ?? '';
    const flagged = said.includes('none looks mislabelled') ? 0 : Number(/(\d+) may be mislabelled/.exec(said)?.[1]);
    const checked = Number(/Checked ([\d,]+) samples/.exec(said)?.[1]?.replace(',', ''));
    expect(Number.isNaN(flagged)).toBe(false);
    expect(checked).toBeGreaterThan(350);
    expect(flagged).toBeLessThanOrEqual(0.05 * checked);
  });

  it('replays the shipped recording by default without a capable GPU, and saves a finished job as a recording', async () => {
    const { page, baseURL } = app;
    await page.goto(`${baseURL}/#/generate`);
    // The software GPU here is no capable GPU: the demo's own recording is chosen, and says what it is.
    const replay = page.getByLabel(/Replay a recorded session/);
    await expect.poll(() => replay.isChecked(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('recording-address').inputValue()).toBe('recordings/demo-news.json');
    const about = page.getByTestId('recording-about');
    await about.filter({ hasText: 'Replays “demo replay (SIB-200 dev sentences)”' }).waitFor();
    expect(await about.textContent()).toContain('human-written SIB-200 sentences');
    // Every demo language has its seeds and human texts for the language check to learn from.
    await expect.poll(() => page.getByTestId('language-checks').textContent()).toContain('Yoruba: CLD3 and lid.176');
    expect(await page.getByTestId('few-own-texts').count()).toBe(0);
    await page.getByLabel('Samples per label and language').fill('1');
    await page.getByRole('button', { name: 'Start generating' }).click();
    await expect
      .poll(() => page.getByTestId('gen-message').textContent(), { timeout: 120_000 })
      .toBe('Done: every label and language has its samples.');
    const generated = (
      await readStore<{ id: string; jobId: string | null; deletedAt: number | null }>(page, 'samples')
    ).filter((s) => s.jobId !== null && s.deletedAt === null);
    expect(generated).toHaveLength(21);
    await expect.poll(async () => (await pathStates(page)).use).toBe('next');

    // Saved as a recording: a file a later workshop opens as its replay.
    const finished = page.getByTestId('gen-finished');
    const downloading = page.waitForEvent('download');
    await finished.getByRole('button', { name: 'Save as a recording' }).click();
    const file = await (await downloading).path();
    const { readFile } = await import('node:fs/promises');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { model: string; answers: { label: string }[] };
    expect(saved.model).toMatch(/^recording demo-news\.json · Demo: news topics/);
    expect(saved.answers).toHaveLength(21);
    await page.getByLabel('Or open a recording file').setInputFiles(file);
    await about.filter({ hasText: `Replays “${saved.model}” (21 recorded answers)` }).waitFor();
    // A file that is not a recording is refused with the reason.
    await page
      .getByLabel('Or open a recording file')
      .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await about.getByRole('alert').filter({ hasText: 'notes.json is not a polyclass recording' }).waitFor();
  });
});
