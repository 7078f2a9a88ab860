/**
 * @file The whole first-launch flow with the keyboard alone: add the demo project, train the
 * n-gram student, evaluate it and sort the comparison, moving only with Tab / Shift+Tab and
 * acting with Enter and Space. Every control on the way must be reachable, named and operable.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppSession } from './helpers/chromium';

let app: AppSession;

beforeAll(async () => {
  app = await openApp('#/tasks');
});

afterAll(async () => {
  await app?.close();
});

/** The accessible name of the focused element, roughly as a screen reader would say it. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
    return (label ?? '').replace(/\s+/g, ' ').trim();
  });

/** Presses Tab (or Shift+Tab) until the focused control's name matches. */
async function tabTo(page: Page, name: RegExp, backwards = false, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`No control named ${name} within ${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`);
}

describe('keyboard only', () => {
  it('adds the demo, trains, evaluates and sorts the comparison without a pointer', async () => {
    const { page } = app;
    await page.getByTestId('demo-offer').waitFor();
    await tabTo(page, /^Add the demo project$/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Added “Demo: news topics (SIB-200)”' }).waitFor();

    await tabTo(page, /^Train$/, true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Train');
    await tabTo(page, /Character n-grams/);
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/Character n-grams/).isChecked()).toBe(true);
    await tabTo(page, /^Train$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('train-result').waitFor({ timeout: 60_000 });

    await tabTo(page, /^Evaluate$/, true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Evaluate');
    await page.getByTestId('test-set').filter({ hasText: '210 test texts' }).waitFor();
    // No LLM here: offered unticked; ticked and unticked again by keyboard.
    await page.getByTestId('zero-shot-why').waitFor();
    await tabTo(page, /Zero-shot/);
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/Zero-shot/).isChecked()).toBe(true);
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/Zero-shot/).isChecked()).toBe(false);
    await tabTo(page, /^Run every evaluator$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('eval-message').filter({ hasText: 'Done: every evaluator has its scores.' }).waitFor({
      timeout: 60_000,
    });

    // The wide comparison table scrolls by keyboard, and its columns sort by keyboard.
    await tabTo(page, /^Comparison of every evaluator$/);
    await tabTo(page, /^Accuracy$/);
    const header = page.getByRole('columnheader', { name: 'Accuracy' });
    const before = await header.getAttribute('aria-sort');
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).not.toBe(before);
  });
});
