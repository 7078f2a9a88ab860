/**
 * @file Runs in the page (imported through Vite): the embedding benchmark's browser side, with
 * transformers.js configured exactly as the app's embedding worker configures it (model folder,
 * bundled onnxruntime-web wasm, threads when cross-origin isolated).
 */
import { env, pipeline } from '@huggingface/transformers';
import { ortWasmPaths } from '../../src/lib/backends/ort-wasm-assets';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import { measureThroughput } from './throughput';

export async function browserThroughput(modelId: string, texts: string[], batches: number[], reps: number) {
  configureTransformers({
    source: { kind: 'folder', location: new URL('/models/', location.href).href },
    wasmPaths: ortWasmPaths(location.href),
    device: 'wasm',
  });
  const pipe = await pipeline('feature-extraction', modelId, { device: 'wasm', dtype: 'fp32' });
  const results = await measureThroughput(
    (batch) => pipe(batch, { pooling: 'mean', normalize: true }),
    texts,
    batches,
    reps,
  );
  await pipe.dispose();
  return {
    results,
    threads: env.backends.onnx.wasm?.numThreads ?? null,
    crossOriginIsolated: globalThis.crossOriginIsolated,
  };
}
