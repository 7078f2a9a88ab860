/**
 * @file Turns what transformers.js and onnxruntime throw while loading a model into
 * {@link AppError}s whose message says what is wrong and what to do, in plain words.
 */
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import type { ModelSource } from '../domain/settings';
import { describeModelLocation } from './transformers-env';

/** Pulls the quoted path or URL out of transformers.js' "file not found" messages. */
function missingPath(message: string): string | null {
  const quoted = /(?:not found locally at|Could not locate file:)\s*"([^"]+)"/.exec(message);
  return quoted?.[1] ?? null;
}

/** The part of `path` after the model id, e.g. `onnx/model.onnx`. */
function fileWithinModel(path: string, modelId: string): string {
  const at = path.indexOf(`${modelId}/`);
  let rel = at >= 0 ? path.slice(at + modelId.length + 1) : (path.split('/').pop() ?? path);
  rel = rel.replace(/^resolve\/[^/]+\//, '');
  return decodeURIComponent(rel);
}

/**
 * @param error what the library threw
 * @param modelId the model being loaded
 * @param source where it was loaded from
 */
export function toModelLoadError(error: unknown, modelId: string, source: ModelSource): AppError {
  if (error instanceof AppError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const where = describeModelLocation(source, modelId);
  const path = missingPath(text);
  if (path !== null) {
    const file = fileWithinModel(path, modelId);
    const fix = message(source.kind === 'folder' ? 'model.fixFolder' : 'model.fixHub');
    return new AppError('model-file-missing', message('model.missing', { model: modelId, file, where, fix }), {
      modelId,
      file,
    });
  }
  if (/Unexpected token|is not valid JSON|JSON\.parse/i.test(text)) {
    return new AppError('model-invalid', message('model.badJson', { model: modelId, where }), { modelId });
  }
  if (/Unsupported device|webgpu is not available|no available backend/i.test(text)) {
    return new AppError('device-unsupported', message('model.device', { model: modelId, error: text }), { modelId });
  }
  // Airplane mode's service worker answers every download with 503 "Airplane mode".
  if (/Service unavailable|Airplane mode|\b503\b/i.test(text)) {
    return new AppError('model-blocked', message('model.blocked', { model: modelId, where }), { modelId });
  }
  if (/Failed to fetch|NetworkError|network error|Load failed/i.test(text)) {
    return new AppError('model-network', message('model.network', { model: modelId, where }), { modelId });
  }
  if (/protobuf|Can't create a session|failed to load model|ERROR_CODE/i.test(text)) {
    return new AppError('model-invalid', message('model.onnx', { model: modelId, where, error: text }), {
      modelId,
    });
  }
  return new AppError('internal', message('model.failed', { model: modelId, where, error: text }), { modelId });
}
