/**
 * @file The standalone page's encoder module: loads the embedding model from the folder's
 * `models/` with onnxruntime-web from its `ort/`, through the app's own loading code.
 */
import type { Encoder } from '../lib/backends/encoder';
import { TransformersEncoder } from '../lib/backends/transformers-encoder';
import { configureTransformers } from '../lib/backends/transformers-env';
import type { LoadProgress } from '../lib/domain/model-spec';
import type { ModelSource } from '../lib/domain/settings';
import { STANDALONE_PATHS } from './data';
import type { EncoderRef } from '../lib/domain/student';

/**
 * @param base the page's address (its folder)
 */
export async function openEncoder(
  ref: EncoderRef,
  base: string,
  onProgress?: (p: LoadProgress) => void,
): Promise<Encoder> {
  const source: ModelSource = { kind: 'folder', location: new URL(STANDALONE_PATHS.models, base).href };
  // The page runs its encoder on the processor only, so it ships the plain (cpu) build alone.
  const cpu = { mjs: new URL(STANDALONE_PATHS.ortMjs, base).href, wasm: new URL(STANDALONE_PATHS.ortWasm, base).href };
  configureTransformers({ source, wasmPaths: { cpu, gpu: cpu }, device: 'wasm' });
  return TransformersEncoder.load(
    { modelId: ref.modelId, device: 'wasm', dtype: ref.dtype as never, prefix: ref.prefix },
    source,
    onProgress,
  );
}
