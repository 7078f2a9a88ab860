/**
 * @file The dev/preview server's model folder: files as on the hub, 404 (never index.html)
 * for missing ones, nothing outside the folder.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderMiddleware } from '../../tools/model-folder';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { ENCODER_ID } from '../fixtures/models';

let server: Server;
let base: string;

beforeAll(async () => {
  const handle = modelFolderMiddleware(FIXTURE_MODELS_DIR);
  server = createServer((req, res) =>
    handle(req, res, () => {
      res.statusCode = 200;
      res.end('<!doctype html><title>app</title>');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('model folder middleware', () => {
  it('serves model files with their type and length', async () => {
    const res = await fetch(`${base}/models/${ENCODER_ID}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { model_type: string };
    expect(body.model_type).toBe('bert');
    const onnx = await fetch(`${base}/models/${ENCODER_ID}/onnx/model.onnx`, { method: 'HEAD' });
    expect(Number(onnx.headers.get('content-length'))).toBeGreaterThan(1000);
  });

  it('answers 404 for a missing file instead of the app page', async () => {
    const res = await fetch(`${base}/models/${ENCODER_ID}/onnx/model_quantized.onnx`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<!doctype');
  });

  it('refuses paths that leave the folder', async () => {
    const res = await fetch(`${base}/models/..%2F..%2Fpackage.json`);
    expect(res.status).toBe(403);
  });

  it('leaves other URLs to the app', async () => {
    const res = await fetch(`${base}/#/train`);
    expect(await res.text()).toContain('<!doctype html>');
  });
});
