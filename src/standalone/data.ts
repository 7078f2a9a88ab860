import type { EncoderRef } from '../lib/domain/student';
/**
 * @file What the standalone classifier page is given (in `classifier.js`, as
 * `window.POLYCLASS`): the task's labels, the classifier file, the encoder it needs (if any)
 * and the page's words in the UI language chosen at export.
 */

export const STANDALONE_STRINGS = [
  'intro',
  'labels',
  'texts',
  'classify',
  'clear',
  'text',
  'label',
  'confidence',
  'empty',
  'loading',
  'needsServer',
  'failed',
  'footer',
  'notSure',
  'bestGuess',
  'threshold',
] as const;
export type StandaloneString = (typeof STANDALONE_STRINGS)[number];

export interface StandaloneData {
  title: string;
  description: string;
  labels: { name: string; description: string }[];
  /** The classifier file (see ml/classifier-file.ts). */
  classifier: unknown;
  /** The embedding model a head needs; its files are in `models/`, onnxruntime-web's in `ort/`. */
  encoder: EncoderRef | null;
  strings: Record<StandaloneString, string>;
  /** Below this confidence the page answers "not sure" (0: always answers); the reader can change it. */
  minConfidence: number;
  lang: string;
  dir: 'ltr' | 'rtl';
}

/** Where the page finds its encoder module, model files and runtime, relative to index.html. */
export const STANDALONE_PATHS = {
  encoder: 'encoder/embed.js',
  models: 'models/',
  ortMjs: 'ort/ort-wasm-simd-threaded.mjs',
  ortWasm: 'ort/ort-wasm-simd-threaded.wasm',
} as const;
