import type { ChatCompletionChunk, MLCEngineInterface } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { llmChoices, webllmModelList } from '../domain/llm-catalog';
import { collect } from './generator';
import { toWebLlmError, WebLlmGenerator } from './webllm-generator';

/** An MLCEngineInterface double: streams given chunks, records requests, honours interrupt. */
function engineDouble(chunks: string[], options: { failWith?: Error; slow?: boolean } = {}) {
  const requests: Record<string, unknown>[] = [];
  let interrupted = false;
  const engine = {
    chat: {
      completions: {
        async create(request: Record<string, unknown>) {
          requests.push(request);
          if (options.failWith) throw options.failWith;
          return (async function* (): AsyncGenerator<ChatCompletionChunk> {
            for (const content of chunks) {
              if (options.slow) await new Promise((r) => setTimeout(r, 5));
              const finish = interrupted ? 'abort' : null;
              yield {
                choices: [{ delta: { content }, finish_reason: finish, index: 0 }],
              } as unknown as ChatCompletionChunk;
              if (interrupted) return;
            }
            yield {
              choices: [],
              usage: { prompt_tokens: 12, completion_tokens: chunks.length },
            } as unknown as ChatCompletionChunk;
          })();
        },
      },
    },
    interruptGenerate: () => {
      interrupted = true;
    },
    unload: async () => undefined,
  } as unknown as MLCEngineInterface;
  return { engine, requests };
}

const OPTS = {
  temperature: 0.4,
  topP: 0.9,
  maxTokens: 256,
  seed: 7.9,
  repetitionPenalty: 1.2,
  jsonSchema: { type: 'object' },
};

describe('WebLlmGenerator at the MLCEngineInterface boundary', () => {
  it('streams deltas, reports usage and asks for schema-constrained JSON with WebLLM’s conventions', async () => {
    const { engine, requests } = engineDouble(['{"texts": ', '["Habari"', ']}']);
    const progress: number[] = [];
    const gen = new WebLlmGenerator('Qwen2.5-1.5B-Instruct-q4f16_1-MLC', async (_id, onProgress) => {
      onProgress(0.5, 'Fetching param cache[3/6]');
      onProgress(1, 'Finish loading');
      return engine;
    });
    await gen.load((p) => progress.push(p.loaded));
    expect(progress).toEqual([500, 1000]);
    let usage = null;
    const text = await collect(gen.chat([{ role: 'user', content: 'hi' }], OPTS, undefined, (u) => (usage = u)));
    expect(text).toBe('{"texts": ["Habari"]}');
    expect(usage).toEqual({ promptTokens: 12, completionTokens: 3 });
    expect(requests[0]).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.4,
      top_p: 0.9,
      max_tokens: 256,
      seed: 7,
      repetition_penalty: 1.2,
      response_format: { type: 'json_object', schema: '{"type":"object"}' },
    });
  });

  it('interrupts the engine on cancel and ends with an aborted error', async () => {
    const { engine } = engineDouble(['a', 'b', 'c', 'd', 'e', 'f'], { slow: true });
    const gen = new WebLlmGenerator('m', async () => engine);
    await gen.load(() => undefined);
    const controller = new AbortController();
    const seen: string[] = [];
    const run = collect(gen.chat([{ role: 'user', content: 'x' }], OPTS, controller.signal), (c) => {
      seen.push(c);
      if (seen.length === 2) controller.abort();
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.length).toBeLessThan(6);
  });

  it('turns engine errors into messages with a way out', async () => {
    const lost = new WebLlmGenerator(
      'big-model',
      async () => engineDouble([], { failWith: new Error('GPUDeviceLostInfo: device was lost') }).engine,
    );
    await lost.load(() => undefined);
    await expect(collect(lost.chat([], OPTS))).rejects.toMatchObject({
      code: 'device-lost',
      message: expect.stringContaining('smaller model'),
    });
    const noGpu = new WebLlmGenerator('m', async () => {
      throw Object.assign(new Error('WebGPU is not supported in your current environment'), {
        name: 'WebGPUNotAvailableError',
      });
    });
    await expect(noGpu.load(() => undefined)).rejects.toMatchObject({
      code: 'device-unsupported',
      message: expect.stringContaining('CPU generator'),
    });
    expect(toWebLlmError(new Error('ShaderF16SupportError'), 'x-q4f16_1-MLC').message).toContain(
      'Choose a q4f32 model',
    );
    expect(
      toWebLlmError(new Error('Cannot initialize runtime because of requested maxStorageBufferBindingSize'), 'm').code,
    ).toBe('device-unsupported');
    // What Cache.add() throws in Chromium for a 404 at the model's address.
    const missing = toWebLlmError(new TypeError("Failed to execute 'add' on 'Cache': Request failed"), 'm');
    expect(missing.code).toBe('model-file-missing');
    expect(missing.message).toContain('a file is missing at its address');
  });
});

describe('llmChoices', () => {
  const records = [
    { model_id: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC', vram_required_MB: 1630 },
    { model_id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1889 },
    { model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', vram_required_MB: 1129 },
    { model_id: 'SmolLM2-360M-Instruct-q4f16_1-MLC', vram_required_MB: 376 },
    { model_id: 'snowflake-arctic-embed-m-q0f32-MLC-b32', model_type: 1 },
  ];

  it('offers q4f16 builds with 16-bit shaders, recommending multilingual models first', () => {
    expect(llmChoices(records, true).map((c) => [c.id, c.recommended])).toEqual([
      ['Llama-3.2-1B-Instruct-q4f32_1-MLC', true],
      ['Qwen2.5-1.5B-Instruct-q4f16_1-MLC', true],
      ['SmolLM2-360M-Instruct-q4f16_1-MLC', false],
    ]);
  });

  it('offers only q4f32 builds without them', () => {
    expect(llmChoices(records, false).map((c) => c.id)).toEqual([
      'Llama-3.2-1B-Instruct-q4f32_1-MLC',
      'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
    ]);
  });

  it('works on WebLLM’s real prebuilt list', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const choices = llmChoices(prebuiltAppConfig.model_list, false);
    expect(choices.length).toBeGreaterThan(5);
    expect(choices[0]?.recommended).toBe(true);
    expect(choices.every((c) => !c.id.includes('q4f16'))).toBe(true);
    expect(choices.some((c) => c.name === 'Qwen2.5-1.5B-Instruct')).toBe(true);
  });
});

describe('webllmModelList', () => {
  const records = [
    {
      model_id: 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
      model: 'https://huggingface.co/mlc-ai/Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
      model_lib:
        'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/Qwen2-1.5B-Instruct-q4f32_1-ctx4k_cs1k-webgpu.wasm',
      vram_required_MB: 1889,
    },
  ];

  it('keeps the hub records, and points them at the model folder for offline use', () => {
    expect(webllmModelList(records, null)).toEqual(records);
    expect(webllmModelList(records, 'http://localhost:8080/models/')[0]).toEqual({
      ...records[0],
      model: 'http://localhost:8080/models/Qwen2.5-1.5B-Instruct-q4f32_1-MLC',
      model_lib: 'http://localhost:8080/models/libs/Qwen2-1.5B-Instruct-q4f32_1-ctx4k_cs1k-webgpu.wasm',
    });
  });
});
