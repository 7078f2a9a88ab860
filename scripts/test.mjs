#!/usr/bin/env node
/**
 * `npm test`: runs every test (unit tests in Node, browser tests in Chromium) and ends with
 * one line "N passed, N failed". Extra arguments go to Vitest (e.g. `npm test -- --project unit`).
 *
 * Chromium is looked for in CHROMIUM_PATH, then Debian/Ubuntu's locations, then a
 * Playwright-managed download; browser tests cannot run without one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';

function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
  ];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core throws when it knows no browser for this platform
  }
  return candidates.find((p) => p && existsSync(p));
}

const browser = findChromium();
if (!browser) {
  console.error(
    'No Chromium found: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
  process.exit(1);
}

const report = 'test-results/vitest.json';
mkdirSync('test-results', { recursive: true });
rmSync(report, { force: true });
const run = spawnSync(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: browser } },
);

let passed = 0;
let failed = 1; // until a report says otherwise: a run that wrote none has failed
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A file that fails to load has no tests but must still count as a failure.
  const brokenFiles = (json.testResults ?? []).filter(
    (/** @type {{ status: string; assertionResults?: unknown[] }} */ f) =>
      f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  failed += brokenFiles;
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status ?? 1);
