/**
 * @file The dev/preview server's model folder: files as on the hub, 404 (never index.html)
 * for missing ones, nothing outside the folder.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderMiddleware } from '../../tools/model-folder';
import { FIXTURE_MODELS_DIR } from '../fixtures/build';
import { DECODER_ID, ENCODER_ID } from '../fixtures/models';
import { listModelFolder, type ModelIndex } from '../../tools/model-index';
import { parseModelIndex } from '../../src/lib/domain/server-offer';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

  it('lists its models and recordings at index.json', async () => {
    const res = await fetch(`${base}/models/index.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const index = (await res.json()) as ModelIndex;
    expect(index.version).toBe(1);
    expect(index.models).toContainEqual({
      id: ENCODER_ID,
      runtime: 'transformers',
      task: 'feature-extraction',
      dtypes: ['fp32'],
    });
    expect(index.models.find((m) => m.id === DECODER_ID)?.task).toBe('text-generation');
    expect(index.recordings).toContain('news.json');
    // What the server writes is what the app reads.
    expect(parseModelIndex(index)).toEqual(index);
  });

  it('leaves other URLs to the app', async () => {
    const res = await fetch(`${base}/#/train`);
    expect(await res.text()).toContain('<!doctype html>');
  });
});

describe('listModelFolder', () => {
  it('finds transformers.js and WebLLM models one or two levels deep, and recordings', () => {
    const root = mkdtempSync(join(tmpdir(), 'polyclass-models-'));
    const put = (rel: string, body = '{}') => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), body);
    };
    try {
      put('Xenova/multilingual-e5-small/config.json', '{"architectures":["BertModel"]}');
      put('Xenova/multilingual-e5-small/onnx/model_quantized.onnx');
      put('Xenova/multilingual-e5-small/onnx/model.onnx');
      put('Qwen2.5-0.5B-Instruct-q4f16_1-MLC/resolve/main/mlc-chat-config.json');
      put('libs/Qwen2-0.5B-Instruct-q4f16_1-ctx4k_cs1k-webgpu.wasm');
      put('recordings/b.json');
      put('recordings/a.json');
      put('recordings/notes.txt');
      put('half-copied/config.json');
      put('org/no-onnx-files/config.json');
      put('org/no-onnx-files/onnx/readme.txt');
      expect(listModelFolder(root)).toEqual({
        version: 1,
        models: [
          { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', runtime: 'webllm' },
          {
            id: 'Xenova/multilingual-e5-small',
            runtime: 'transformers',
            task: 'feature-extraction',
            dtypes: ['fp32', 'q8'],
          },
        ],
        recordings: ['a.json', 'b.json'],
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('lists nothing for a folder that does not exist', () => {
    expect(listModelFolder(join(tmpdir(), 'polyclass-no-such-folder'))).toEqual({
      version: 1,
      models: [],
      recordings: [],
    });
  });
});
