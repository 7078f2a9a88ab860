/**
 * @file What the server that sent the page offers besides the app: a model folder
 * (`models/index.json`, written by tools/model-index.ts) and, from a workshop server
 * (`npm run workshop`), its HTTPS port and certificate (`workshop.json`). Both are read from the
 * network, so they are checked here before anything uses them.
 */
import * as v from 'valibot';
import { DEFAULT_MODEL_FOLDER, type ModelSource, type ModelSourceSetting } from './settings';

const ModelIndexSchema = v.object({
  version: v.literal(1),
  models: v.array(
    v.object({
      id: v.pipe(v.string(), v.minLength(1)),
      runtime: v.picklist(['transformers', 'webllm']),
      task: v.optional(v.picklist(['text-generation', 'feature-extraction'])),
      dtypes: v.optional(v.array(v.string())),
    }),
  ),
  recordings: v.array(v.string()),
});

/** A model folder's listing (`models/index.json`). */
export type ModelIndex = v.InferOutput<typeof ModelIndexSchema>;

const WorkshopInfoSchema = v.object({
  version: v.literal(1),
  httpsPort: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  httpPort: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  caFile: v.pipe(v.string(), v.regex(/^[\w.-]+$/)),
});

/** What a workshop server says of itself (`workshop.json`). */
export type WorkshopInfo = v.InferOutput<typeof WorkshopInfoSchema>;

/** A model folder listing, or null when the answer is not one. */
export function parseModelIndex(raw: unknown): ModelIndex | null {
  const result = v.safeParse(ModelIndexSchema, raw);
  return result.success ? result.output : null;
}

/** A workshop server's description, or null when the answer is not one. */
export function parseWorkshopInfo(raw: unknown): WorkshopInfo | null {
  const result = v.safeParse(WorkshopInfoSchema, raw);
  return result.success ? result.output : null;
}

/**
 * Whether the server has a model folder worth using: it lists at least one model or
 * recording (an empty folder would only turn downloads into missing files).
 */
export const folderHasModels = (index: ModelIndex | null): index is ModelIndex =>
  index !== null && index.models.length + index.recordings.length > 0;

/**
 * The model source a setting means on this page: "automatic" is the server's model folder when
 * it has one, else the hub.
 * @param serverFolder the server's model folder listing, or null when it has none (or not yet known)
 */
export function effectiveModelSource(setting: ModelSourceSetting, serverFolder: ModelIndex | null): ModelSource {
  if (setting.kind !== 'auto') return setting;
  return folderHasModels(serverFolder) ? { kind: 'folder', location: DEFAULT_MODEL_FOLDER } : { kind: 'hub' };
}

/** A file's address on the server that sent the page (`base`: `document.baseURI`). */
export const serverFile = (name: string, base: string): string => new URL(name, base).href;

/**
 * The workshop's secure address for a page opened over plain http: the same host name and
 * path on the workshop's HTTPS port.
 */
export function secureAddress(page: string, info: WorkshopInfo): string {
  const url = new URL(page);
  url.protocol = 'https:';
  url.port = info.httpsPort === 443 ? '' : String(info.httpsPort);
  return url.href;
}
