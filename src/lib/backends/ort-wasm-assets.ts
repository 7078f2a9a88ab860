/**
 * @file Browser only: URLs of onnxruntime-web's wasm runtime, bundled and served by the app
 * (a CDN would break offline use). The files must match the onnxruntime-web version that
 * transformers.js imports (`onnxruntime-web/webgpu`, asyncify build): package.json pins both.
 * Files in public/ cannot be imported as modules by the dev server, hence the `?url` imports.
 */
import mjsUrl from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs?url';
import wasmUrl from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { WasmPaths } from './transformers-env';

/**
 * Absolute URLs (a worker would resolve relative ones against its own script).
 * @param base URL to resolve against, e.g. `self.location.href`
 */
export function ortWasmPaths(base: string): WasmPaths {
  return { mjs: new URL(mjsUrl, base).href, wasm: new URL(wasmUrl, base).href };
}
