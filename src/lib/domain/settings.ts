/**
 * @file App settings: where models come from and which device runs them.
 */
import * as v from 'valibot';

/**
 * Where model files are fetched from.
 * - `hub`: the Hugging Face hub (default; files are then cached by the browser).
 * - `folder`: a same-origin folder laid out like the hub (`<org>/<name>/onnx/model.onnx`),
 *   e.g. `/models/` on a workshop server, so no internet is needed at all.
 */
export type ModelSource = { kind: 'hub' } | { kind: 'folder'; location: string };

/**
 * The stored choice: a source, or `auto` (the default): the model folder of the server that sent
 * the page when it has one (`models/index.json`, see domain/server-offer.ts), else the hub. A
 * workshop's participants then load from the teacher's laptop with no settings changed.
 */
export type ModelSourceSetting = ModelSource | { kind: 'auto' };

/** Which device runs encoders: chosen from what the browser offers, or forced. */
export type DevicePreference = 'auto' | 'wasm' | 'webgpu';

export interface AppSettings {
  modelSource: ModelSourceSetting;
  encoderDevice: DevicePreference;
  /** Refuse every network request (through the service worker), once models are cached. */
  airplaneMode: boolean;
  /** Show the guided tour (for workshop participants) in the navigation. */
  teachingMode: boolean;
  /**
   * Students answer "not sure" when their calibrated confidence in a text's label is below this
   * (0: they always answer). Used by the playground, batch files and the standalone page.
   */
  minConfidence: number;
}

/** The folder a workshop server (and `npm run dev`) serves models from. */
export const DEFAULT_MODEL_FOLDER = 'models/';

export const DEFAULT_SETTINGS: AppSettings = {
  modelSource: { kind: 'auto' },
  encoderDevice: 'auto',
  airplaneMode: false,
  teachingMode: false,
  minConfidence: 0,
};

const SettingsSchema = v.object({
  modelSource: v.fallback(
    v.variant('kind', [
      v.object({ kind: v.literal('auto') }),
      v.object({ kind: v.literal('hub') }),
      v.object({ kind: v.literal('folder'), location: v.pipe(v.string(), v.trim(), v.minLength(1)) }),
    ]),
    DEFAULT_SETTINGS.modelSource,
  ),
  encoderDevice: v.fallback(v.picklist(['auto', 'wasm', 'webgpu']), DEFAULT_SETTINGS.encoderDevice),
  airplaneMode: v.fallback(v.boolean(), DEFAULT_SETTINGS.airplaneMode),
  teachingMode: v.fallback(v.boolean(), DEFAULT_SETTINGS.teachingMode),
  minConfidence: v.fallback(v.pipe(v.number(), v.minValue(0), v.maxValue(0.99)), DEFAULT_SETTINGS.minConfidence),
});

/**
 * Reads settings stored by any earlier version, keeping what is valid and falling back to
 * defaults field by field, so a damaged or old record never stops the app from starting.
 */
export function normalizeSettings(raw: unknown): AppSettings {
  const result = v.safeParse(SettingsSchema, raw);
  return result.success ? result.output : structuredClone(DEFAULT_SETTINGS);
}

/** The model folder's address of a source, or null for the hub. */
export function folderOf(source: ModelSource): string | null {
  return source.kind === 'folder' ? source.location : null;
}

/**
 * Makes a folder source absolute against the page's URL, so a worker (whose relative URLs
 * resolve against its own script) fetches from the same place the user typed.
 * @param source the stored source
 * @param pageUrl `document.baseURI`
 */
export function resolveModelSource(source: ModelSource, pageUrl: string): ModelSource {
  // A new plain object either way: the stored settings may be reactive proxies, which workers
  // cannot receive.
  if (source.kind === 'hub') return { kind: 'hub' };
  const href = new URL(source.location, pageUrl).href;
  return { kind: 'folder', location: href.endsWith('/') ? href : `${href}/` };
}
