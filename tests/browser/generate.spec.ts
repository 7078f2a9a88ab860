/**
 * @file Generation in the real app, worker and IndexedDB: a recorded session fills a
 * Swahili + Hausa task while the page is reloaded mid-job (nothing lost or duplicated, quotas
 * met exactly), and the fixture decoder runs through the real transformers.js path.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';
import { readStore } from './helpers/idb';
import { createTaskInUi, NEWS_TASK } from './helpers/tasks';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/settings');
  // The fixture decoder and the recording are served from the model folder.
  await app.page.getByLabel(/A model folder on this server/).check();
  await app.page.getByRole('button', { name: 'Save settings' }).click();
  await app.page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
});

afterAll(async () => {
  await app?.close();
});

interface StoredSample {
  id: string;
  text: string;
  label: string;
  language: string;
  jobId: string | null;
  deletedAt: number | null;
  flags: string[];
}

const storedSamples = (page: Page) => readStore<StoredSample>(page, 'samples');

const accepted = (all: StoredSample[]) => all.filter((s) => s.jobId !== null && s.deletedAt === null);

/** A new two-label Swahili task, with the Generate view open on it. */
async function swahiliTaskOnGenerate(page: Page, baseURL: string, name: string): Promise<void> {
  await createTaskInUi(page, baseURL, {
    name,
    languages: [{ query: 'swahili', option: /^Swahili \(macrolanguage\) sw/ }],
    labels: [
      { name: 'sports', description: 'Games' },
      { name: 'politics', description: 'Government' },
    ],
  });
  await page.goto(`${baseURL}/#/generate`);
}

