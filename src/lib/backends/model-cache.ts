/**
 * @file The models in the libraries' own caches (Cache Storage: transformers.js'
 * `transformers-cache`, WebLLM's `webllm/model`, `webllm/config`, `webllm/wasm`): listed per
 * model with sizes, deleted, and the addresses files are cached under. Moving them between
 * laptops as model packs is `files/model-packs.ts`.
 */

export const MODEL_CACHES = ['transformers-cache', 'webllm/model', 'webllm/config', 'webllm/wasm'] as const;
export type ModelCacheName = (typeof MODEL_CACHES)[number];

/** Where the hub's files live: the cache key transformers.js uses for them. */
export const HUB_URL = 'https://huggingface.co/';

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

/** One cached file, if it is there. */
export async function cachedEntry(cache: ModelCacheName, url: string): Promise<CachedEntry | null> {
  if (typeof caches === 'undefined' || !(await caches.has(cache))) return null;
  const response = await (await caches.open(cache)).match(url);
  return response ? { cache, url, bytes: await sizeOf(response) } : null;
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

/**
 * The address transformers.js looks a model's file up under: the hub's, or the model folder's
 * (the cache key is the address it would download from).
 */
export function transformersFileUrl(modelId: string, file: string, folder: string | null): string {
  return folder ? `${folder}${modelId}/${file}` : `${HUB_URL}${modelId}/resolve/main/${file}`;
}
