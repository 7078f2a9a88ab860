/**
 * @file The generation worker's handler: one runner per task across tabs (Web Locks), the
 * generator built from the job's spec, and the job run with progress sent to the page.
 */
import { message } from '../i18n/messages';
import type { Cld3 } from '../backends/cld3';
import { LanguageChecker } from '../backends/language-checker';
import { isOwnText } from '../domain/language-check';
import type { LanguageIdentifier } from '../backends/lid';
import { RecordedGenerator } from '../backends/recorded-generator';
import type { OrtRuntimes } from '../backends/transformers-env';
import { AppError, serializeError, toAppError } from '../domain/errors';
import { generationLockName } from '../domain/locks';
import { endpointProblem, normalizeEndpoint } from '../domain/local-server';
import { runGenerationJob } from '../jobs/generation-job';
import { measureGenerator } from '../jobs/measure-generator';
import { buildGenerator } from './build-generator';
import type { Database } from '../storage/db';
import { getJob, saveJob } from '../storage/jobs-store';
import { listSamples } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';
import type { GenerationRequests } from './generation-protocol';
import type { Handlers } from './rpc';

/** Loads the language identifiers once per worker; null for one that cannot run (its languages are then not checked by it). */
export type LidLoader = () => Promise<{ lid: LanguageIdentifier | null; cld3: Cld3 | null }>;

/** A task's own texts in its languages: seed samples and human-written training and validation samples (never test). */
async function ownTexts(db: Database, taskId: string) {
  const lists = await Promise.all(
    (['seed', 'train', 'validation'] as const).map((split) => listSamples(db, taskId, { split })),
  );
  return lists.flat().filter(isOwnText);
}

export function createGenerationHandlers(
  openDb: () => Promise<Database>,
  wasmPaths?: OrtRuntimes,
  loadLid?: LidLoader,
): Handlers<GenerationRequests> {
  return {
    async probe({ endpoint, timeoutMs }) {
      if (endpointProblem(endpoint) !== null)
        throw new AppError('server-refused', message('openai.remote', { endpoint }));
      let response: Response;
      try {
        response = await fetch(`${normalizeEndpoint(endpoint)}/models`, { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        return { status: null, models: null };
      }
      if (!response.ok) return { status: response.status, models: null };
      const body = (await response.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
      const models = Array.isArray(body?.data)
        ? body.data.map((m) => m?.id).filter((id): id is string => typeof id === 'string')
        : null;
      return { status: response.status, models };
    },

    async prepare({ spec, source }, ctx) {
      const generator = await buildGenerator(spec, source, wasmPaths);
      try {
        await generator.load(ctx.progress, ctx.signal);
      } finally {
        await generator.unload();
      }
      return null;
    },

    async measure({ spec, source }, ctx) {
      const generator = await buildGenerator(spec, source, wasmPaths);
      try {
        await generator.load((load) => ctx.progress({ kind: 'load', load }), ctx.signal);
        return await measureGenerator(generator, {
          signal: ctx.signal,
          onCall: (done, total) => ctx.progress({ kind: 'call', done, total }),
        });
      } finally {
        await generator.unload();
      }
    },

    async run({ jobId, source }, ctx) {
      const db = await openDb();
      const job = await getJob(db, jobId, 'generate');
      if (!job) throw new AppError('internal', message('err.genJobGone'));
      const task = await getTask(db, job.taskId);
      if (!task) throw new AppError('internal', message('err.jobTaskGone'));
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      const run = async () => {
        const cp = job.checkpoint;
        const generator = await buildGenerator(cp.config.generator, source, wasmPaths);
        // A recorded generator skips the answers the job's earlier runs used.
        if (generator instanceof RecordedGenerator)
          for (const [key, calls] of Object.entries(cp.callsByCell)) {
            const [label, code] = key.split('\u0000');
            const language = task.languages.find((l) => l.code === code)?.name;
            if (label && language) generator.skip(label, language, calls);
          }
        try {
          await generator.load((load) => ctx.progress({ kind: 'load', load }), ctx.signal);
        } catch (error) {
          // The model would not load: the job failed here, with the reason (a job that never
          // wrote anything is then not offered for resuming; a paused one keeps its status).
          const e = toAppError(error);
          if (e.code !== 'aborted' && !ctx.signal.aborted) {
            const current = await getJob(db, jobId, 'generate');
            if (current)
              await saveJob(db, { ...current, status: 'failed', error: serializeError(e), updatedAt: Date.now() });
          }
          throw e;
        }
        const identifiers = cp.config.filters.language ? await loadLid?.() : null;
        const checker =
          identifiers && (identifiers.lid || identifiers.cld3)
            ? await LanguageChecker.forTask(
                identifiers.lid,
                identifiers.cld3,
                task.languages,
                await ownTexts(db, task.id),
              )
            : null;
        try {
          return await runGenerationJob(db, jobId, generator, {
            signal: ctx.signal,
            onProgress: (progress) => ctx.progress({ kind: 'progress', progress }),
            ...(checker
              ? {
                  identifyLanguage: (text: string, code: string) => checker.check(text, code),
                  uncheckedLanguages: task.languages
                    .filter((l) => checker.knownBy(l.code).length === 0)
                    .map((l) => l.name),
                }
              : { uncheckedLanguages: cp.config.filters.language ? task.languages.map((l) => l.name) : [] }),
          });
        } finally {
          await generator.unload();
        }
      };
      if (!locks) return run();
      return locks.request(generationLockName(task.id), { ifAvailable: true }, async (lock) => {
        if (!lock) throw new AppError('busy', message('err.genBusy'));
        return run();
      });
    },
  };
}
