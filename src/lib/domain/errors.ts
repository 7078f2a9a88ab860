/**
 * @file Typed errors that survive a worker boundary.
 *
 * Errors are thrown where they happen with a `code` the UI maps to a sentence and an
 * action; across `postMessage` they travel as `{ name, code, message, details }` and are
 * rebuilt on the other side (never `String(err)`).
 */

/** Every error condition the UI knows how to explain. */
export const ERROR_CODES = [
  /** A model folder or hub repository lacks a file the model needs. */
  'model-file-missing',
  /** A model file exists but cannot be used (HTML instead of JSON, corrupt ONNX, …). */
  'model-invalid',
  /** The network failed while downloading a model. */
  'model-network',
  /** Airplane mode (the app's service worker) refused a model download. */
  'model-blocked',
  /** The requested device (e.g. WebGPU) is not available here. */
  'device-unsupported',
  /** The GPU was lost or ran out of memory while a model ran. */
  'device-lost',
  /** Another tab or worker already runs this job. */
  'busy',
  /** The user cancelled. */
  'aborted',
  /** A worker died (out of memory, crashed wasm) and took its work with it. */
  'worker-crashed',
  /** A file the user chose cannot be read as what it claims to be (CSV, JSON, bundle, …). */
  'invalid-file',
  /** Browser storage refused a write because the quota is full. */
  'quota-exceeded',
  /** The task was deleted (in this tab or another) while work was writing to it; nothing more was written. */
  'task-gone',
  /** An LLM server (OpenAI-compatible) did not answer: not running, wrong address, or CORS. */
  'server-unreachable',
  /** An LLM server answered with an error (unknown model, no access, bad request). */
  'server-refused',
  /** Anything we did not anticipate; the message carries the original text. */
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a machine-readable code and optional details (file names, model ids). */
export class AppError extends Error {
  override readonly name = 'AppError';

  /**
   * @param code what went wrong, for the UI to choose a message and action
   * @param message a complete sentence a user can read
   * @param details facts the UI may show (e.g. `{ file: 'tokenizer.json' }`)
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The plain-object form of an error, safe for `postMessage`. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  details: Record<string, string>;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Converts anything thrown into its serializable form, keeping codes of known errors. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) {
    return { name: error.name, code: error.code, message: error.message, details: { ...error.details } };
  }
  if (error instanceof Error) {
    const code =
      error.name === 'AbortError' ? 'aborted' : error.name === 'QuotaExceededError' ? 'quota-exceeded' : 'internal';
    return { name: error.name, code, message: error.message, details: {} };
  }
  return { name: 'Error', code: 'internal', message: String(error), details: {} };
}

/** Anything thrown, as an {@link AppError} (unknown errors become `internal`, with their message). */
export function toAppError(error: unknown): AppError {
  return error instanceof AppError
    ? error
    : new AppError('internal', error instanceof Error ? error.message : String(error));
}

/** Rebuilds an {@link AppError} from its serialized form. */
export function deserializeError(error: SerializedError): AppError {
  return new AppError(isErrorCode(error.code) ? error.code : 'internal', error.message, error.details);
}
