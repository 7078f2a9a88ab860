#!/usr/bin/env node
/**
 * `npm test`: runs every test (unit tests in Node, browser tests in Chromium) and ends with
 * one line "N passed, N failed". Extra arguments go to Vitest (e.g. `npm test -- --project unit`).
 *
 * Chromium is looked for in CHROMIUM_PATH, then Debian/Ubuntu's locations, then a
 * Playwright-managed download; browser tests cannot run without one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

mkdirSync('test-results', { recursive: true });

/**
 * With no arguments, the unit tests (one worker) run in a second Vitest beside the browser
 * tests: in one Vitest the browser project, one file at a time, is a group of its own that
 * starts only once every unit test has ended, and its files spend much of their time waiting on
 * the page. The unit run's output is printed as one block when it ends. With arguments, one
 * Vitest runs what they say.
 */
const runs =
  process.argv.length > 2
    ? [{ name: 'vitest', args: process.argv.slice(2), capture: false }]
    : [
        { name: 'unit', args: ['--project', 'unit', '--maxWorkers=1'], capture: true },
        { name: 'browser', args: ['--project', 'browser'], capture: false },
      ];

/** Runs one Vitest; resolves with its exit status and its JSON report (null if it wrote none). */
function vitest({ name, args, capture }) {
  const report = `test-results/${name}.json`;
  rmSync(report, { force: true });
  const child = spawn(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...args,
    ],
    { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, CHROMIUM_PATH: browser } },
  );
  /** @type {Buffer[]} */
  const output = [];
  child.stdout?.on('data', (d) => output.push(d));
  child.stderr?.on('data', (d) => output.push(d));
  return new Promise((resolve) => {
    child.on('close', (status) => {
      if (capture) {
        process.stdout.write(`\n== ${name} tests (run beside the others)\n`);
        process.stdout.write(Buffer.concat(output));
        process.stdout.write(`== end of ${name} tests\n\n`);
      }
      resolve({ status: status ?? 1, json: existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null });
    });
  });
}

const results = await Promise.all(runs.map(vitest));

let passed = 0;
let failed = 0;
for (const { status, json } of results) {
  if (!json) {
    failed += 1; // a run that wrote no report has failed
    continue;
  }
  passed += json.numPassedTests ?? 0;
  let runFailed = json.numFailedTests ?? 0;
  // A file that fails to load has no tests but must still count as a failure.
  runFailed += (json.testResults ?? []).filter(
    (/** @type {{ status: string; assertionResults?: unknown[] }} */ f) =>
      f.status === 'failed' && (f.assertionResults ?? []).length === 0,
  ).length;
  if (status !== 0 && runFailed === 0) runFailed = 1;
  failed += runFailed;
}
// One report of every file, as one Vitest writes it (for tools that read test-results/vitest.json).
const reports = results.flatMap((r) => (r.json ? [r.json] : []));
writeFileSync(
  'test-results/vitest.json',
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    success: failed === 0,
    testResults: reports.flatMap((r) => r.testResults ?? []),
  }),
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
