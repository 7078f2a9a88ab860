/**
 * @file WebLLM's own cache, asked through the library with the same app config the worker loads
 * with (the hub's addresses, or the model folder's): is a model there, delete it, and which
 * runtime library (`.wasm`) a model needs. Imports the 6 MB library only when called, and only in
 * the data worker (`webllm*` requests), so the page never parses it for a model list.
 */
import { webllmModelList, type LlmRecord } from '../domain/llm-catalog';

/** WebLLM's app config for a model source. */
export async function webllmAppConfig(folder: string | null) {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return { ...prebuiltAppConfig, model_list: webllmModelList(prebuiltAppConfig.model_list, folder) };
}

/** WebLLM's own model list, as plain records (what the pickers need). */
export async function webllmRecords(): Promise<LlmRecord[]> {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return prebuiltAppConfig.model_list.map((r) => ({
    model_id: r.model_id,
    vram_required_MB: r.vram_required_MB,
    low_resource_required: r.low_resource_required,
    required_features: r.required_features,
    model_type: r.model_type,
    context_window_size: r.overrides?.context_window_size,
  }));
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
