/**
 * @file The one place where transformers.js is configured: model source (hub or a
 * same-origin / local folder), onnxruntime-web's wasm files and threads.
 */
import { env } from '@huggingface/transformers';
import type { ModelSource } from '../domain/settings';

/** URLs of onnxruntime-web's wasm runtime, served by the app itself (never a CDN). */
export interface WasmPaths {
  mjs: string;
  wasm: string;
}

export interface RuntimeConfig {
  source: ModelSource;
  /** Browser only: where onnxruntime-web's `.mjs`/`.wasm` live. */
  wasmPaths?: WasmPaths;
}

/**
 * Applies a model source to transformers.js. For `folder`, `location` is a URL prefix in
 * browsers (absolute, since relative URLs would resolve against the worker's script) and a
 * directory in Node.
 */
export function configureTransformers(config: RuntimeConfig): void {
  const { source } = config;
  if (source.kind === 'hub') {
    env.allowRemoteModels = true;
    env.allowLocalModels = false;
  } else {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = source.location.endsWith('/') ? source.location : `${source.location}/`;
  }
  const wasm = env.backends.onnx.wasm;
  if (config.wasmPaths && wasm) {
    wasm.wasmPaths = { ...config.wasmPaths };
  }
}

/** Describes where a model's files are looked for, for messages. */
export function describeModelLocation(source: ModelSource, modelId: string): string {
  return source.kind === 'hub'
    ? `the Hugging Face hub (huggingface.co/${modelId})`
    : `the model folder ${source.location.replace(/\/?$/, '/')}${modelId}/`;
}
