/**
 * @file Messages between the page and a generation worker.
 */
import type { LoadProgress } from '../domain/model-spec';
import type { JobRecord } from '../domain/records';
import type { ModelSource } from '../domain/settings';
import type { GeneratorSpec } from '../domain/model-spec';
import type { GenerationProgress } from '../jobs/generation-job';
import type { DeviceMeasurement } from '../jobs/measure-generator';

export type GenerationEvent = { kind: 'load'; load: LoadProgress } | { kind: 'progress'; progress: GenerationProgress };

export type GenerationRequests = {
  /** Runs (or resumes) a job until it is done, fails, or is cancelled (then it is paused). */
  run: { req: { jobId: string; source: ModelSource }; res: JobRecord; progress: GenerationEvent };
  /**
   * Times a short generation like a job's (a few calls asking for texts) with a generator on
   * this device: its tokens a second and texts a minute, after loading.
   */
  measure: {
    req: { spec: GeneratorSpec; source: ModelSource };
    res: DeviceMeasurement;
    progress: { kind: 'load'; load: LoadProgress } | { kind: 'call'; done: number; total: number };
  };
  /**
   * Asks an OpenAI-compatible server on this computer for its model list (from a worker started
   * for it: the page may not reach it). `status` is null when nothing answered in time; `models`
   * is null when the answer was not a model list.
   */
  probe: {
    req: { endpoint: string; timeoutMs: number };
    res: { status: number | null; models: string[] | null };
    progress: never;
  };
  /** Downloads a generator's files into the browser's cache (loads it once, then frees it). */
  prepare: { req: { spec: GeneratorSpec; source: ModelSource }; res: null; progress: LoadProgress };
};
