/**
 * @file Which on-device LLMs to offer: WebLLM's prebuilt records filtered by what the device
 * can run (16-bit shaders → q4f16 builds, else q4f32), with multilingual instruct families
 * recommended, smallest first.
 */

/** The fields of a WebLLM model record we use (kept free of the library's types). */
export interface LlmRecord {
  model_id: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  required_features?: string[];
  /** 0 = LLM, 1 = embedding, 2 = vision-language. */
  model_type?: number;
}

export interface LlmChoice {
  id: string;
  /** Display name without the build suffix: `Qwen2.5-1.5B-Instruct`. */
  name: string;
  vramMB: number | null;
  recommended: boolean;
  /** Why it is recommended or not, in a few words (a message). */
  note: 'llm.multilingual' | 'llm.english' | 'llm.untested';
}

/** Instruct families that write many languages well (the paper used Qwen, Gemma and Llama 3.x). */
const MULTILINGUAL = /^(Qwen2\.5|Qwen3|Qwen3\.5|gemma-2|gemma-3|gemma-4|Llama-3\.[123])/i;
const ENGLISH_FOCUSED = /^(SmolLM|TinyLlama|gemma3-1b|Phi-)/i;

/**
 * @param records WebLLM's `prebuiltAppConfig.model_list` (or a custom app config's)
 * @param shaderF16 whether the GPU has 16-bit shaders
 */
export function llmChoices(records: readonly LlmRecord[], shaderF16: boolean): LlmChoice[] {
  return records
    .filter((r) => (r.model_type ?? 0) === 0)
    .filter((r) => /instruct|-it-|chat/i.test(r.model_id) || MULTILINGUAL.test(r.model_id))
    .filter((r) =>
      shaderF16 ? true : !/q4f16|q0f16/.test(r.model_id) && !(r.required_features ?? []).includes('shader-f16'),
    )
    .filter((r) =>
      shaderF16
        ? !/q4f32|q0f32/.test(r.model_id) || !records.some((o) => o.model_id === r.model_id.replace('q4f32', 'q4f16'))
        : true,
    )
    .map((r): LlmChoice => {
      const name = r.model_id.replace(/-(q\d+f\d+(_\d+)?)(-MLC)?(-1k)?$/, '').replace(/-MLC$/, '');
      const recommended = MULTILINGUAL.test(name) && !ENGLISH_FOCUSED.test(name);
      return {
        id: r.model_id,
        name,
        vramMB: r.vram_required_MB ?? null,
        recommended,
        note: recommended ? 'llm.multilingual' : ENGLISH_FOCUSED.test(name) ? 'llm.english' : 'llm.untested',
      };
    })
    .sort((a, b) => Number(b.recommended) - Number(a.recommended) || (a.vramMB ?? Infinity) - (b.vramMB ?? Infinity));
}

/** A WebLLM model record as its app config holds it (the fields we rewrite, and the rest). */
export interface LlmAppRecord extends LlmRecord {
  model: string;
  model_lib: string;
}

/**
 * The WebLLM app config for a model source. From the hub, the prebuilt records as they are.
 * From a model folder (a workshop server), each record points at
 * `<folder>/<model_id>/resolve/main/…` for the weights and `<folder>/libs/<lib>.wasm` for the
 * compiled model library (built for this WebLLM version), so nothing is fetched from outside.
 * @param records WebLLM's prebuilt model list
 * @param folder absolute URL of the model folder, ending in `/`, or null for the hub
 */
export function webllmModelList<R extends LlmAppRecord>(records: readonly R[], folder: string | null): R[] {
  if (!folder) return [...records];
  return records.map((r) => ({
    ...r,
    model: `${folder}${r.model_id}`,
    model_lib: `${folder}libs/${r.model_lib.split('/').pop() ?? r.model_lib}`,
  }));
}
