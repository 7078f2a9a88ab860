/**
 * @file The data worker's handlers: parsing, validating and writing files off the UI thread.
 * The worker opens its own connection to the database and announces changes itself.
 */
import { message } from '../i18n/messages';
import { zipSync, strToU8 } from 'fflate';
import {
  cachedEntry,
  deleteCachedModel,
  listCachedModels,
  modelOfUrl,
  type CachedModel,
} from '../backends/model-cache';
import { deleteWebLlmModel, isWebLlmCached, webllmAppConfig, webllmRecords } from '../backends/webllm-cache';
import { AppError } from '../domain/errors';
import { REJECTED_FLAG } from '../domain/sample';
import { importFile, previewFile, scanFile } from '../jobs/import-job';
import { readBundle, writeBundle, exportBundle, type BundleContents } from '../files/bundle';
import { checkDatabase, repairDatabase } from '../storage/consistency';
import type { Database } from '../storage/db';
import { classifierListing } from '../domain/records';
import { huggingFaceFiles, safeFileName, samplesToCsv, samplesToJsonl } from '../files/dataset-files';
import { listSamples } from '../storage/samples-repo';
import { getTask } from '../storage/tasks-repo';
import { classifiersRepo } from '../storage/task-records-repo';
import type { DataRequests } from './data-protocol';
import type { Handlers } from './rpc';
import { exportModelPack, importModelFiles, writeModelPack } from '../files/model-packs';

/** @param openDb opens the database once, on first use */
export function createDataHandlers(openDb: () => Promise<Database>): Handlers<DataRequests> {
  let db: Promise<Database> | null = null;
  const database = () => {
    db ??= openDb().catch((e: unknown) => {
      db = null;
      throw e;
    });
    return db;
  };
  /** The bundle last read for a preview, kept until it is imported or another is read. */
  let lastBundle: { token: string; contents: BundleContents } | null = null;

  return {
    preview: ({ file, name, task }) => previewFile(file, name, task),
    classifierListings: async ({ taskId }) =>
      (await classifiersRepo.listByTask(await database(), taskId))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(classifierListing),
    scan: ({ file, name, mapping, task }, ctx) => scanFile(file, name, mapping, task, ctx.progress, ctx.signal),
    import: async ({ file, name, mapping, taskId }, ctx) =>
      importFile(await database(), file, name, taskId, mapping, ctx.progress, ctx.signal),

    async exportDataset({ taskId, format, raw }, ctx) {
      const d = await database();
      const task = await getTask(d, taskId);
      if (!task) throw new AppError('internal', message('err.taskGone'));
      const samples = await listSamples(d, taskId);
      const base = safeFileName(task.name);
      let bytes: Uint8Array;
      let fileName: string;
      let mime: string;
      if (format === 'csv') {
        bytes = strToU8(samplesToCsv(samples, { raw }));
        fileName = `${base}.csv`;
        mime = 'text/csv';
      } else if (format === 'jsonl') {
        bytes = strToU8(samplesToJsonl(samples));
        fileName = `${base}.jsonl`;
        mime = 'application/jsonl';
      } else {
        const rejected = (await listSamples(d, taskId, { deleted: true })).filter((s) =>
          s.flags.includes(REJECTED_FLAG),
        );
        const files = huggingFaceFiles(task, samples, rejected);
        bytes = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${base}/${k}`, strToU8(v)])));
        fileName = `${base}-dataset.zip`;
        mime = 'application/zip';
      }
      ctx.transfer(bytes.buffer);
      return { bytes, fileName, mime, count: samples.length };
    },

    async exportBundle({ taskIds }, ctx) {
      const bytes = await exportBundle(await database(), taskIds ?? undefined);
      ctx.transfer(bytes.buffer);
      const stamp = new Date().toISOString().slice(0, 10);
      return { bytes, fileName: `polyclass-bundle-${stamp}.zip` };
    },

    async readBundle({ file }) {
      lastBundle = null;
      const contents = readBundle(new Uint8Array(await file.arrayBuffer()));
      const token = crypto.randomUUID();
      lastBundle = { token, contents };
      return {
        tasks: contents.tasks.map((t) => ({ id: t.id, name: t.name })),
        samples: contents.samples.length,
        classifiers: contents.classifiers.length,
        evalRuns: contents.evalRuns.length,
        token,
      };
    },

    async importBundle({ file, mode, token }) {
      // A big bundle takes long to unpack (and check): the one just read is not unpacked again.
      const kept = lastBundle !== null && lastBundle.token === token ? lastBundle.contents : null;
      lastBundle = null;
      const contents = kept ?? readBundle(new Uint8Array(await file.arrayBuffer()));
      await writeBundle(await database(), contents, mode);
      return { tasks: contents.tasks.length, samples: contents.samples.length };
    },

    listModels: ({ folder }) => listCachedModels(folder),

    async deleteModel({ model }) {
      await deleteCachedModel(model);
      return null;
    },

    async exportModelPack({ model, folder, file }, ctx) {
      const full = await withWebLlmLibrary(model, folder);
      if (!file) return { blob: await exportModelPack(full, folder, ctx.progress, ctx.signal) };
      await writeModelPack(full, folder, await file.createWritable(), ctx.progress, ctx.signal);
      return { blob: null };
    },

    async exportStandalone({ classifierId, folder, page }, ctx) {
      const d = await database();
      const record = await classifiersRepo.get(d, classifierId);
      if (!record) throw new AppError('internal', message('err.classifierMissing'));
      const task = await getTask(d, record.taskId);
      if (!task) throw new AppError('internal', message('err.taskGone'));
      const [{ standaloneFolder, zipFolder }, { default: pageScript }, { ortWasmPaths }] = await Promise.all([
        import('../files/standalone'),
        import('virtual:standalone-page'),
        import('../backends/ort-wasm-assets'),
      ]);
      const files = await standaloneFolder(
        task,
        record.file,
        page,
        {
          pageScript,
          encoderScript: async () => (await import('virtual:standalone-encoder')).default,
          ort: ortWasmPaths(self.location.href).cpu,
        },
        folder,
      );
      const name = `${safeFileName(task.name)}-classifier`;
      return { blob: await zipFolder(name, files, ctx.progress, ctx.signal), fileName: `${name}.zip` };
    },

    webllmModels: () => webllmRecords(),
    webllmCached: ({ modelId, folder }) => isWebLlmCached(modelId, folder),
    async webllmDelete({ modelId, folder }) {
      await deleteWebLlmModel(modelId, folder);
      return null;
    },

    checkDatabase: async ({ repair }) => (repair ? repairDatabase(await database()) : checkDatabase(await database())),

    importModelFiles: ({ files, folder }, ctx) => importModelFiles(files, folder, ctx.progress, ctx.signal),
  };
}

/**
 * A WebLLM model with its runtime library (the `.wasm` its record names) when that is cached:
 * a pack without it would not load on a laptop with no network.
 */
async function withWebLlmLibrary(model: CachedModel, folder: string | null): Promise<CachedModel> {
  if (model.library !== 'WebLLM' || !model.modelId.includes('/')) return model;
  const record = (await webllmAppConfig(folder)).model_list.find(
    (r) => modelOfUrl(`${r.model.replace(/\/$/, '')}/resolve/main/x`, folder)?.modelId === model.modelId,
  );
  const lib = record ? await cachedEntry('webllm/wasm', record.model_lib) : null;
  if (!lib || model.entries.some((e) => e.url === lib.url)) return model;
  return { ...model, entries: [...model.entries, lib], bytes: model.bytes + lib.bytes };
}
