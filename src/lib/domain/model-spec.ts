/**
 * @file Which model to load and how, and the progress a load reports.
 */
/** Where a transformers.js model runs: `wasm`/`webgpu` in browsers, `cpu`/`webgpu` in Node. */
export type RuntimeDevice = 'wasm' | 'webgpu' | 'cpu';

/**
 * onnxruntime-web's wasm build a worker runs (decision 023): `cpu` is the plain SIMD + threads
 * build, for the processor; `gpu` is the asyncify build WebGPU needs.
 */
export type OrtRuntime = 'cpu' | 'gpu';

/** The build a model on this device needs. */
export const runtimeFor = (device: string): OrtRuntime => (device === 'webgpu' ? 'gpu' : 'cpu');

/**
 * Weight precision, i.e. which ONNX file is loaded: `fp32` → `onnx/model.onnx`,
 * `q8` → `onnx/model_quantized.onnx`, `fp16` → `onnx/model_fp16.onnx`, `q4` → `onnx/model_q4.onnx`.
 * Always explicit: transformers.js defaults differ between wasm (q8) and other devices (fp32).
 */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'q4';

export interface EncoderSpec {
  /** Hub-style id, `org/name`. */
  modelId: string;
  device: RuntimeDevice;
  dtype: ModelDtype;
  /** Text put before every input; multilingual-e5 models expect `query: ` or `passage: `. */
  prefix?: string;
}

/** transformers.js's file name suffix per dtype (`onnx/model<suffix>.onnx`). */
export const DTYPE_SUFFIX: Readonly<Record<string, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/** The weights file transformers.js loads for a precision, inside the model's folder. */
export const onnxFileOf = (dtype: string): string => `onnx/model${DTYPE_SUFFIX[dtype] ?? ''}.onnx`;

/**
 * A recorded answer: either for a label and language of a generation prompt (used once), or
 * for any chat whose last user message contains `match` (a classification of that text; reused).
 */
export type RecordedAnswer =
  | {
      /** Label name and language name as the prompt writes them. */
      label: string;
      language: string;
      answer: string;
      match?: undefined;
    }
  | { match: string; answer: string; label?: undefined; language?: undefined };

/** A recorded session a replay answers from (`backends/recorded-generator.ts`). */
export interface Recording {
  model: string;
  /** What the recording is and where its texts come from, shown where it is chosen. */
  note?: string;
  answers: RecordedAnswer[];
}

/** Which generator (LLM) a job uses; the worker builds it from this. */
export type GeneratorSpec =
  | { kind: 'webllm'; modelId: string }
  | { kind: 'transformers'; modelId: string; device: 'wasm' | 'webgpu'; dtype: ModelDtype }
  /**
   * A replay: of the recording at `url`, or of `recording` itself when the user opened a file
   * (kept in the job, so a resumed job replays it after a reload; `url` is then its file name).
   */
  | { kind: 'recorded'; url: string; recording?: Recording }
  /**
   * An OpenAI-compatible chat server (decision 022): in the app one on this computer (Ollama,
   * llama.cpp's server; `domain/local-server.ts`), in the CLI any.
   */
  | { kind: 'openai'; endpoint: string; model: string };

/** A short name of a generator for tables and sentences. */
export function generatorName(spec: GeneratorSpec): string {
  if (spec.kind === 'recorded') return `recording ${spec.url.split('/').pop() ?? spec.url}`;
  if (spec.kind === 'openai') return spec.model;
  return spec.modelId.split('/').pop() ?? spec.modelId;
}

/** One progress report while a model loads. */
export interface LoadProgress {
  /** File being fetched or read, relative to the model folder (e.g. `onnx/model.onnx`). */
  file: string;
  /** Bytes so far and in all (0 when unknown). */
  loaded: number;
  total: number;
  status: 'downloading' | 'done' | 'ready';
}

/**
 * The input prefix a model family was trained with: multilingual-e5 models expect
 * `query: ` (or `passage: `) before every text and embed worse without it.
 */
export function defaultPrefixFor(modelId: string): string {
  return /(^|\/)(multilingual-)?e5-/i.test(modelId) ? 'query: ' : '';
}

/** A sensible first encoder: multilingual, 384-d, ~118 MB at q8. */
export const DEFAULT_ENCODER_ID = 'Xenova/multilingual-e5-small';

/** Multilingual sentence encoders known to work with transformers.js, with their q8 download size. */
/** What the catalogue says of an encoder (a message key: the UI says it in its language). */
export type EncoderNote = 'enc.e5small' | 'enc.minilm' | 'enc.e5base' | 'enc.labse' | 'enc.bgem3';

export const ENCODER_CATALOGUE: readonly { id: string; dim: number; sizeMB: number; note: EncoderNote }[] = [
  { id: 'Xenova/multilingual-e5-small', dim: 384, sizeMB: 118, note: 'enc.e5small' },
  { id: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', dim: 384, sizeMB: 118, note: 'enc.minilm' },
  { id: 'Xenova/multilingual-e5-base', dim: 768, sizeMB: 279, note: 'enc.e5base' },
  { id: 'Xenova/LaBSE', dim: 768, sizeMB: 472, note: 'enc.labse' },
  { id: 'Xenova/bge-m3', dim: 1024, sizeMB: 570, note: 'enc.bgem3' },
];
