/**
 * @file Which on-device LLMs to offer: WebLLM's prebuilt records filtered by what the device
 * can run (16-bit shaders → q4f16 builds, else q4f32), each model once, with multilingual
 * instruct models (not their code, maths or one-language variants) marked as suited to the
 * job, smallest first.
 */

/** The fields of a WebLLM model record we use (kept free of the library's types). */
export interface LlmRecord {
  model_id: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  required_features?: string[];
  /** 0 = LLM, 1 = embedding, 2 = vision-language. */
  model_type?: number;
  /** The build's context window in tokens (its `overrides`), when it says. */
  context_window_size?: number;
}

export interface LlmChoice {
  id: string;
  /** The model's name without its build: `Qwen2.5-1.5B-Instruct`. */
  name: string;
  /** Weight precision, said plainly (a message): 4-bit, or 16/32-bit unquantized. */
  precision: 'llm.q4' | 'llm.q0';
  /** Context window in tokens (prompt and answer together). */
  context: number;
  vramMB: number | null;
  /** Billions of parameters, read from the name (null when it does not say). */
  billions: number | null;
  /** Suited to the job: a multilingual instruct model of a family that writes many languages. */
  recommended: boolean;
  /** What it is, in a few words (a message). */
  note: 'llm.multilingual' | 'llm.english' | 'llm.special' | 'llm.untested';
}

/** Instruct families that write many languages well (the paper used Qwen, Gemma and Llama 3.x). */
const MULTILINGUAL = /^(Qwen2\.5|Qwen3|Qwen3\.5|gemma-2|gemma-3|gemma-4|Llama-3\.[123])-/i;
/** Variants made for another job: code, maths, one language, reasoning traces, or base models. */
const SPECIAL = /Coder|Math|jpn|DeepSeek-R1|Reasoning|-Base-|WizardMath/i;
const ENGLISH_FOCUSED = /^(SmolLM|TinyLlama|gemma3-1b|Phi-|phi-)/i;

/** The context (in tokens) polyclass's prompts need: a 1k window cuts off prompts with examples. */
export const MIN_CONTEXT = 2048;

/**
 * The models worth offering, each once: WebLLM's text models whose build this GPU runs (16-bit
 * shaders → q4f16, else q4f32), without unquantized (q0) builds (2–3× larger, no better for
 * writing examples) and without short-context builds (too short for the prompts), suited ones
 * first, smallest first.
 * @param records WebLLM's `prebuiltAppConfig.model_list` (or a custom app config's), with
 *   `overrides.context_window_size` where the record has it
 * @param shaderF16 whether the GPU has 16-bit shaders
 */
export function llmChoices(records: readonly LlmRecord[], shaderF16: boolean): LlmChoice[] {
  const seen = new Set<string>();
  return records
    .filter((r) => (r.model_type ?? 0) === 0)
    .filter((r) => /instruct|-it-|chat/i.test(r.model_id) || MULTILINGUAL.test(r.model_id))
    .filter((r) => !/-q0f(16|32)-/.test(r.model_id) && !/-1k$/.test(r.model_id))
    .filter((r) => (r.context_window_size ?? 4096) >= MIN_CONTEXT)
    .filter((r) =>
      shaderF16 ? true : !/q4f16|q3f16/.test(r.model_id) && !(r.required_features ?? []).includes('shader-f16'),
    )
    .filter((r) =>
      shaderF16
        ? !/q4f32/.test(r.model_id) || !records.some((o) => o.model_id === r.model_id.replace('q4f32', 'q4f16'))
        : true,
    )
    .map((r): LlmChoice => {
      const name = r.model_id.replace(/-(q\d+f\d+(_\d+)?)(-MLC)?(-1k)?$/, '').replace(/-MLC$/, '');
      const recommended = MULTILINGUAL.test(name) && !SPECIAL.test(name) && !ENGLISH_FOCUSED.test(name);
      const size = /(?:^|-)(\d+(?:\.\d+)?)B(?:-|$)/i.exec(name);
      return {
        id: r.model_id,
        name,
        precision: /-q0f/.test(r.model_id) ? 'llm.q0' : 'llm.q4',
        context: r.context_window_size ?? 4096,
        vramMB: r.vram_required_MB ?? null,
        billions: size ? Number(size[1]) : null,
        recommended,
        note: recommended
          ? 'llm.multilingual'
          : SPECIAL.test(name)
            ? 'llm.special'
            : ENGLISH_FOCUSED.test(name)
              ? 'llm.english'
              : 'llm.untested',
      };
    })
    .filter((c) => {
      // One entry per model and precision (a build listed twice, e.g. under two library versions).
      const key = `${c.name}\u0000${c.precision}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
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
