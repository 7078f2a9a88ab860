/**
 * @file App settings: where models come from and which device runs them.
 */

/**
 * Where model files are fetched from.
 * - `hub`: the Hugging Face hub (default; files are then cached by the browser).
 * - `folder`: a same-origin folder laid out like the hub (`<org>/<name>/onnx/model.onnx`),
 *   e.g. `/models/` on a workshop server, so no internet is needed at all.
 */
export type ModelSource = { kind: 'hub' } | { kind: 'folder'; location: string };

/** Which device runs encoders: chosen from what the browser offers, or forced. */
export type DevicePreference = 'auto' | 'wasm' | 'webgpu';

export interface AppSettings {
  modelSource: ModelSource;
  encoderDevice: DevicePreference;
}

/** The folder a workshop server (and `npm run dev`) serves models from. */
export const DEFAULT_MODEL_FOLDER = 'models/';

export const DEFAULT_SETTINGS: AppSettings = {
  modelSource: { kind: 'hub' },
  encoderDevice: 'auto',
};

const DEVICE_PREFERENCES: readonly DevicePreference[] = ['auto', 'wasm', 'webgpu'];

/**
 * Reads settings stored by any earlier version, keeping what is valid and falling back to
 * defaults for the rest, so a damaged or old record never stops the app from starting.
 */
export function normalizeSettings(raw: unknown): AppSettings {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const src = obj.modelSource as Record<string, unknown> | undefined;
  const modelSource: ModelSource =
    src?.kind === 'folder' && typeof src.location === 'string' && src.location.trim() !== ''
      ? { kind: 'folder', location: src.location.trim() }
      : { kind: 'hub' };
  const encoderDevice = DEVICE_PREFERENCES.find((d) => d === obj.encoderDevice) ?? DEFAULT_SETTINGS.encoderDevice;
  return { modelSource, encoderDevice };
}

/**
 * Makes a folder source absolute against the page's URL, so a worker (whose relative URLs
 * resolve against its own script) fetches from the same place the user typed.
 * @param source the stored source
 * @param pageUrl `document.baseURI`
 */
export function resolveModelSource(source: ModelSource, pageUrl: string): ModelSource {
  if (source.kind === 'hub') return source;
  const href = new URL(source.location, pageUrl).href;
  return { kind: 'folder', location: href.endsWith('/') ? href : `${href}/` };
}
