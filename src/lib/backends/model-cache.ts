/**
 * @file The models in the libraries' own caches (Cache Storage: transformers.js'
 * `transformers-cache`, WebLLM's `webllm/model`, `webllm/config`, `webllm/wasm`): listed per
 * model with sizes, deleted, and moved between laptops as **model packs**. A pack is a zip
 * laid out like a model folder (`<org>/<name>/<file>`) plus `polyclass-model-pack.json`, which
 * records the cache and address of every file, so an imported pack loads exactly as if it had
 * been downloaded. A plain model folder (or a zip of one) in Hugging Face layout imports too:
 * its files go where transformers.js looks for the hub's copies.
 */
import { message } from '../i18n/messages';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { AppError } from '../domain/errors';

export const MODEL_CACHES = ['transformers-cache', 'webllm/model', 'webllm/config', 'webllm/wasm'] as const;
export type ModelCacheName = (typeof MODEL_CACHES)[number];

/** Where the hub's files live: the cache key transformers.js uses for them. */
export const HUB_URL = 'https://huggingface.co/';

export const PACK_MANIFEST = 'polyclass-model-pack.json';
export const PACK_FORMAT = 'polyclass-model-pack';
export const PACK_VERSION = 1;

export interface CachedEntry {
  cache: ModelCacheName;
  url: string;
  bytes: number;
}

export interface CachedModel {
  library: 'transformers.js' | 'WebLLM';
  /** `org/name` (or a runtime library's file name). */
  modelId: string;
  entries: CachedEntry[];
  bytes: number;
}

interface PackManifest {
  format: typeof PACK_FORMAT;
  version: number;
  library: CachedModel['library'];
  modelId: string;
  files: { cache: ModelCacheName; url: string; path: string }[];
}

/**
 * The model id and the file's path inside the model of a cached address: hub-style
 * `…/<org>/<name>/resolve/<rev>/<file>`, else relative to a model folder.
 * @param folder the model folder's address (settings), if any
 */
