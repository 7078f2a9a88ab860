/**
 * @file The app opens, every view can be reached, and the device check reports what this
 * browser really offers (here: WebGPU on a software adapter, cross-origin isolation).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import en from '../../src/lib/i18n/messages/en.json';
import { ROUTES } from '../../src/lib/ui/routes';
import { openApp, type AppSession } from './helpers/chromium';

let app: AppSession;

beforeEach(async () => {
  app = await openApp();
});

afterEach(async () => {
  await app?.close();
});

describe('app shell', () => {
  it('navigates to every view, each with its own heading', async () => {
    const { page } = app;
    // The guided tour is in the navigation only in teaching mode (guide.spec.ts), the welcome page never (workshop.spec.ts).
    for (const { id } of ROUTES.filter((r) => r.id !== 'guide' && r.id !== 'welcome')) {
      const route = { id, title: en[`route.${id}.title`] };
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: route.title, exact: true })
        .click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(route.title);
      expect(page.url()).toContain(`#/${route.id}`);
      expect(await page.title()).toBe(`${route.title} · polyclass`);
    }
  });

  it('speaks French when asked, and still after a reload', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/settings`);
    await page.getByLabel('Show polyclass in').selectOption('fr');
    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Tâches', exact: true }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Réglages');
    await page.reload();
    await nav.getByRole('link', { name: 'Évaluer', exact: true }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'fr',
      'ltr',
    ]);
    expect(await page.title()).toBe('Réglages · polyclass');
    await page.getByLabel('Afficher polyclass en').selectOption('en');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks', exact: true }).waitFor();
  });

  it('sends a newcomer from a task view to the task editor', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/evaluate`);
    await page.getByText('There is no task yet.').waitFor();
    await page.getByRole('link', { name: 'Create a task' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tasks');
  });

  it('reports the software WebGPU adapter, isolation, threads and storage from real detection', async () => {
    const { page } = app;
    await page.goto(`${app.baseURL}/#/models`);
    const check = page.getByTestId('device-check');
    await expect.poll(() => check.getByTestId('webgpu').textContent(), { timeout: 30_000 }).toContain('Available');
    expect(await check.getByTestId('webgpu').textContent()).toContain('software adapter');
    // SwiftShader has no 16-bit shaders.
    expect(await check.getByTestId('shader-f16').textContent()).toContain('No');
    expect(await check.getByTestId('isolated').textContent()).toContain('Yes');
    const truth = await page.evaluate(async () => {
      const adapter = await navigator.gpu.requestAdapter();
      return { vendor: adapter?.info.vendor ?? '', threads: navigator.hardwareConcurrency };
    });
    expect(await check.getByTestId('adapter').textContent()).toContain(truth.vendor);
    expect(await check.getByTestId('threads').textContent()).toBe(String(truth.threads));
    expect(await check.getByTestId('storage').textContent()).toMatch(/used of .* available/);
  });
});
