/**
 * @file The WebLLM models to offer on this device's GPU, for the Generate picker and the model
 * manager. WebLLM's own list comes from the data worker, so the page never loads the library.
 */
import type { WebGpuReport } from '../domain/device';
import { llmChoices, type LlmChoice } from '../domain/llm-catalog';
import { dataWorker } from '../workers/data-client';

/** Models this GPU can run (none without WebGPU), recommended ones first. */
export async function webllmChoices(gpu: WebGpuReport): Promise<LlmChoice[]> {
  if (!gpu.available) return [];
  return llmChoices(await dataWorker().call('webllmModels', null), gpu.shaderF16);
}
