/**
 * @file The generation worker's handler: one runner per task across tabs (Web Locks), the
 * generator built from the job's spec, and the job run with progress sent to the page.
 */
import type { Generator } from '../backends/generator';
import type { LanguageIdentifier } from '../backends/lid';
import { RecordedGenerator, type Recording } from '../backends/recorded-generator';
import { TransformersGenerator } from '../backends/transformers-generator';
import { configureTransformers, type WasmPaths } from '../backends/transformers-env';
import { WebLlmGenerator } from '../backends/webllm-generator';
import { AppError } from '../domain/errors';
import { webllmModelList } from '../domain/llm-catalog';
import type { ModelSource } from '../domain/settings';
import type { Task } from '../domain/task';
import { generationLockName } from '../jobs/locks';
import { runGenerationJob, type GenerationCheckpoint, type GeneratorSpec } from '../jobs/generation-job';
import type { Database } from '../storage/db';
import { jobsRepo } from '../storage/task-records-repo';
import { getTask } from '../storage/tasks-repo';
import type { GenerationRequests } from './generation-protocol';
import type { Handlers } from './rpc';

async function buildGenerator(
  spec: GeneratorSpec,
  source: ModelSource,
  task: Task,
  cp: GenerationCheckpoint,
  wasmPaths?: WasmPaths,
): Promise<Generator> {
  if (spec.kind === 'recorded') {
    const response = await fetch(spec.url);
    if (!response.ok)
      throw new AppError('model-file-missing', `The recording ${spec.url} could not be read (${response.status}).`);
    const generator = new RecordedGenerator((await response.json()) as Recording);
    for (const [key, calls] of Object.entries(cp.callsByCell)) {
      const [label, code] = key.split('\u0000');
      const language = task.languages.find((l) => l.code === code)?.name;
      if (label && language) generator.skip(label, language, calls);
    }
    return generator;
  }
  if (spec.kind === 'transformers') {
    configureTransformers({ source, wasmPaths });
    return new TransformersGenerator(spec, source);
  }
  return new WebLlmGenerator(spec.modelId, async (modelId, onProgress) => {
    const { CreateMLCEngine, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const folder = source.kind === 'folder' ? source.location : null;
    const appConfig = { ...prebuiltAppConfig, model_list: webllmModelList(prebuiltAppConfig.model_list, folder) };
    return CreateMLCEngine(modelId, { appConfig, initProgressCallback: (r) => onProgress(r.progress, r.text) });
  });
}

/** Loads the language identifier once per worker; null when it cannot run (the check is then skipped). */
export type LidLoader = () => Promise<LanguageIdentifier | null>;

export function createGenerationHandlers(
  openDb: () => Promise<Database>,
  wasmPaths?: WasmPaths,
  loadLid?: LidLoader,
): Handlers<GenerationRequests> {
  return {
    async run({ jobId, source }, ctx) {
      const db = await openDb();
      const job = await jobsRepo.get(db, jobId);
      if (!job) throw new AppError('internal', 'This generation job no longer exists.');
      const task = await getTask(db, job.taskId);
      if (!task) throw new AppError('internal', 'The task of this job was deleted.');
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      const run = async () => {
        const cp = job.checkpoint as GenerationCheckpoint;
        const generator = await buildGenerator(cp.config.generator, source, task, cp, wasmPaths);
        await generator.load((load) => ctx.progress({ kind: 'load', load }), ctx.signal);
        const lid = cp.config.filters.language ? await loadLid?.() : null;
        try {
          return await runGenerationJob(db, jobId, generator, {
            signal: ctx.signal,
            onProgress: (progress) => ctx.progress({ kind: 'progress', progress }),
            ...(lid
              ? {
                  identifyLanguage: (text: string, code: string) => lid.check(text, code),
                  uncheckedLanguages: task.languages.filter((l) => !lid.knows(l.code)).map((l) => l.name),
                }
              : { uncheckedLanguages: cp.config.filters.language ? task.languages.map((l) => l.name) : [] }),
          });
        } finally {
          await generator.unload();
        }
      };
      if (!locks) return run();
      return locks.request(generationLockName(task.id), { ifAvailable: true }, async (lock) => {
        if (!lock)
          throw new AppError(
            'busy',
            'Generation for this task is already running in another tab or window. Watch it there, or close it to continue here.',
          );
        return run();
      });
    },
  };
}
