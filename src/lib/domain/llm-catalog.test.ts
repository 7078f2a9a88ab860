import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { llmChoices, type LlmRecord } from './llm-catalog';

const records: LlmRecord[] = prebuiltAppConfig.model_list.map((r) => ({
  model_id: r.model_id,
  vram_required_MB: r.vram_required_MB,
  required_features: r.required_features,
  model_type: r.model_type,
  context_window_size: r.overrides?.context_window_size,
}));

describe('the WebLLM models offered', () => {
  for (const shaderF16 of [true, false])
    it(`offers each model once, suited ones marked (16-bit shaders: ${shaderF16})`, () => {
      const choices = llmChoices(records, shaderF16);
      expect(choices.length).toBeGreaterThan(10);
      const names = choices.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      // No unquantized or short-context builds: larger or too short for the prompts, never better.
      expect(choices.filter((c) => /-q0f|-1k$/.test(c.id))).toEqual([]);
      expect(choices.every((c) => c.context >= 2048)).toBe(true);
      const suited = choices.filter((c) => c.recommended).map((c) => c.name);
      expect(suited).toContain('Qwen2.5-1.5B-Instruct');
      expect(suited).toContain('gemma-2-2b-it');
      // Code, maths, Japanese and reasoning variants are offered, but not as suited to the job.
      for (const name of suited) expect(name).not.toMatch(/Coder|Math|jpn|DeepSeek|Reasoning|Base|Phi|SmolLM/i);
      expect(choices.find((c) => c.name === 'Qwen2.5-Coder-1.5B-Instruct')?.note).toBe('llm.special');
      expect(choices.filter((c) => c.name === 'Qwen2.5-0.5B-Instruct')).toHaveLength(1);
      expect(choices.find((c) => c.name === 'Qwen2.5-1.5B-Instruct')?.billions).toBe(1.5);
      // Suited ones first, smallest first.
      const firstOther = choices.findIndex((c) => !c.recommended);
      expect(choices.slice(firstOther).some((c) => c.recommended)).toBe(false);
      expect(choices[0]?.recommended).toBe(true);
    });
});
