/**
 * @file Browser only: the fastText wasm and the lid.176 model, bundled and served by the app
 * (the library would otherwise fetch them from `/fastText/` on the site root).
 */
import languages from 'fasttext.wasm.js/dist/models/language-identification/assets/languages.json';
import wasmUrl from '../../../node_modules/fasttext.wasm.js/dist/fastText/fastText.common.wasm?url';
import modelUrl from '../../../node_modules/fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz?url';
import { lidKnownCodes, lidKnows } from '../domain/language-check';
import type { LidAssets } from './lid';

/** Absolute asset URLs (a worker resolves relative ones against its own script). */
export function lidAssets(base: string): LidAssets {
  return { wasmPath: new URL(wasmUrl, base).href, modelPath: new URL(modelUrl, base).href };
}

/** lid.176's labels with their ISO codes. */
export const LID_LANGUAGES: Record<string, { alpha3: string; alpha2: string | null }> = languages;

let known: Set<string> | null = null;
/** Whether lid.176 knows a task language, without loading it (for the page). */
export const lidKnowsLanguage = (code: string): boolean => lidKnows((known ??= lidKnownCodes(LID_LANGUAGES)), code);
