/**
 * @file Turns what transformers.js and onnxruntime throw while loading a model into
 * {@link AppError}s whose message says what is wrong and what to do, in plain words.
 */
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
  const message = error instanceof Error ? error.message : String(error);
  const where = describeModelLocation(source, modelId);
  const path = missingPath(message);
  if (path !== null) {
    const file = fileWithinModel(path, modelId);
    const fix =
      source.kind === 'folder'
        ? 'Copy the complete model folder there, or switch the model source to the Hugging Face hub in Settings.'
        : 'Check the model id, or use a model folder in Settings if this model is not on the hub.';
    return new AppError('model-file-missing', `The model ${modelId} is missing the file ${file} in ${where}. ${fix}`, {
      modelId,
      file,
    });
  }
  if (/Unexpected token|is not valid JSON|JSON\.parse/i.test(message)) {
    return new AppError(
      'model-invalid',
      `A file of the model ${modelId} in ${where} is not valid JSON. The server may have answered with a web page instead of the file; check that the folder holds the model's files.`,
      { modelId },
    );
  }
  if (/Unsupported device|webgpu is not available|no available backend/i.test(message)) {
    return new AppError(
      'device-unsupported',
      `This browser cannot run ${modelId} on the chosen device (${message}). Choose "CPU (wasm)" in Settings.`,
      { modelId },
    );
  }
  if (/Failed to fetch|NetworkError|network error|Load failed/i.test(message)) {
    return new AppError(
      'model-network',
      `The model ${modelId} could not be downloaded from ${where}: the network failed. Check the connection, or use a model folder for offline work.`,
      { modelId },
    );
  }
  if (/protobuf|Can't create a session|failed to load model|ERROR_CODE/i.test(message)) {
    return new AppError('model-invalid', `The ONNX file of ${modelId} in ${where} could not be opened (${message}).`, {
      modelId,
    });
  }
  return new AppError('internal', `Loading ${modelId} from ${where} failed: ${message}`, { modelId });
}
