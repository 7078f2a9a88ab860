/**
 * @file The database consistency checker: what a crash, a killed tab or a bug could leave
 * behind, found by reading every store, and the safe repairs. Repairs never drop a sample a
 * user could want: duplicates are soft-deleted (restorable), jobs left "running" by a closed tab
 * become paused (resumable); only records of a task that no longer exists are removed.
 * Runs in the data worker (Settings → Check the database) and in tests after every kill.
 */
import * as v from 'valibot';
import { message } from '../i18n/messages';
import { SampleSchema } from '../domain/schemas';
import { textHash } from '../domain/text-hash';
import { evaluationLockName, generationLockName } from '../domain/locks';
import { publishChange } from './change-feed';
import { STORES, type Database } from './db';
import { guardQuota } from './quota-guard';
import { recountTask, sameStats, statsOf } from './sample-stats';

export type FindingKind =
  | 'orphan-samples'
  | 'orphan-records'
  | 'invalid-samples'
  | 'unknown-label'
  | 'unknown-language'
  | 'duplicate-texts'
  | 'stale-hash'
  | 'stale-counts'
  | 'interrupted-jobs'
  | 'evaluation-progress'
  | 'bad-embeddings';

export interface Finding {
  kind: FindingKind;
  /** Records concerned. */
  count: number;
  /** What is wrong and what a repair does, in the UI's language. */
  text: string;
  /** Whether {@link repairDatabase} fixes it (else the user decides, e.g. by editing the task). */
  repairable: boolean;
}

export interface ConsistencyReport {
  /** Records read, per store. */
  read: Record<string, number>;
  findings: Finding[];
}

/** What the checker found, by kind, with the keys a repair needs. */
interface Plan {
  orphanSamples: string[];
  orphanRecords: { store: typeof STORES.classifiers | typeof STORES.evalRuns | typeof STORES.jobs; id: string }[];
  invalidSamples: string[];
  unknownLabel: string[];
  unknownLanguage: string[];
  duplicates: string[];
  staleHash: string[];
  /** Tasks whose kept counts (storage/sample-stats.ts) differ from a count of their samples. */
  staleCounts: string[];
  /** Tasks whose samples a repair changes (their counts are made again with it). */
  recount: Set<string>;
  interrupted: string[];
  evaluationProgress: string[];
  badEmbeddings: [string, string][];
  read: Record<string, number>;
}

/** Lock names held now in any tab or worker of this origin (empty where Web Locks are missing). */
async function heldLocks(): Promise<Set<string>> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return new Set();
  const state = await locks.query();
  return new Set((state.held ?? []).map((l) => l.name ?? ''));
}

