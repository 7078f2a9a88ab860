/**
 * @file Project bundles: a `.zip` with everything of some tasks (samples, classifiers,
 * evaluation runs) that another browser imports, merging or replacing. Import validates
 * everything before writing anything, and writes in one transaction.
 */
import { message } from '../i18n/messages';
import { unzipSync, zipSync, strToU8, strFromU8, type Unzipped } from 'fflate';
import * as v from 'valibot';
import { AppError, toAppError } from '../domain/errors';
import { migrateRejectionMeta } from '../domain/filters';
import type { ClassifierRecord, EvalRunRecord } from '../domain/records';
import type { Sample } from '../domain/sample';
import { ClassifierRecordSchema, EvalRunRecordSchema } from '../domain/record-schemas';
import { inspectJson, MAX_JSON_DEPTH, SampleSchema, TaskSchema } from '../domain/schemas';
import { fromClassifierFile } from '../ml/classifier-file';
import type { Task } from '../domain/task';
import { textHash } from '../domain/text-hash';
import { publishChange } from '../storage/change-feed';
import { STORES, type Database } from '../storage/db';
import { recountTask } from '../storage/sample-stats';
import { writeAll } from '../storage/transaction';
import { describeIssues } from '../words/schema-issues';
import { guardQuota } from '../storage/quota-guard';

export const BUNDLE_FORMAT = 'polyclass-bundle';
/** Bump when the layout changes; older readers refuse newer bundles with a message. */
export const BUNDLE_VERSION = 1;
/** Largest total uncompressed size accepted, and the largest compression ratio of one file. */
export const MAX_BUNDLE_BYTES = 2_000_000_000;
export const MAX_COMPRESSION_RATIO = 1_000;

const FILES = {
  manifest: 'manifest.json',
  tasks: 'tasks.json',
  samples: 'samples.jsonl',
  classifiers: 'classifiers.json',
  evalRuns: 'eval-runs.json',
} as const;

const ManifestSchema = v.object({
  format: v.literal(BUNDLE_FORMAT),
  formatVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
  createdAt: v.string(),
  counts: v.record(v.string(), v.number()),
});

export interface BundleContents {
  tasks: Task[];
  samples: Sample[];
  classifiers: ClassifierRecord[];
  evalRuns: EvalRunRecord[];
}

const invalid = (text: string) => new AppError('invalid-file', text);

/**
 * Builds a bundle of the given tasks (all tasks when none are named).
 * @returns zip bytes
 */
export async function exportBundle(db: Database, taskIds?: readonly string[], now = new Date()): Promise<Uint8Array> {
  const tx = db.transaction([STORES.tasks, STORES.samples, STORES.classifiers, STORES.evalRuns]);
  const allTasks = await tx.objectStore(STORES.tasks).getAll();
  const tasks = taskIds ? allTasks.filter((t) => taskIds.includes(t.id)) : allTasks;
  const contents: BundleContents = { tasks, samples: [], classifiers: [], evalRuns: [] };
  for (const t of tasks) {
    contents.samples.push(...(await tx.objectStore(STORES.samples).index('by-task').getAll(t.id)));
    contents.classifiers.push(...(await tx.objectStore(STORES.classifiers).index('by-task').getAll(t.id)));
    contents.evalRuns.push(...(await tx.objectStore(STORES.evalRuns).index('by-task').getAll(t.id)));
  }
  await tx.done;
  const manifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    createdAt: now.toISOString(),
    counts: {
      tasks: contents.tasks.length,
      samples: contents.samples.length,
      classifiers: contents.classifiers.length,
      evalRuns: contents.evalRuns.length,
    },
  };
  const json = (x: unknown) => strToU8(JSON.stringify(x, null, 1));
  return zipSync(
    {
      [FILES.manifest]: json(manifest),
      [FILES.tasks]: json(contents.tasks),
      [FILES.samples]: strToU8(contents.samples.map((s) => JSON.stringify(s)).join('\n')),
      [FILES.classifiers]: json(contents.classifiers),
      [FILES.evalRuns]: json(contents.evalRuns),
    },
    { level: 6 },
  );
}

