/**
 * @file The screenshots in docs/screens: the production build in Chromium at 1280×800 and
 * 390×844, a new user's first launch, then the demo project generated (its shipped replay),
 * trained and evaluated, and each main view. Prints each page's width (wider than the window:
 * what sticks out). Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
 *
 *   npx tsx scripts/screenshots.ts
 */
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS } from '../tests/browser/helpers/chromium-args';
import { overflow } from '../tests/browser/helpers/layout';
import { addDemoProject, trainNgramStudent, evaluateStudents } from '../tests/browser/helpers/steps';

const OUT = process.env.OUT ?? 'docs/screens';
await mkdir(OUT, { recursive: true });
const outDir = await mkdtemp(join(tmpdir(), 'shots-dist-'));
await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  configFile: 'vite.config.ts',
  logLevel: 'warn',
  build: { outDir },
  preview: { host: 'localhost', port: 0, strictPort: false },
});
const addr = server.httpServer.address();
if (!addr || typeof addr === 'string') throw new Error('no addr');
const base = `http://localhost:${addr.port}`;
const ctx = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'shots-prof-')), {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
  viewport: { width: 1280, height: 800 },
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
const sizes = [
  [1280, 800, 'wide'],
  [390, 844, 'phone'],
] as const;
async function shoot(name: string, prepare?: () => Promise<void>) {
  for (const [w, h, tag] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    if (prepare) await prepare();
    await page.waitForTimeout(1200);
    const { page: width, culprits } = await overflow(page);
    if (width > w) console.log(culprits.join('\n'));
    console.log(name, tag, 'page width', width);
    await page.screenshot({ path: `${OUT}/${name}-${tag}.png` });
  }
}
await page.goto(`${base}/#/tasks`);
await page.getByTestId('demo-offer').waitFor();
await shoot('first-launch');
await addDemoProject(page);
await page.goto(`${base}/#/generate`);
await page.getByLabel('Samples per label and language').fill('2');
await page.getByRole('button', { name: 'Start generating' }).click();
await page.getByTestId('gen-message').filter({ hasText: 'Done' }).waitFor({ timeout: 180_000 });
await trainNgramStudent(page, base);
await evaluateStudents(page, base);
for (const v of (process.env.VIEWS ?? 'tasks,dataset,label,generate,train,evaluate,playground,models').split(',')) {
  await shoot(v, async () => {
    await page.goto(`${base}/#/${v}`);
    if (v === 'playground') {
      await page
        .getByLabel(/Text to classify|Text/)
        .first()
        .fill('Timu ya taifa imeshinda mechi ya fainali jana usiku.')
        .catch(() => undefined);
      await page
        .getByRole('button', { name: 'Classify', exact: true })
        .click()
        .catch(() => undefined);
    }
  });
}
await ctx.close();
await server.close();
console.log('done');