describe('generation', () => {
  it('survives reloads mid-job and ends with exactly the quota, nothing lost or duplicated', async () => {
    const { page, baseURL } = app;
    await createTaskInUi(page, baseURL, { ...NEWS_TASK, name: 'Generated news', seeds: {} });
    await page.goto(`${baseURL}/#/generate`);
    await page.getByLabel(/Replay a recorded session/).check();
    await page.getByLabel('Recording address').fill('models/recordings/news.json');
    await page.getByLabel('Samples per label and language').fill('3');
    expect(await page.getByTestId('language-checks').textContent()).toContain(
      'Swahili (macrolanguage): CLD3 and lid.176; Hausa: CLD3.',
    );
    // No seeds, no human texts: the check has nothing of the user's to learn from, and says so.
    expect(await page.getByTestId('few-own-texts').textContent()).toContain(
      'The check has fewer than 10 of your own texts in Swahili (macrolanguage), Hausa to learn from.',
    );
    await page.getByRole('button', { name: 'Start generating' }).click();

    // Reload at three points while the job runs; after each, resume.
    const seen: StoredSample[] = [];
    let interrupted = 0;
    for (const atLeast of [2, 7, 12]) {
      await expect
        .poll(async () => accepted(await storedSamples(page)).length, { timeout: 60_000 })
        .toBeGreaterThanOrEqual(atLeast);
      await page.reload();
      const before = accepted(await storedSamples(page));
      for (const s of seen) expect(before).toContainEqual(s);
      seen.splice(0, seen.length, ...before);
      const offer = page.getByTestId('resume-offer');
      if (before.length < 18) {
        interrupted++;
        await offer.waitFor({ timeout: 30_000 });
        await offer.getByRole('button', { name: 'Resume' }).click();
      }
    }
    await expect
      .poll(() => page.getByTestId('gen-message').textContent(), { timeout: 60_000 })
      .toBe('Done: every label and language has its samples.');
    expect(interrupted).toBeGreaterThanOrEqual(2);
    const all = await storedSamples(page);
    const good = accepted(all);
    expect(good).toHaveLength(18);
    expect(new Set(good.map((s) => s.text)).size).toBe(18);
    for (const s of seen) expect(good).toContainEqual(s);
    for (const language of ['sw', 'ha'])
      for (const label of ['sports', 'politics', 'health'])
        expect(good.filter((s) => s.language === language && s.label === label)).toHaveLength(3);
    // Rejected texts are kept, marked, for inspection: English texts in Swahili cells among them.
    const rejectedTexts = all.filter((s) => s.flags.includes('rejected'));
    expect(rejectedTexts.length).toBeGreaterThan(0);
    // Hausa, which lid.176 does not know, is checked by CLD3: its English texts are caught too.
    for (const language of ['sw', 'ha'])
      expect(rejectedTexts.some((s) => s.language === language && s.text.startsWith('The national team won'))).toBe(
        true,
      );
    expect(good.some((s) => /^The (national|president)|^Doctors/.test(s.text))).toBe(false);
    expect(await page.getByTestId('gen-unchecked').count()).toBe(0);
    // The page shows the same numbers.
    expect(await page.getByTestId('gen-stats').textContent()).toContain('18 of 18 accepted');

    // The rejects can be inspected with their reasons, and restored.
    await page.goto(`${baseURL}/#/dataset`);
    const removed = page.getByTestId('removed');
    // One in a Swahili cell, one in a Hausa cell: the first written was rejected as English, the
    // second as its duplicate. The list shows the most recently removed first.
    const englishRows = removed.getByTestId('removed-row').filter({ hasText: 'The national team won' });
    await expect.poll(() => englishRows.count()).toBe(2);
    expect(await englishRows.nth(0).locator('td').nth(2).textContent()).toBe(
      'rejected: duplicate: the same text is already in the task',
    );
    const english = englishRows.nth(1);
    expect(await english.locator('td').nth(2).textContent()).toMatch(
      /^rejected: wrong language: identified as English \(\d+% sure\)$/,
    );
    const before = await page.getByTestId('samples-count').textContent();
    expect(before).toBe('18 of 18 samples');
    await english.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.getByTestId('samples-count').textContent()).toBe('19 of 19 samples');
  });

  it('sizes the job to what a replay holds, and says so when its texts ran short instead of offering a Resume', async () => {
    const { page, baseURL } = app;
    await swahiliTaskOnGenerate(page, baseURL, 'Short replay');
    await page.getByLabel(/Replay a recorded session/).check();
    await page.getByLabel('Recording address').fill('models/recordings/news.json');
    const capacity = page.getByTestId('recording-capacity');
    await capacity.filter({ hasText: 'The recording holds at least' }).waitFor();
    const holds = Number(/at least (\d+) texts/.exec((await capacity.textContent()) ?? '')?.[1]);
    expect(holds).toBeGreaterThan(1);
    // The count starts at what the replay holds for every cell, not at a default it cannot fill.
    expect(await page.getByLabel('Samples per label and language').inputValue()).toBe(String(holds));
    await page.getByLabel('Samples per label and language').fill(String(holds + 1));
    expect(await capacity.textContent()).toMatch(
      new RegExp(`The recording holds only ${holds} texts for (sports|politics) in Swahili \\(macrolanguage\\)`),
    );
    expect(await capacity.getAttribute('class')).toBe('warn');
    await page.getByLabel('Samples per label and language').fill(String(holds));
    // This recording's answers hold rejects (English, duplicates, one-word texts): fewer are kept
    // than it holds, and the job ends once it has no more answers, saying so, with no retries.
    await page.getByRole('button', { name: 'Start generating' }).click();
    const said = page.getByTestId('gen-message');
    await said.filter({ hasText: 'Done' }).waitFor({ timeout: 90_000 });
    const text = (await said.textContent()) ?? '';
    expect(text).toMatch(
      /^\s*Done, short of the target: the recording has no more answers for .*sports in Swahili \(macrolanguage\).*, so \d+ of \d+ samples were written\./,
    );
    expect(await said.getAttribute('role')).toBe('status');
    const stats = (await page.getByTestId('gen-stats').textContent()) ?? '';
    expect(stats).not.toContain('left');
    // 3 recorded answers a cell: one call each, none repeated for a cell that ran out.
    expect(stats).toMatch(/\b6 calls\b/);
    expect(await page.getByTestId('resume-offer').count()).toBe(0);
  });

  it('runs the fixture decoder through the real transformers.js generation path', async () => {
    const { page, baseURL } = app;
    await swahiliTaskOnGenerate(page, baseURL, 'Decoder check');
    await page.getByLabel(/On the CPU \(transformers.js\)/).check();
    await page.getByLabel('Model id').fill('polyclass-fixtures/tiny-decoder');
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByLabel('Samples per label and language').fill('1');
    await page.getByRole('button', { name: 'Start generating' }).click();
    const stats = page.getByTestId('gen-stats');
    // Tokens flowed from the model and the parser read them.
    await expect
      .poll(async () => Number(/(\d+) calls/.exec((await stats.textContent()) ?? '')?.[1] ?? 0), { timeout: 90_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => Number(/([\d.]+) tokens\/s/.exec((await stats.textContent()) ?? '')?.[1] ?? 0))
      .toBeGreaterThan(0);
    await page
      .getByText(/Last answer: .*no JSON found; read \d+ lines? as texts|Last answer: .*cut off/)
      .first()
      .waitFor({ timeout: 60_000 });
    // The tiny job may already have ended; otherwise pause it. Either way the page says how it ended.
    await page
      .getByRole('button', { name: 'Pause' })
      .click({ timeout: 1_000 })
      .catch(() => undefined);
    await page.getByTestId('gen-message').waitFor({ timeout: 60_000 });
  });

  it('says which model file is missing with a link to the fix, and offers no Resume for a job that never started', async () => {
    const { page, baseURL } = app;
    await swahiliTaskOnGenerate(page, baseURL, 'Missing model');
    await page.getByLabel(/On the CPU \(transformers.js\)/).check();
    await page.getByLabel('Model id').fill('polyclass-fixtures/not-here');
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByLabel('Samples per label and language').fill('1');
    await page.getByRole('button', { name: 'Start generating' }).click();
    const said = page.getByTestId('gen-message');
    await said.waitFor({ timeout: 60_000 });
    expect(await said.getAttribute('role')).toBe('alert');
    expect(await said.textContent()).toContain('polyclass-fixtures/not-here');
    expect(await said.getByRole('link', { name: 'Model source (Settings)' }).getAttribute('href')).toBe('#/settings');
    const [job] = (await readStore<{ id: string; status: string; createdAt: number }>(page, 'jobs')).sort(
      (a, b) => b.createdAt - a.createdAt,
    );
    expect(job?.status).toBe('failed');
    await page.reload();
    await page.getByRole('button', { name: 'Start generating' }).waitFor();
    expect(await page.getByTestId('resume-offer').count()).toBe(0);
  });

  it('measures this device with the chosen model, keeps the figure, and recommends a small model on a software GPU', async () => {
    const { page, baseURL } = app;
    await swahiliTaskOnGenerate(page, baseURL, 'Measure');
    // The software GPU here: the recommendation is the fastest suited model, not the largest.
    await page.getByLabel(/On this device’s GPU/).check();
    const note = page.getByTestId('llm-preflight').getByText(/Recommended for this device:/);
    await note.waitFor({ timeout: 30_000 });
    const recommended = /Recommended for this device: (.+)\./.exec((await note.textContent()) ?? '')?.[1] ?? '';
    expect(recommended).toMatch(/^(Qwen2\.5-0\.5B-Instruct|Llama-3\.2-1B-Instruct|Qwen3-0\.6B|Qwen3\.5-0\.8B)$/);
    const options = await page.locator('option', { hasText: /GPU memory/ }).allTextContents();
    expect(options.length).toBeGreaterThan(5);
    expect(options.filter((o) => o.includes('(recommended here)'))).toHaveLength(1);
    expect(options.filter((o) => /Coder|Math/.test(o) && o.includes('· multilingual'))).toEqual([]);
    expect(new Set(options).size).toBe(options.length);

    // Measure with the CPU decoder from the model folder: the figure is stored and shown after a reload.
    await page.getByLabel(/On the CPU \(transformers.js\)/).check();
    await page.getByLabel('Model id').fill('polyclass-fixtures/tiny-decoder');
    await page.getByLabel('Precision').selectOption('fp32');
    const measure = page.getByTestId('measure');
    expect(await measure.textContent()).toContain('A short timed generation with this model');
    await measure.getByRole('button', { name: 'Measure this device' }).click();
    const measured = measure.getByTestId('measured-speed');
    await measured.waitFor({ timeout: 120_000 });
    expect(await measured.textContent()).toMatch(
      /^\s*Measured on this device \(.+\): about [\d,]+ texts a minute \([\d.,]+ tokens a second\)\.\s*$/,
    );
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('polyclass.measuredSpeeds') ?? '{}'));
    const figure = stored['transformers:polyclass-fixtures/tiny-decoder:wasm:fp32'];
    expect(figure.tokensPerSecond).toBeGreaterThan(0);
    expect(figure.calls).toBe(3);
    // The time for the job now comes from the measured figure, not the rough CPU estimate.
    expect(await page.getByTestId('cpu-estimate').textContent()).toMatch(
      /At the speed measured on this device: about \d+ minutes? for \d+ samples?\./,
    );
    await page.reload();
    await page.getByLabel(/On the CPU \(transformers.js\)/).check();
    await page.getByLabel('Model id').fill('polyclass-fixtures/tiny-decoder');
    await page.getByLabel('Precision').selectOption('fp32');
    await page.getByTestId('measured-speed').waitFor();
    expect(await page.getByTestId('measure').getByRole('button', { name: 'Measure again' }).count()).toBe(1);
  });
});