/**
 * Calls `each` with every line of a UTF-8 file, decoding one line at a time: a file of any size
 * (a `samples.jsonl` of gigabytes) never becomes one string, which JavaScript cannot hold past
 * about 512 M characters (TextDecoder then returns an empty string, and the file would read as empty).
 */
function forEachLine(bytes: Uint8Array | undefined, each: (line: string, index: number) => void): void {
  if (!bytes) return;
  const decoder = new TextDecoder();
  let start = 0;
  for (let i = 0; start <= bytes.length; i++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    each(decoder.decode(bytes.subarray(start, end)), i);
    start = end + 1;
  }
}

function safeName(name: string): boolean {
  return !(name.startsWith('/') || name.includes('\\') || /^[a-z]:/i.test(name) || name.split('/').includes('..'));
}

function unzipSafely(bytes: Uint8Array): Unzipped {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw invalid(message('bundle.notBundle'));
  let declared = 0;
  let problem: string | null = null;
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        if (problem) return false;
        if (!safeName(file.name)) problem = message('bundle.unsafeName', { name: file.name });
        declared += file.originalSize;
        if (declared > MAX_BUNDLE_BYTES) problem = message('bundle.tooBig', { gb: MAX_BUNDLE_BYTES / 1e9 });
        else if (file.originalSize > 1_000_000 && file.originalSize / Math.max(file.size, 1) > MAX_COMPRESSION_RATIO)
          problem = message('bundle.bomb', {
            name: file.name,
            ratio: Math.round(file.originalSize / Math.max(file.size, 1)),
          });
        return !problem && Object.values(FILES).includes(file.name as (typeof FILES)[keyof typeof FILES]);
      },
    });
  } catch (error) {
    if (problem) throw invalid(problem);
    throw invalid(message('bundle.damaged', { error: (error as Error).message }));
  }
  if (problem) throw invalid(problem);
  return files;
}

function parseJson(files: Unzipped, name: string): unknown {
  const data = files[name];
  if (!data) throw invalid(message('bundle.missingFile', { name }));
  let value: unknown;
  try {
    value = JSON.parse(strFromU8(data));
  } catch (error) {
    throw invalid(message('bundle.badJson', { name, error: (error as Error).message }));
  }
  const problem = inspectJson(value);
  if (problem?.problem === 'forbidden-key') throw invalid(message('bundle.forbidden', { name, field: problem.path }));
  if (problem) throw invalid(message('bundle.tooDeep', { name, field: problem.path, max: MAX_JSON_DEPTH }));
  return value;
}

function parseList<T>(
  value: unknown,
  name: string,
  kind: 'task' | 'classifier' | 'run',
  schema: v.GenericSchema<unknown, T>,
): T[] {
  if (!Array.isArray(value)) throw invalid(message('bundle.notList', { name }));
  return value.map((item, i) => {
    const r = v.safeParse(schema, item);
    if (!r.success) throw invalid(describeIssues(r.issues, message('valid.item', { kind, n: i + 1, file: name })));
    return r.output;
  });
}

