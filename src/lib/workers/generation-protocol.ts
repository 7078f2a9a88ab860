/**
 * @file Messages between the page and a generation worker.
 */
import type { LoadProgress } from '../domain/model-spec';
import type { JobRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import type { GeneratorSpec } from '../domain/model-spec';
import type { GenerationProgress } from '../jobs/generation-job';

export type GenerationEvent = { kind: 'load'; load: LoadProgress } | { kind: 'progress'; progress: GenerationProgress };

export type GenerationRequests = {
  /** Runs (or resumes) a job until it is done, fails, or is cancelled (then it is paused). */
  run: { req: { jobId: string; source: ModelSource }; res: JobRecord; progress: GenerationEvent };
  /** Downloads a generator's files into the browser's cache (loads it once, then frees it). */
  prepare: { req: { spec: GeneratorSpec; source: ModelSource }; res: null; progress: LoadProgress };
};
