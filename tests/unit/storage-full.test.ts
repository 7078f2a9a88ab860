/**
 * @file Storage full at random writes: every IndexedDB write may fail with QuotaExceededError
 * (seeded), while a generation job runs. Each failure must stop the job cleanly with the
 * storage-full message, leave the database consistent (checked by the app's own checker), and,
 * once space is free again, the resumed job must end with exactly the samples of a run that
 * never failed.
 *
 * fake-indexeddb: the faults are injected at its object-store methods (the same code path the
 * app's writes take); the browser suite tests the real IndexedDB.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/domain/errors';
import { createRng } from '../../src/lib/domain/random';
import { createGenerationJob, runGenerationJob } from '../../src/lib/jobs/generation-job';
import { checkDatabase } from '../../src/lib/storage/consistency';
import { openDatabase, type Database } from '../../src/lib/storage/db';
import { samplesOfJob } from '../../src/lib/storage/jobs-store';
import { createTask } from '../../src/lib/storage/tasks-repo';
import { NEWS_CONFIG, NEWS_DRAFT, recordedGeneratorFor } from '../fixtures/news-generation';
import type { GenerationCheckpoint } from '../../src/lib/domain/generation';

let n = 0;
/** Fault sequences run (each a fresh database); more with POLYCLASS_FAULT_SEEDS. */
const SEEDS = Number(process.env.POLYCLASS_FAULT_SEEDS ?? 3);
const draft = NEWS_DRAFT;
const config = NEWS_CONFIG;
const generatorFor = recordedGeneratorFor;

/** Makes a share of object-store writes throw QuotaExceededError, from a seeded generator. */
function injectQuotaFaults(seed: number, share: number): { stop(): void; faults(): number } {
  const proto = globalThis.IDBObjectStore.prototype as unknown as Record<'put' | 'add', (...a: unknown[]) => unknown>;
  const original = { put: proto.put, add: proto.add };
  const rng = createRng(seed);
  let faults = 0;
  for (const method of ['put', 'add'] as const)
    proto[method] = function (this: unknown, ...args: unknown[]) {
      if (rng() < share) {
        faults++;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return original[method].apply(this, args);
    };
  return {
    stop: () => Object.assign(proto, original),
    faults: () => faults,
  };
}

const live = async (db: Database, taskId: string, jobId: string) =>
  (await samplesOfJob(db, taskId, jobId))
    .filter((s) => s.deletedAt === null)
    .map((s) => `${s.language}|${s.label}|${s.text}`)
    .sort();

describe('storage full at random writes', () => {
  it('stops cleanly, keeps the database consistent, and resumes to the same samples', async () => {
    const refDb = await openDatabase({}, `full-ref-${n++}`);
    const refTask = await createTask(refDb, draft);
    const refJob = await createGenerationJob(refDb, refTask.id, config);
    await runGenerationJob(refDb, refJob.id, generatorFor());
    const reference = await live(refDb, refTask.id, refJob.id);
    expect(reference).toHaveLength(18);

    let stops = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const db = await openDatabase({}, `full-${n++}`);
      const task = await createTask(db, draft);
      const job = await createGenerationJob(db, task.id, config);
      let cp: GenerationCheckpoint | undefined;
      for (let attempt = 0; attempt < 60; attempt++) {
        const faults = injectQuotaFaults(seed * 100 + attempt, 0.12);
        let end;
        try {
          end = await runGenerationJob(db, job.id, generatorFor(cp));
        } catch (e) {
          // A failure before the job could even record it: the write that failed said why.
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('quota-exceeded');
        } finally {
          faults.stop();
        }
        const stored = await db.get('jobs', job.id);
        cp = stored?.checkpoint as GenerationCheckpoint;
        if (end?.status === 'done') break;
        stops++;
        if (end) {
          expect(end.status).toBe('failed');
          expect(end.error?.code).toBe('quota-exceeded');
          expect(end.error?.message).toMatch(/storage for polyclass is full\. Nothing from this step was saved/);
        }
        // Whatever failed, what is stored is consistent: at most a job to resume.
        const report = await checkDatabase(db);
        expect(report.findings.filter((f) => f.kind !== 'interrupted-jobs')).toEqual([]);
        const partial = await live(db, task.id, job.id);
        expect(new Set(partial).size).toBe(partial.length);
        for (const s of partial) expect(reference).toContain(s);
      }
      expect(await live(db, task.id, job.id)).toEqual(reference);
      expect((await checkDatabase(db)).findings).toEqual([]);
    }
    expect(stops).toBeGreaterThanOrEqual(SEEDS);
  }, 300_000);
});
