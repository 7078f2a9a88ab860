/**
 * @file Browser only: URLs of onnxruntime-web's wasm runtimes, bundled and served by the app
 * (a CDN would break offline use). The files must match the onnxruntime-web version that
 * transformers.js imports (`onnxruntime-web/webgpu`): package.json pins both.
 * Files in public/ cannot be imported as modules by the dev server, hence the `?url` imports.
 *
 * Two builds, because the one WebGPU needs is slow on the CPU (docs/decisions/023):
 * - `cpu`: the plain SIMD + threads build, for models that run on `wasm` (faster
 *   on raw onnxruntime sessions; no gain measured in the transformers.js pipeline, BENCHMARKS.md §1);
 * - `gpu`: the asyncify build, the only one whose WebGPU execution provider works with
 *   transformers.js' `onnxruntime-web/webgpu` import; it runs `wasm` models too, slowly.
 */
import cpuMjs from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs?url';
import cpuWasm from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm?url';
import gpuMjs from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs?url';
import gpuWasm from '../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { OrtRuntimes } from './transformers-env';

/**
 * Absolute URLs (a worker would resolve relative ones against its own script).
 * @param base URL to resolve against, e.g. `self.location.href`
 */
export function ortWasmPaths(base: string): OrtRuntimes {
  const at = (url: string) => new URL(url, base).href;
  return { cpu: { mjs: at(cpuMjs), wasm: at(cpuWasm) }, gpu: { mjs: at(gpuMjs), wasm: at(gpuWasm) } };
}
