/**
 * @file The workshop kit (issue 21): `npm run workshop` serves the built app and a model folder
 * over HTTPS. A participant's browser reaches it by a host name that is not localhost (mapped
 * to the loopback address by Chromium's host resolver; the certificate's warning skipped as a
 * participant would click past it), gets a secure, cross-origin isolated page with WebGPU and the
 * service worker, and embeds with a model from the served folder with no settings changed. The
 * same name over the plain-http port explains what is missing and links to the secure address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { ENCODER_DIM, ENCODER_ID } from '../fixtures/models';
import { openApp, type AppSession } from './helpers/chromium';
import { checkFixtureEncoder } from './helpers/steps';

const NAME = 'workshop.polyclass.test';
const RESOLVE = [`--host-resolver-rules=MAP ${NAME} 127.0.0.1`];

let server: ChildProcess;
let certs: string;
let httpsPort: number;
let httpPort: number;

/** Starts `npm run workshop`'s script on loopback with free ports; resolves with what it printed. */
function startWorkshop(): Promise<string> {
  server = spawn(
    join('node_modules', '.bin', 'tsx'),
    [
      'scripts/workshop.ts',
      ...['--host', '127.0.0.1', '--port', '0', '--http-port', '0'],
      ...['--models', FIXTURE_MODELS_DIR, '--certs', certs, '--name', NAME, '--no-qr'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  server.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Press Ctrl+C to stop.')) {
        clearInterval(timer);
        resolve(out);
      }
    }, 100);
    server.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the workshop server stopped (${code}): ${err}`));
    });
  });
}

beforeAll(async () => {
  certs = await mkdtemp(join(tmpdir(), 'polyclass-workshop-certs-'));
  const printed = await startWorkshop();
  httpsPort = Number(/https:\/\/127\.0\.0\.1:(\d+)\//.exec(printed)?.[1]);
  httpPort = Number(/http:\/\/127\.0\.0\.1:(\d+)\/#\/welcome/.exec(printed)?.[1]);
  expect(printed).toContain(`https://${NAME}:${httpsPort}/`);
  expect(printed).toContain(ENCODER_ID);
});

afterAll(async () => {
  server?.kill('SIGTERM');
  await rm(certs, { recursive: true, force: true });
});

describe('the workshop server', () => {
  let app: AppSession | undefined;
  afterAll(async () => app?.close());

  it('gives a participant on another name a secure, isolated page with WebGPU, offline use and the served models', async () => {
    app = await openApp('', `https://${NAME}:${httpsPort}`, [...RESOLVE, '--ignore-certificate-errors']);
    const { page } = app;
    const facts = await page.evaluate(async () => ({
      secure: isSecureContext,
      isolated: crossOriginIsolated,
      adapter: (await navigator.gpu?.requestAdapter()) != null,
    }));
    expect(facts).toEqual({ secure: true, isolated: true, adapter: true });

    // The first visit opens on the welcome page: no warning about the page, the served models listed.
    await page.waitForURL(/#\/welcome$/);
    await page.getByTestId('welcome-secure').waitFor();
    await expect.poll(() => page.getByTestId('welcome-models').textContent()).toContain(ENCODER_ID);
    expect(await page.getByTestId('insecure-banner').count()).toBe(0);
    expect(await page.getByTestId('ca-link').getAttribute('href')).toBe(`https://${NAME}:${httpsPort}/workshop-ca.crt`);
    const ca = await page.evaluate(async () => (await fetch('workshop-ca.crt')).text());
    expect(ca).toContain('-----BEGIN CERTIFICATE-----');

    // The service worker installs (the app can then start with no network).
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    // `ready` resolves once a worker is active, which may still be activating (a loaded machine).
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state))
      .toBe('activated');

    // Settings were never touched: the model source is "automatic", and it found the folder.
    await page.goto(`https://${NAME}:${httpsPort}/#/settings`);
    expect(await page.getByRole('radio', { name: /^Automatic/ }).isChecked()).toBe(true);
    await page.getByTestId('server-models').filter({ hasText: 'in use now' }).waitFor();

    // And an embedding model loads from the served folder.
    await page.goto(`https://${NAME}:${httpsPort}/#/models`);
    await expect
      .poll(() => page.getByTestId('model-check').textContent())
      .toContain(`https://${NAME}:${httpsPort}/models/`);
    expect(await checkFixtureEncoder(page)).toBe(String(ENCODER_DIM));
    expect(app.requests.filter((u) => u.includes(`/models/${ENCODER_ID}/`)).length).toBeGreaterThan(0);
    // Nothing left the room.
    expect(app.requests.filter((u) => /^https?:/.test(u) && new URL(u).hostname !== NAME)).toEqual([]);
  });

  it('explains over plain http what is missing, and links to the secure address', async () => {
    const plain = await openApp('#/tasks', `http://${NAME}:${httpPort}`, RESOLVE);
    try {
      const { page } = plain;
      expect(await page.evaluate(() => isSecureContext)).toBe(false);
      const banner = page.getByTestId('insecure-banner');
      await banner.getByRole('link', { name: 'Open the secure address' }).waitFor();
      expect(await banner.textContent()).toContain('turns off the GPU');
      expect(await banner.getByRole('link', { name: 'Open the secure address' }).getAttribute('href')).toBe(
        `https://${NAME}:${httpsPort}/#/tasks`,
      );
      // "What to do": the welcome page explains the certificate warning before the participant meets it.
      await banner.getByRole('link', { name: 'What to do' }).click();
      await page.getByTestId('welcome-insecure').waitFor();
      expect(await page.getByTestId('secure-link').getAttribute('href')).toBe(`https://${NAME}:${httpsPort}/#/welcome`);
      expect(await page.getByTestId('welcome-cert').textContent()).toContain('Accept the Risk and Continue');
      // What this laptop can do says why threads are missing here.
      await page.getByTestId('isolated').filter({ hasText: 'not secure' }).waitFor();
    } finally {
      await plain.close();
    }
  });
});
