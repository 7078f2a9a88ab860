/**
 * @file The one place where transformers.js is configured: model source (hub or a
 * same-origin / local folder), onnxruntime-web's wasm files and threads.
 */
import { message } from '../i18n/messages';
import { env } from '@huggingface/transformers';
import { AppError } from '../domain/errors';
import { runtimeFor, type OrtRuntime } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';

/** URLs of onnxruntime-web's wasm runtime, served by the app itself (never a CDN). */
export interface WasmPaths {
  mjs: string;
  wasm: string;
}

/**
 * onnxruntime-web's two wasm builds (see `ort-wasm-assets.ts`): `cpu` (fast, no WebGPU) and
 * `gpu` (what WebGPU needs; runs `wasm` models too).
 */
export type OrtRuntimes = Record<OrtRuntime, WasmPaths>;

export interface RuntimeConfig {
  source: ModelSource;
  /** Browser only: where onnxruntime-web's `.mjs`/`.wasm` live, per build. */
  wasmPaths?: OrtRuntimes;
  /** The device of the model about to load; decides the build (default `wasm`). */
  device?: string;
}

/**
 * The build onnxruntime-web was given in this worker. It loads its wasm once, on the first
 * session, and ignores later changes: the first model decides, and a worker that started on
 * `cpu` cannot run a WebGPU model (the page starts such work in a `gpu` worker).
 */
let runtimeInUse: OrtRuntime | null = null;

/** The hub's own address and layout (transformers.js defaults), restored for `hub`. */
const HUB_HOST = 'https://huggingface.co/';
const HUB_PATH_TEMPLATE = '{model}/resolve/{revision}/';

/**
 * Applies a model source to transformers.js.
 *
 * A folder given as an http(s) URL (what the browser app always passes, see
 * `resolveModelSource`) is used as the "remote host" with a plain `{model}/` layout:
 * transformers.js then probes, fetches and caches its files exactly as it does the hub's.
 * (Its local-model path would skip files it cannot probe, such as tokenizer.json, when
 * given a URL.) Any other location is a directory on disk (Node: tests and scripts).
 */
export function configureTransformers(config: RuntimeConfig): void {
  const { source } = config;
  if (source.kind === 'hub') {
    env.allowRemoteModels = true;
    env.allowLocalModels = false;
    env.remoteHost = HUB_HOST;
    env.remotePathTemplate = HUB_PATH_TEMPLATE;
  } else if (/^https?:\/\//i.test(source.location)) {
    env.allowRemoteModels = true;
    env.allowLocalModels = false;
    env.remoteHost = source.location.endsWith('/') ? source.location : `${source.location}/`;
    env.remotePathTemplate = '{model}/';
  } else {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = source.location.endsWith('/') ? source.location : `${source.location}/`;
  }
  const wasm = env.backends.onnx.wasm;
  if (config.wasmPaths && wasm) {
    const wanted = runtimeFor(config.device ?? 'wasm');
    if (runtimeInUse === 'cpu' && wanted === 'gpu')
      throw new AppError('device-unsupported', message('err.runtimeIsCpu'));
    runtimeInUse ??= wanted;
    wasm.wasmPaths = { ...config.wasmPaths[runtimeInUse] };
    // onnxruntime-web takes half the cores (at most 4). Models run in workers: give them every
    // core but one, which stays free for the page (threads need cross-origin isolation).
    const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
    if (globalThis.crossOriginIsolated) wasm.numThreads = Math.max(1, Math.min(8, cores - 1));
  }
}

/** Describes where a model's files are looked for, for messages. */
export function describeModelLocation(source: ModelSource, modelId: string): string {
  return source.kind === 'hub'
    ? message('model.hub', { model: modelId })
    : message('model.folder', { path: `${source.location.replace(/\/?$/, '/')}${modelId}/` });
}
