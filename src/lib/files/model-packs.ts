/**
 * @file Model packs: a model's cached files moved between laptops. A pack is a zip laid out
 * like a model folder (`<org>/<name>/<file>`) plus `polyclass-model-pack.json`, which records
 * the cache and address of every file, so an imported pack loads exactly as if it had been
 * downloaded. A plain model folder (or a zip of one) in Hugging Face layout imports too: its
 * files go where transformers.js looks for the hub's copies. Everything streams.
 */
import { message } from '../i18n/messages';
import {
  MODEL_CACHES,
  modelOfUrl,
  transformersFileUrl,
  type CachedModel,
  type ModelCacheName,
} from '../backends/model-cache';
import { AppError } from '../domain/errors';
import { isQuotaError } from '../domain/quota';

interface PackManifest {
  format: typeof PACK_FORMAT;
  version: number;
  library: CachedModel['library'];
  modelId: string;
  files: { cache: ModelCacheName; url: string; path: string }[];
}

export const PACK_MANIFEST = 'polyclass-model-pack.json';
export const PACK_FORMAT = 'polyclass-model-pack';
export const PACK_VERSION = 1;

/** Bytes done and in all, for a pack moving in or out. */
export type PackProgress = { done: number; total: number; file: string };

/** A pack's entries: the manifest first, so a reader meets it before the files. */
function packPlan(model: CachedModel, folder: string | null): PackManifest {
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    library: model.library,
    modelId: model.modelId,
    files: [],
  };
  for (const e of model.entries) {
    const file = modelOfUrl(e.url, folder)?.file ?? e.url.split('/').pop() ?? 'file';
    const inModel = model.modelId.includes('/') && e.cache !== 'webllm/wasm';
    manifest.files.push({
      cache: e.cache,
      url: e.url,
      path: inModel ? `${model.modelId}/${file}` : `${e.cache.replace('/', '-')}/${file}`,
    });
  }
  return manifest;
}

/** Counts bytes through a stream, reporting and stopping on abort. */
function counted(onChunk: (bytes: number) => void, signal?: AbortSignal): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      if (signal?.aborted) {
        controller.error(signal.reason);
        return;
      }
      onChunk(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
}

/**
 * Writes a model's cached files as a pack (a zip, stored uncompressed: weights do not shrink)
 * into `out`, file by file as a stream, so a 4 GB WebLLM model never sits in memory. Zip64
 * is used where the sizes need it.
 */
export async function writeModelPack(
  model: CachedModel,
  folder: string | null,
  out: WritableStream<Uint8Array>,
  onProgress?: (p: PackProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { ZipWriter, TextReader } = await import('@zip.js/zip.js/index-native.js');
  const manifest = packPlan(model, folder);
  const total = model.entries.reduce((a, e) => a + e.bytes, 0);
  let done = 0;
  const zip = new ZipWriter(out, { level: 0, useWebWorkers: false, signal });
  try {
    await zip.add(PACK_MANIFEST, new TextReader(JSON.stringify(manifest, null, 2)));
    for (const f of manifest.files) {
      const response = await (await caches.open(f.cache)).match(f.url);
      if (!response?.body) throw new AppError('model-file-missing', message('pack.gone', { url: f.url }));
      const body = response.body.pipeThrough(
        counted((n) => {
          done += n;
          onProgress?.({ done, total, file: f.path });
        }, signal),
      );
      await zip.add(f.path, body, { level: 0 });
    }
    await zip.close();
  } catch (e) {
    await out.abort(e).catch(() => undefined);
    throw e;
  }
}

/** A model pack as a Blob (the browser keeps big blobs on disk). */
export async function exportModelPack(
  model: CachedModel,
  folder: string | null,
  onProgress?: (p: PackProgress) => void,
  signal?: AbortSignal,
): Promise<Blob> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const blob = new Response(readable, { headers: { 'content-type': 'application/zip' } }).blob();
  try {
    await writeModelPack(model, folder, writable, onProgress, signal);
  } catch (e) {
    blob.catch(() => undefined);
    throw e;
  }
  return blob;
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  onnx: 'application/octet-stream',
  bin: 'application/octet-stream',
  wasm: 'application/wasm',
  txt: 'text/plain',
  model: 'application/octet-stream',
};

/** One file of a pack or folder: read as a stream, never whole. */
interface PackFile {
  path: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
  text(): Promise<string>;
}

/** Stores one file where a library looks for it, streaming it in. */
async function put(
  cache: ModelCacheName,
  url: string,
  file: PackFile,
  count: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const ext = url.split('.').pop()?.toLowerCase() ?? '';
  const response = new Response(file.stream().pipeThrough(counted(count, signal)), {
    headers: {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'content-length': String(file.size),
    },
  });
  try {
    await (await caches.open(cache)).put(url, response);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (isQuotaError(e)) throw new AppError('quota-exceeded', message('pack.full', { path: file.path }));
    throw e;
  }
}

function fileOfBlob(path: string, blob: Blob): PackFile {
  return { path, size: blob.size, stream: () => blob.stream(), text: () => blob.text() };
}

