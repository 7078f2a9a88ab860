/**
 * @file The WebLLM models to offer on this device's GPU, for the Generate picker and the model
 * manager, and whether each is in the browser's cache. WebLLM's own list and cache come from
 * the data worker, so the page never loads the library.
 */
import type { WebGpuReport } from '../domain/device';
import { llmChoices, type LlmChoice } from '../domain/llm-catalog';
import { dataWorker } from '../workers/data-client';

/** Models this GPU can run (none without WebGPU), recommended ones first. */
export async function webllmChoices(gpu: WebGpuReport): Promise<LlmChoice[]> {
  if (!gpu.available) return [];
  return llmChoices(await dataWorker().call('webllmModels', null), gpu.shaderF16);
}

/**
 * Whether a WebLLM model is in the browser's cache (asks the Cache API; downloads nothing).
 * @returns null when the cache cannot be read
 */
export async function webllmCached(modelId: string, folder: string | null): Promise<boolean | null> {
  try {
    return await dataWorker().call('webllmCached', { modelId, folder });
  } catch {
    return null;
  }
}

/** Deletes a WebLLM model from the browser's cache; throws with the reason when it cannot. */
export async function deleteWebllm(modelId: string, folder: string | null): Promise<void> {
  await dataWorker().call('webllmDelete', { modelId, folder });
}
