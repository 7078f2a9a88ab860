/**
 * @file A worker of the embedding benchmark: embeds the way the app's workers do (transformers.js
 * configured by `configureTransformers`, onnxruntime-web's build chosen by the device), with the
 * thread count and build the benchmark asks for, then times one raw MatMul on the same runtime.
 * One worker per configuration: onnxruntime-web loads its wasm once per worker.
 */
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web/webgpu';
import { ortWasmPaths } from '../../src/lib/backends/ort-wasm-assets';
import { configureTransformers } from '../../src/lib/backends/transformers-env';
import { matmulInput, matmulModel, timeRuns } from './matmul-model';
import { pipelineThroughput } from './throughput';
import type { EmbedWorkerConfig, EmbedWorkerResult } from './page-embed';

self.onmessage = async (e: MessageEvent<EmbedWorkerConfig>) => {
  const { modelId, texts, batches, reps, threads, build, device, matmul } = e.data;
  try {
    const files = ortWasmPaths(self.location.href);
    configureTransformers({
      source: { kind: 'folder', location: new URL('/models/', self.location.href).href },
      // `gpu` forces the asyncify build for a wasm model: what the app used before decision 023.
      wasmPaths: build === 'gpu' ? { cpu: files.gpu, gpu: files.gpu } : files,
      device,
    });
    const wasm = env.backends.onnx.wasm;
    if (threads !== null && wasm) wasm.numThreads = threads;
    const pipe = await pipeline('feature-extraction', modelId, { device, dtype: 'fp32' });
    const results = await pipelineThroughput(pipe, texts, batches, reps);
    await pipe.dispose();
    let matmulMs: number[] | null = null;
    if (matmul) {
      const session = await ort.InferenceSession.create(matmulModel(matmul), { executionProviders: ['wasm'] });
      const x = new ort.Tensor('float32', matmulInput(matmul), [matmul.m, matmul.k]);
      matmulMs = await timeRuns(() => session.run({ x }), matmul.reps);
      await session.release();
    }
    const result: EmbedWorkerResult = {
      results,
      threads: wasm?.numThreads ?? null,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      matmulMs,
    };
    self.postMessage({ ok: result });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
