/**
 * @file What a model folder holds, as the app reads it from `models/index.json`: the model
 * folder middleware (`vite dev`, `vite preview`, `npm run workshop`) answers that address with
 * this listing, so a page served with a model folder finds it and uses it with no settings
 * changed. `npm run models:index` writes the same file for other static servers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The listing's address under the model folder. */
export const MODEL_INDEX_FILE = 'index.json';

export interface ModelIndexEntry {
  /** The model id, as the app names it (`org/name`, or `name`). */
  id: string;
  /** `transformers`: ONNX files for transformers.js; `webllm`: MLC weights under `resolve/main/`. */
  runtime: 'transformers' | 'webllm';
  /** transformers.js only: what the model's config says it does. */
  task?: 'text-generation' | 'feature-extraction';
  /** transformers.js only: the ONNX precisions present (`fp32`, `q8`, `fp16`, `q4`…). */
  dtypes?: string[];
}

export interface ModelIndex {
  /** Format version of this listing. */
  version: 1;
  models: ModelIndexEntry[];
  /** Recordings of generation sessions under `recordings/` (file names). */
  recordings: string[];
}

/** ONNX file names transformers.js loads, by the dtype that picks them. */
const ONNX_DTYPES: Record<string, string> = {
  'model.onnx': 'fp32',
  'model_fp16.onnx': 'fp16',
  'model_quantized.onnx': 'q8',
  'model_int8.onnx': 'int8',
  'model_uint8.onnx': 'uint8',
  'model_q4.onnx': 'q4',
  'model_q4f16.onnx': 'q4f16',
  'model_bnb4.onnx': 'bnb4',
};

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const dirs = (path: string): string[] =>
  readdirSync(path)
    .filter((name) => !name.startsWith('.') && isDir(join(path, name)))
    .sort();

/** What a transformers.js model's `config.json` says it does (decoders generate text). */
function taskOf(configPath: string): ModelIndexEntry['task'] {
  try {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { architectures?: unknown };
    const architectures = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
    return architectures.some((a) => /CausalLM|ForConditionalGeneration/.test(a))
      ? 'text-generation'
      : 'feature-extraction';
  } catch {
    return 'feature-extraction';
  }
}

/** The model at `dir`, if it is one. */
function modelAt(dir: string, id: string): ModelIndexEntry | null {
  if (existsSync(join(dir, 'resolve', 'main', 'mlc-chat-config.json'))) return { id, runtime: 'webllm' };
  if (!existsSync(join(dir, 'config.json')) || !isDir(join(dir, 'onnx'))) return null;
  const dtypes = readdirSync(join(dir, 'onnx'))
    .map((name) => ONNX_DTYPES[name])
    .filter((d): d is string => d !== undefined)
    .sort();
  if (dtypes.length === 0) return null;
  return { id, runtime: 'transformers', task: taskOf(join(dir, 'config.json')), dtypes };
}

/**
 * Lists the models (one or two folder levels deep: `name/` or `org/name/`) and recordings of a
 * model folder. A folder that does not exist lists nothing.
 */
export function listModelFolder(root: string): ModelIndex {
  const index: ModelIndex = { version: 1, models: [], recordings: [] };
  if (!isDir(root)) return index;
  for (const first of dirs(root)) {
    if (first === 'recordings') {
      index.recordings = readdirSync(join(root, first))
        .filter((name) => name.endsWith('.json'))
        .sort();
      continue;
    }
    if (first === 'libs') continue;
    const top = modelAt(join(root, first), first);
    if (top) {
      index.models.push(top);
      continue;
    }
    for (const second of dirs(join(root, first))) {
      const model = modelAt(join(root, first, second), `${first}/${second}`);
      if (model) index.models.push(model);
    }
  }
  return index;
}
