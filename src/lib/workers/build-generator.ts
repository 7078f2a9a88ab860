/**
 * @file Builds the generator a spec names, inside a worker: WebLLM (its 6 MB library loaded
 * only then), transformers.js text generation, or a recording fetched from its address.
 */
import { message } from '../i18n/messages';
import type { Generator } from '../backends/generator';
import { parseRecording, RecordedGenerator } from '../backends/recorded-generator';
import { TransformersGenerator } from '../backends/transformers-generator';
import { configureTransformers, type WasmPaths } from '../backends/transformers-env';
import { WebLlmGenerator } from '../backends/webllm-generator';
import { AppError } from '../domain/errors';
import { webllmModelList } from '../domain/llm-catalog';
import type { GeneratorSpec } from '../domain/model-spec';
import { folderOf, type ModelSource } from '../domain/settings';

export async function buildGenerator(
  spec: GeneratorSpec,
  source: ModelSource,
  wasmPaths?: WasmPaths,
): Promise<Generator> {
  if (spec.kind === 'recorded') {
    if (spec.recording) return new RecordedGenerator(parseRecording(spec.recording, spec.url));
    const response = await fetch(spec.url);
    if (!response.ok)
      throw new AppError('model-file-missing', message('err.recording', { url: spec.url, status: response.status }));
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new AppError('invalid-file', message('err.recordingShape', { url: spec.url }));
    }
    return new RecordedGenerator(parseRecording(json, spec.url));
  }
  if (spec.kind === 'transformers') {
    configureTransformers({ source, wasmPaths });
    return new TransformersGenerator(spec, source);
  }
  return new WebLlmGenerator(spec.modelId, async (modelId, onProgress) => {
    const { CreateMLCEngine, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const appConfig = {
      ...prebuiltAppConfig,
      model_list: webllmModelList(prebuiltAppConfig.model_list, folderOf(source)),
    };
    return CreateMLCEngine(modelId, { appConfig, initProgressCallback: (r) => onProgress(r.progress, r.text) });
  });
}
