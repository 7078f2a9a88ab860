/**
 * @file Builds the generator a spec names, inside a worker: WebLLM (its 6 MB library loaded
 * only then), transformers.js text generation, a recording fetched from its address, or an
 * OpenAI-compatible server on this computer (the `openai` client loaded only then).
 */
import { message } from '../i18n/messages';
import type { Generator } from '../backends/generator';
import { parseRecording, RecordedGenerator } from '../backends/recorded-generator';
import { TransformersGenerator } from '../backends/transformers-generator';
import { configureTransformers, type OrtRuntimes } from '../backends/transformers-env';
import { WebLlmGenerator } from '../backends/webllm-generator';
import { OpenAiGenerator } from '../backends/openai-generator';
import { endpointProblem } from '../domain/local-server';
import { AppError } from '../domain/errors';
import { webllmModelList } from '../domain/llm-catalog';
import type { GeneratorSpec } from '../domain/model-spec';
import { folderOf, type ModelSource } from '../domain/settings';

export async function buildGenerator(
  spec: GeneratorSpec,
  source: ModelSource,
  wasmPaths?: OrtRuntimes,
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
  if (spec.kind === 'openai') {
    // The app's promise: nothing leaves this computer (the CLI builds its own, to any address).
    if (endpointProblem(spec.endpoint) !== null)
      throw new AppError('server-refused', message('openai.remote', { endpoint: spec.endpoint }));
    const { default: OpenAI } = await import('openai');
    return new OpenAiGenerator({ endpoint: spec.endpoint, model: spec.model, stream: true, client: OpenAI });
  }
  if (spec.kind === 'transformers') {
    configureTransformers({ source, wasmPaths, device: spec.device });
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
