/**
 * @file An automated accessibility check (axe-core) of every view, with real content: the demo
 * project, a trained student and an evaluation run. No serious or critical violation is allowed.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/lib/ui/routes';
import { addDemoProject, evaluateStudents, trainNgramStudent } from './helpers/steps';
import { openApp, type AppSession } from './helpers/chromium';

const require = createRequire(import.meta.url);
let app: AppSession;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

beforeAll(async () => {
  app = await openApp('#/tasks');
  const { page, baseURL } = app;
  await addDemoProject(page);
  await trainNgramStudent(page, baseURL);
  await evaluateStudents(page, baseURL);
});

afterAll(async () => {
  await app?.close();
});

describe('accessibility', () => {
  const cases = (['en', 'fr'] as const).flatMap((language) => ROUTES.map((r) => [r.id, language] as const));
  it.each(cases)('the %s view in %s has no serious or critical axe violation', async (id, language) => {
    const { page, baseURL } = app;
    const current = await page.evaluate(() => document.documentElement.lang);
    if (current !== language) {
      await page.goto(`${baseURL}/#/settings`);
      await page.getByTestId('ui-language').selectOption(language);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
    }
    await page.goto(`${baseURL}/#/${id}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Let the view load its data (tables, charts) before checking.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[] }> } })
        .axe;
      return (await axe.run(document)).violations;
    });
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
});
