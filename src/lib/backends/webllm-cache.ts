/**
 * @file WebLLM's own cache, asked through the library with the same app config the worker loads
 * with (the hub's addresses, or the model folder's): is a model there, delete it, and which
 * runtime library (`.wasm`) a model needs. Imports the 6 MB library only when called.
 */
import { webllmModelList } from '../domain/llm-catalog';

/** WebLLM's app config for a model source. */
export async function webllmAppConfig(folder: string | null) {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return { ...prebuiltAppConfig, model_list: webllmModelList(prebuiltAppConfig.model_list, folder) };
}

/** Whether a WebLLM model's weights are all in the browser's cache (nothing is downloaded). */
export async function isWebLlmCached(modelId: string, folder: string | null): Promise<boolean> {
  const { hasModelInCache } = await import('@mlc-ai/web-llm');
  return hasModelInCache(modelId, await webllmAppConfig(folder));
}

/** Deletes a WebLLM model's weights, tokenizer, runtime library and config from the cache. */
export async function deleteWebLlmModel(modelId: string, folder: string | null): Promise<void> {
  const { deleteModelAllInfoInCache } = await import('@mlc-ai/web-llm');
  await deleteModelAllInfoInCache(modelId, await webllmAppConfig(folder));
}