async function plan(db: Database): Promise<Plan> {
  // One transaction: the counts and the samples they count are read at the same moment.
  const read = db.transaction([
    STORES.tasks,
    STORES.samples,
    STORES.classifiers,
    STORES.evalRuns,
    STORES.jobs,
    STORES.sampleStats,
  ]);
  const [tasks, samples, classifiers, evalRuns, jobs, stats] = await Promise.all([
    read.objectStore(STORES.tasks).getAll(),
    read.objectStore(STORES.samples).getAll(),
    read.objectStore(STORES.classifiers).getAll(),
    read.objectStore(STORES.evalRuns).getAll(),
    read.objectStore(STORES.jobs).getAll(),
    read.objectStore(STORES.sampleStats).getAll(),
  ]);
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  const p: Plan = {
    orphanSamples: [],
    orphanRecords: [],
    invalidSamples: [],
    unknownLabel: [],
    unknownLanguage: [],
    duplicates: [],
    staleHash: [],
    staleCounts: [],
    recount: new Set(),
    interrupted: [],
    evaluationProgress: [],
    badEmbeddings: [],
    read: {
      tasks: tasks.length,
      samples: samples.length,
      classifiers: classifiers.length,
      evalRuns: evalRuns.length,
      jobs: jobs.length,
    },
  };

  const liveHashes = new Set<string>();
  // Ids are ordered by creation time: the first copy of a text is the one kept.
  for (const s of [...samples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const task = taskById.get(s.taskId);
    if (!task) {
      p.orphanSamples.push(s.id);
      p.recount.add(s.taskId);
      continue;
    }
    if (!v.safeParse(SampleSchema, s).success) {
      p.invalidSamples.push(s.id);
      continue;
    }
    if (s.textHash !== textHash(s.text)) p.staleHash.push(s.id);
    if (s.deletedAt !== null) continue;
    if (s.split !== 'pool' && !task.labels.some((l) => l.name === s.label)) p.unknownLabel.push(s.id);
    if (!task.languages.some((l) => l.code === s.language)) p.unknownLanguage.push(s.id);
    const key = `${s.taskId}\u0000${textHash(s.text)}`;
    if (liveHashes.has(key)) {
      p.duplicates.push(s.id);
      p.recount.add(s.taskId);
    }
    liveHashes.add(key);
  }

  // Grouped by task with push (one pass each: a database holds 100,000 samples and more).
  const group = <T extends { taskId: string }>(rows: readonly T[]) => {
    const out = new Map<string, T[]>();
    for (const r of rows) {
      const list = out.get(r.taskId);
      if (list) list.push(r);
      else out.set(r.taskId, [r]);
    }
    return out;
  };
  const kept = group(stats);
  const bySampleTask = group(samples);
  for (const taskId of new Set([...kept.keys(), ...bySampleTask.keys()]))
    if (!sameStats(kept.get(taskId) ?? [], statsOf(bySampleTask.get(taskId) ?? []))) {
      p.staleCounts.push(taskId);
      p.recount.add(taskId);
    }

  for (const [store, records] of [
    [STORES.classifiers, classifiers],
    [STORES.evalRuns, evalRuns],
    [STORES.jobs, jobs],
  ] as const)
    for (const r of records) if (!taskById.has(r.taskId)) p.orphanRecords.push({ store, id: r.id });

  const held = await heldLocks();
  for (const j of jobs) {
    if (j.status !== 'running' || !taskById.has(j.taskId)) continue;
    const lock =
      j.kind === 'generate'
        ? generationLockName(j.taskId)
        : j.kind === 'evaluate'
          ? evaluationLockName(j.taskId)
          : null;
    if (lock === null || !held.has(lock)) p.interrupted.push(j.id);
  }

  for (const run of evalRuns) {
    if (run.kind !== 'compare' || !Array.isArray(run.evaluators)) continue;
    const broken = run.evaluators.some(
      (e) =>
        e.done < 0 ||
        e.done > run.items.length ||
        e.predictions.length < e.done ||
        e.predictions.slice(0, e.done).some((x) => x === undefined),
    );
    if (broken) p.evaluationProgress.push(run.id);
  }

  // Embeddings: one width per encoder, and only finite numbers.
  const widths = new Map<string, Map<number, number>>();
  let embeddings = 0;
  let cursor = await db.transaction(STORES.embeddings).store.openCursor();
  const vectors: { key: [string, string]; width: number; finite: boolean }[] = [];
  while (cursor) {
    const { encoderId, textHash: hash, vector } = cursor.value;
    embeddings++;
    const width = vector instanceof Float32Array ? vector.length : -1;
    const finite = width > 0 && vector.every((x) => Number.isFinite(x));
    vectors.push({ key: [encoderId, hash], width, finite });
    const counts = widths.get(encoderId) ?? new Map<number, number>();
    counts.set(width, (counts.get(width) ?? 0) + 1);
    widths.set(encoderId, counts);
    cursor = await cursor.continue();
  }
  p.read.embeddings = embeddings;
  const usual = new Map(
    [...widths].map(([encoder, counts]) => [encoder, [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1]),
  );
  for (const e of vectors) if (!e.finite || e.width !== usual.get(e.key[0])) p.badEmbeddings.push(e.key);
  return p;
}

function findings(p: Plan): Finding[] {
  const out: Finding[] = [];
  const add = (kind: FindingKind, count: number, repairable: boolean) => {
    if (count > 0) out.push({ kind, count, repairable, text: message(`check.${kind}`, { count }) });
  };
  add('orphan-samples', p.orphanSamples.length, true);
  add('orphan-records', p.orphanRecords.length, true);
  add('invalid-samples', p.invalidSamples.length, false);
  add('unknown-label', p.unknownLabel.length, false);
  add('unknown-language', p.unknownLanguage.length, false);
  add('duplicate-texts', p.duplicates.length, true);
  add('stale-hash', p.staleHash.length, true);
  add('stale-counts', p.staleCounts.length, true);
  add('interrupted-jobs', p.interrupted.length, true);
  add('evaluation-progress', p.evaluationProgress.length, true);
  add('bad-embeddings', p.badEmbeddings.length, true);
  return out;
}

/** Reads every store and reports what is inconsistent; changes nothing. */
export async function checkDatabase(db: Database): Promise<ConsistencyReport> {
  const p = await plan(db);
  return { read: p.read, findings: findings(p) };
}

/**
 * Fixes what can be fixed safely, in one transaction, then checks again.
 * @returns the report after the repair
 */
export async function repairDatabase(db: Database): Promise<ConsistencyReport> {
  const p = await plan(db);
  const now = Date.now();
  await guardQuota('quota.repair', async () => {
    const tx = db.transaction(
      [STORES.samples, STORES.classifiers, STORES.evalRuns, STORES.jobs, STORES.embeddings, STORES.sampleStats],
      'readwrite',
    );
    const samples = tx.objectStore(STORES.samples);
    for (const id of p.orphanSamples) await samples.delete(id);
    for (const r of p.orphanRecords) await tx.objectStore(r.store).delete(r.id);
    for (const id of p.duplicates) {
      const s = await samples.get(id);
      if (s)
        await samples.put({ ...s, deletedAt: now, flags: [...new Set([...s.flags, 'duplicate'])], updatedAt: now });
    }
    for (const id of p.staleHash) {
      const s = await samples.get(id);
      if (s) await samples.put({ ...s, textHash: textHash(s.text) });
    }
    const jobs = tx.objectStore(STORES.jobs);
    for (const id of p.interrupted) {
      const j = await jobs.get(id);
      if (j && j.status === 'running') await jobs.put({ ...j, status: 'paused', updatedAt: now });
    }
    const runs = tx.objectStore(STORES.evalRuns);
    for (const id of p.evaluationProgress) {
      const run = await runs.get(id);
      if (run?.kind !== 'compare') continue;
      const evaluators = run.evaluators.map((e) => {
        let done = 0;
        while (done < Math.min(e.predictions.length, run.items.length) && e.predictions[done] !== undefined) done++;
        return done === e.done ? e : { ...e, done, status: 'pending' as const, scores: null };
      });
      await runs.put({ ...run, evaluators, finishedAt: null });
    }
    const embeddings = tx.objectStore(STORES.embeddings);
    for (const key of p.badEmbeddings) await embeddings.delete(key);
    for (const taskId of p.recount) await recountTask(tx, taskId);
    await tx.done;
  });
  for (const store of [STORES.samples, STORES.jobs, STORES.evalRuns, STORES.classifiers] as const)
    publishChange({ store, kind: 'put', count: 1 });
  return checkDatabase(db);
}