/** The files inside a zip, read in place (zip.js reads the directory, then each file on demand). */
async function filesOfZip(zipFile: Blob): Promise<PackFile[]> {
  const { ZipReader, BlobReader, TextWriter } = await import('@zip.js/zip.js/index-native.js');
  let entries;
  try {
    entries = await new ZipReader(new BlobReader(zipFile), { useWebWorkers: false }).getEntries();
  } catch {
    throw new AppError('invalid-file', message('pack.notZip'));
  }
  return entries.flatMap((entry): PackFile[] =>
    entry.directory
      ? []
      : [
          {
            path: entry.filename,
            size: entry.uncompressedSize,
            stream: () => {
              const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
              // A damaged entry fails the cache write that reads it, rather than leaving it waiting.
              entry.getData(writable).catch((e: unknown) => writable.abort(e).catch(() => undefined));
              return readable;
            },
            text: () => entry.getData(new TextWriter()),
          },
        ],
  );
}

/** What a pack import added. */
export interface PackImport {
  models: { library: CachedModel['library']; modelId: string; files: number }[];
}

/**
 * Imports a model pack (zip) or a model folder's files (zip or picked folder, Hugging Face
 * layout: `<org>/<name>/config.json`, `<org>/<name>/onnx/model.onnx`, …; a picked folder's own
 * name may come first). transformers.js files are stored for the current model source (the hub,
 * or the model folder), so they load from the cache with no request at all. Every file streams
 * from the disk into the cache: a 4 GB pack never sits in memory.
 * @param files path → file; a single `.zip` is read in place
 * @param folder the model folder's address in the settings, or null for the hub
 */
export async function importModelFiles(
  files: readonly { path: string; file: Blob }[],
  folder: string | null,
  onProgress?: (p: PackProgress) => void,
  signal?: AbortSignal,
): Promise<PackImport> {
  const only = files.length === 1 ? files[0] : undefined;
  const entries =
    only && only.path.toLowerCase().endsWith('.zip')
      ? await filesOfZip(only.file)
      : files.map((f) => fileOfBlob(f.path, f.file));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  let done = 0;
  const total = entries.reduce((a, e) => a + e.size, 0);
  const store = (cache: ModelCacheName, url: string, file: PackFile) =>
    put(
      cache,
      url,
      file,
      (n) => {
        done += n;
        onProgress?.({ done, total, file: file.path });
      },
      signal,
    );

  const manifestFile = entries.find((e) => e.path === PACK_MANIFEST || e.path.endsWith(`/${PACK_MANIFEST}`));
  if (manifestFile) {
    let manifest: PackManifest;
    try {
      manifest = JSON.parse(await manifestFile.text()) as PackManifest;
    } catch {
      throw new AppError('invalid-file', message('pack.badManifest', { file: PACK_MANIFEST }));
    }
    if (manifest.format !== PACK_FORMAT || !Array.isArray(manifest.files))
      throw new AppError('invalid-file', message('pack.notPack'));
    if (manifest.version > PACK_VERSION) throw new AppError('invalid-file', message('pack.newer'));
    const prefix = manifestFile.path.slice(0, manifestFile.path.length - PACK_MANIFEST.length);
    // Everything is checked before the first byte is stored.
    const planned = manifest.files.map((f) => {
      if (!MODEL_CACHES.includes(f.cache) || !/^https?:\/\//.test(f.url))
        throw new AppError('invalid-file', message('pack.unknownPlace', { path: f.path }));
      const file = byPath.get(prefix + f.path);
      if (!file) throw new AppError('invalid-file', message('pack.lacks', { path: f.path }));
      const inModel = f.path.startsWith(`${manifest.modelId}/`) ? f.path.slice(manifest.modelId.length + 1) : null;
      const url =
        f.cache === 'transformers-cache' && inModel ? transformersFileUrl(manifest.modelId, inModel, folder) : f.url;
      return { cache: f.cache, url, file };
    });
    for (const p of planned) await store(p.cache, p.url, p.file);
    return { models: [{ library: manifest.library, modelId: manifest.modelId, files: manifest.files.length }] };
  }
  // A model folder: each folder holding a config.json is a transformers.js model.
  const roots = entries
    .map((e) => e.path)
    .filter((p) => p === 'config.json' || p.endsWith('/config.json'))
    .map((p) => p.slice(0, p.length - 'config.json'.length))
    .filter((root) => !root.includes('/onnx/'));
  const models: PackImport['models'] = [];
  for (const root of roots) {
    const parts = root.split('/').filter(Boolean);
    if (parts.length < 2) throw new AppError('invalid-file', message('pack.nameFolder'));
  }
  for (const root of roots) {
    const modelId = root.split('/').filter(Boolean).slice(-2).join('/');
    let count = 0;
    for (const e of entries) {
      if (!e.path.startsWith(root)) continue;
      await store('transformers-cache', transformersFileUrl(modelId, e.path.slice(root.length), folder), e);
      count++;
    }
    models.push({ library: 'transformers.js', modelId, files: count });
  }
  if (models.length === 0) throw new AppError('invalid-file', message('pack.noModel'));
  return { models };
}
