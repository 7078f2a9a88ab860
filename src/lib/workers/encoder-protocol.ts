/**
 * @file Messages between the page and the embedding worker.
 */
import type { EncoderSpec, LoadProgress } from '../domain/model-spec';
import type { ModelSource } from '../domain/settings';

export type EncoderRequests = {
  /** Loads (or reuses) a model; progress reports each file. */
  load: {
    req: { spec: EncoderSpec; source: ModelSource };
    res: { modelId: string; dim: number; device: string; loadMs: number };
    progress: LoadProgress;
  };
  /** Embeds texts with the loaded model; vectors come back as one transferred buffer. */
  embed: {
    req: { texts: string[] };
    res: { vectors: Float32Array; dim: number; ms: number };
    progress: { done: number; total: number };
  };
  /** Frees the loaded model. */
  unload: { req: null; res: null; progress: never };
};