export function modelOfUrl(url: string, folder: string | null): { modelId: string; file: string } | null {
  const u = new URL(url);
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const resolve = parts.indexOf('resolve');
  if (resolve >= 2)
    return { modelId: parts.slice(resolve - 2, resolve).join('/'), file: parts.slice(resolve + 2).join('/') };
  if (folder && url.startsWith(folder)) {
    const rest = url.slice(folder.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (rest.length >= 3) return { modelId: rest.slice(0, 2).join('/'), file: rest.slice(2).join('/') };
  }
  // A runtime library (WebLLM's model libraries): its own entry, named by the file.
  const name = parts.at(-1);
  return name ? { modelId: name, file: name } : null;
}

async function sizeOf(response: Response): Promise<number> {
  const header = Number(response.headers.get('content-length'));
  if (Number.isFinite(header) && header > 0) return header;
  return (await response.blob()).size;
}

/** Every cached model, biggest first. */
export async function listCachedModels(folder: string | null): Promise<CachedModel[]> {
  if (typeof caches === 'undefined') return [];
  const byKey = new Map<string, CachedModel>();
  const names = new Set(await caches.keys());
  for (const name of MODEL_CACHES) {
    if (!names.has(name)) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const model = modelOfUrl(request.url, folder);
      if (!model) continue;
      const response = await cache.match(request);
      const bytes = response ? await sizeOf(response) : 0;
      const library = name === 'transformers-cache' ? 'transformers.js' : 'WebLLM';
      const key = `${library}\u0000${model.modelId}`;
      const entry = byKey.get(key) ?? { library, modelId: model.modelId, entries: [], bytes: 0 };
      entry.entries.push({ cache: name, url: request.url, bytes });
      entry.bytes += bytes;
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Deletes a model's files from the caches. */
export async function deleteCachedModel(model: Pick<CachedModel, 'entries'>): Promise<void> {
  for (const e of model.entries) await (await caches.open(e.cache)).delete(e.url);
}

/** A model's cached files as a pack (zip). */
export async function exportModelPack(model: CachedModel, folder: string | null): Promise<Uint8Array> {
  const files: Zippable = {};
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    library: model.library,
    modelId: model.modelId,
    files: [],
  };
  for (const e of model.entries) {
    const response = await (await caches.open(e.cache)).match(e.url);
    if (!response) throw new AppError('model-file-missing', message('pack.gone', { url: e.url }));
    const file = modelOfUrl(e.url, folder)?.file ?? e.url.split('/').pop() ?? 'file';
    const path = model.modelId.includes('/') ? `${model.modelId}/${file}` : `${e.cache.replace('/', '-')}/${file}`;
    // Weights do not shrink: store them uncompressed, which is also much faster.
    files[path] = [new Uint8Array(await response.arrayBuffer()), { level: 0 }];
    manifest.files.push({ cache: e.cache, url: e.url, path });
  }
  files[PACK_MANIFEST] = strToU8(JSON.stringify(manifest, null, 2));
  return zipSync(files);
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  onnx: 'application/octet-stream',
  bin: 'application/octet-stream',
  wasm: 'application/wasm',
  txt: 'text/plain',
  model: 'application/octet-stream',
};

async function put(cache: ModelCacheName, url: string, data: Uint8Array): Promise<void> {
  const ext = url.split('.').pop()?.toLowerCase() ?? '';
  const body = new Blob([data as BlobPart]);
  await (
    await caches.open(cache)
  ).put(
    url,
    new Response(body, {
      headers: {
        'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
        'content-length': String(data.byteLength),
      },
    }),
  );
}

/** What a pack import added. */
export interface PackImport {
  models: { library: CachedModel['library']; modelId: string; files: number }[];
}

/**
 * The address transformers.js looks a model's file up under: the hub's, or the model folder's
 * (the cache key is the address it would download from).
 */
export function transformersFileUrl(modelId: string, file: string, folder: string | null): string {
  return folder ? `${folder}${modelId}/${file}` : `${HUB_URL}${modelId}/resolve/main/${file}`;
}

/**
 * Imports a model pack (zip) or a model folder's files (zip or picked folder, Hugging Face
 * layout: `<org>/<name>/config.json`, `<org>/<name>/onnx/model.onnx`, …; a picked folder's own
 * name may come first). transformers.js files are stored for the current model source (the hub,
 * or the model folder), so they load from the cache with no request at all.
 * @param files path → bytes; a single `.zip` entry is unpacked first
 * @param folder the model folder's address in the settings, or null for the hub
 */
export async function importModelFiles(files: Record<string, Uint8Array>, folder: string | null): Promise<PackImport> {
  let entries = files;
  const names = Object.keys(files);
  if (names.length === 1 && names[0]?.toLowerCase().endsWith('.zip')) {
    try {
      entries = unzipSync(files[names[0]] as Uint8Array);
    } catch {
      throw new AppError('invalid-file', message('pack.notZip'));
    }
  }
  const manifestPath = Object.keys(entries).find((p) => p === PACK_MANIFEST || p.endsWith(`/${PACK_MANIFEST}`));
  if (manifestPath) {
    let manifest: PackManifest;
    try {
      manifest = JSON.parse(strFromU8(entries[manifestPath] as Uint8Array)) as PackManifest;
    } catch {
      throw new AppError('invalid-file', message('pack.badManifest', { file: PACK_MANIFEST }));
    }
    if (manifest.format !== PACK_FORMAT || !Array.isArray(manifest.files))
      throw new AppError('invalid-file', message('pack.notPack'));
    if (manifest.version > PACK_VERSION) throw new AppError('invalid-file', message('pack.newer'));
    const prefix = manifestPath.slice(0, manifestPath.length - PACK_MANIFEST.length);
    for (const f of manifest.files) {
      if (!MODEL_CACHES.includes(f.cache) || !/^https?:\/\//.test(f.url))
        throw new AppError('invalid-file', message('pack.unknownPlace', { path: f.path }));
      const data = entries[prefix + f.path];
      if (!data) throw new AppError('invalid-file', message('pack.lacks', { path: f.path }));
      const inModel = f.path.startsWith(`${manifest.modelId}/`) ? f.path.slice(manifest.modelId.length + 1) : null;
      const url =
        f.cache === 'transformers-cache' && inModel ? transformersFileUrl(manifest.modelId, inModel, folder) : f.url;
      await put(f.cache, url, data);
    }
    return { models: [{ library: manifest.library, modelId: manifest.modelId, files: manifest.files.length }] };
  }
  // A model folder: each folder holding a config.json is a transformers.js model.
  const roots = Object.keys(entries)
    .filter((p) => p.endsWith('config.json') && (p === 'config.json' || p.endsWith('/config.json')))
    .map((p) => p.slice(0, p.length - 'config.json'.length))
    .filter((root) => !root.includes('/onnx/'));
  const models: PackImport['models'] = [];
  for (const root of roots) {
    const parts = root.split('/').filter(Boolean);
    if (parts.length < 2) throw new AppError('invalid-file', message('pack.nameFolder'));
    const modelId = parts.slice(-2).join('/');
    let count = 0;
    for (const [path, data] of Object.entries(entries)) {
      if (!path.startsWith(root) || path.endsWith('/')) continue;
      await put('transformers-cache', transformersFileUrl(modelId, path.slice(root.length), folder), data);
      count++;
    }
    models.push({ library: 'transformers.js', modelId, files: count });
  }
  if (models.length === 0) throw new AppError('invalid-file', message('pack.noModel'));
  return { models };
}