/** Unpacks and checks a bundle completely, without touching the database. */
export function readBundle(bytes: Uint8Array): BundleContents {
  const files = unzipSafely(bytes);
  const manifestRaw = parseJson(files, FILES.manifest);
  const version = (manifestRaw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > BUNDLE_VERSION)
    throw invalid(message('bundle.newer', { version: String(version), max: BUNDLE_VERSION }));
  const manifest = v.safeParse(ManifestSchema, manifestRaw);
  if (!manifest.success)
    throw invalid(message('bundle.badManifest', { issues: describeIssues(manifest.issues, 'manifest.json') }));

  const tasks = parseList(parseJson(files, FILES.tasks), FILES.tasks, 'task', TaskSchema) as Task[];
  const samples: Sample[] = [];
  forEachLine(files[FILES.samples], (line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw invalid(message('bundle.lineJson', { n: i + 1, file: FILES.samples }));
    }
    const problem = inspectJson(raw);
    if (problem?.problem === 'forbidden-key')
      throw invalid(message('bundle.lineField', { n: i + 1, file: FILES.samples, field: problem.path }));
    if (problem) throw invalid(message('bundle.lineDeep', { n: i + 1, file: FILES.samples, max: MAX_JSON_DEPTH }));
    const r = v.safeParse(SampleSchema, raw);
    if (!r.success) throw invalid(describeIssues(r.issues, message('valid.line', { n: i + 1, file: FILES.samples })));
    // Recompute the hash: it must match this version's normalization, whatever the bundle says;
    // a rejection stored as a sentence by an earlier version becomes a code.
    const meta = migrateRejectionMeta(r.output.meta, r.output.label);
    samples.push({ ...r.output, textHash: textHash(r.output.text), ...(meta ? { meta } : {}) });
  });
  // A bundle never imports silently short: the manifest says how many samples it holds.
  const declared = manifest.output.counts.samples;
  if (declared !== undefined && declared !== samples.length)
    throw invalid(message('bundle.sampleCount', { declared, read: samples.length, file: FILES.samples }));
  const classifiers = parseList(
    parseJson(files, FILES.classifiers),
    FILES.classifiers,
    'classifier',
    ClassifierRecordSchema,
  );
  // A classifier is used only after its weights are decoded and checked against its sizes.
  classifiers.forEach((c, i) => {
    try {
      fromClassifierFile(c.file);
    } catch (error) {
      throw invalid(
        message('bundle.badClassifier', {
          n: i + 1,
          file: FILES.classifiers,
          name: c.name,
          reason: toAppError(error).message,
        }),
      );
    }
  });
  const evalRuns = parseList(parseJson(files, FILES.evalRuns), FILES.evalRuns, 'run', EvalRunRecordSchema);

  const taskById = new Map(tasks.map((t) => [t.id, t]));
  samples.forEach((s, i) => {
    const task = taskById.get(s.taskId);
    if (!task) throw invalid(message('bundle.orphanSample', { n: i + 1, file: FILES.samples }));
    // A pool text has no label yet (the schema checked it is empty there and only there).
    if (s.split !== 'pool' && !task.labels.some((l) => l.name === s.label))
      throw invalid(message('bundle.badLabel', { n: i + 1, file: FILES.samples, label: s.label, task: task.name }));
  });
  for (const r of [...classifiers, ...evalRuns])
    if (!taskById.has(r.taskId)) throw invalid(message('bundle.orphanRecord', { id: r.id }));
  return { tasks, samples, classifiers, evalRuns };
}

export type BundleMode = 'merge' | 'replace';

/**
 * Writes a checked bundle in one transaction (all or nothing).
 * - `merge`: the bundle's tasks and records are added; ones with the same id are overwritten
 *   by the bundle's version; nothing else changes.
 * - `replace`: every task in this browser (with its samples, classifiers, runs and jobs) is
 *   removed first. Settings and cached embeddings stay.
 */
export async function writeBundle(db: Database, contents: BundleContents, mode: BundleMode): Promise<void> {
  const stores = [
    STORES.tasks,
    STORES.samples,
    STORES.classifiers,
    STORES.evalRuns,
    STORES.jobs,
    STORES.sampleStats,
  ] as const;
  await guardQuota('quota.bundle', async () => {
    const tx = db.transaction([...stores], 'readwrite');
    const ops: (() => Promise<unknown>)[] = [];
    if (mode === 'replace') for (const s of stores) ops.push(() => tx.objectStore(s).clear());
    for (const t of contents.tasks) ops.push(() => tx.objectStore(STORES.tasks).put(t));
    for (const s of contents.samples) ops.push(() => tx.objectStore(STORES.samples).put(s));
    for (const c of contents.classifiers) ops.push(() => tx.objectStore(STORES.classifiers).put(c));
    for (const r of contents.evalRuns) ops.push(() => tx.objectStore(STORES.evalRuns).put(r));
    // A sample may overwrite one of the same id: the counts of each task written are made again.
    const written = new Set(contents.samples.map((s) => s.taskId));
    for (const taskId of written) ops.push(() => recountTask(tx, taskId));
    await writeAll(tx, ops);
  });
  publishChange({ store: STORES.tasks, kind: 'put', count: contents.tasks.length });
  publishChange({ store: STORES.samples, kind: 'put', count: contents.samples.length });
}
