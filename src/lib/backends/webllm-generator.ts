/**
 * @file Generator backed by WebLLM (MLC models on WebGPU). Thin: it talks to an
 * `MLCEngineInterface` (the real engine in a worker, or a test double), streams the answer's
 * deltas, asks for JSON-schema constrained output, interrupts on cancel, and turns WebGPU
 * failures into messages with a way out (a smaller model, or the CPU path).
 */
import { message } from '../i18n/messages';
import type { ChatCompletionChunk, MLCEngineInterface } from '@mlc-ai/web-llm';
import { AppError } from '../domain/errors';
import type { LoadProgress } from '../domain/model-spec';
import type { ChatMessage } from '../domain/prompts';
import type { GenOptions, GenUsage, Generator } from './generator';

/** Creates (and loads) an engine for a model, reporting WebLLM's init progress (0..1). */
export type EngineFactory = (
  modelId: string,
  onProgress: (progress: number, text: string) => void,
) => Promise<MLCEngineInterface>;

/** Maps WebLLM's and WebGPU's errors to messages a user can act on. */
export function toWebLlmError(error: unknown, modelId: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as { name?: string; message?: string };
  const text = `${e.name ?? ''} ${e.message ?? String(error)}`;
  const cpu = message('webllm.useCpu');
  if (/WebGPUNotAvailable|navigator\.gpu|WebGPU is not supported/i.test(text))
    return new AppError('device-unsupported', message('webllm.noWebgpu', { cpu }), {
      modelId,
    });
  if (/compatible GPU|requestAdapter/i.test(text))
    return new AppError('device-unsupported', message('webllm.noAdapter', { cpu }), { modelId });
  if (/ShaderF16|shader-f16/i.test(text))
    return new AppError('device-unsupported', message('webllm.noF16', { model: modelId }), { modelId });
  if (/maxStorageBufferBindingSize|maxBufferSize|requested .*limit|Cannot initialize runtime/i.test(text))
    return new AppError(
      'device-unsupported',
      message('webllm.limits', { model: modelId, cpu: message('webllm.useCpuLower') }),
      {
        modelId,
      },
    );
  if (/DeviceLost|device was lost|device lost|out of memory|OOM/i.test(text))
    return new AppError('device-lost', message('webllm.lost', { model: modelId }), { modelId });
  if (/QuotaExceeded|quota/i.test(text))
    return new AppError('quota-exceeded', message('webllm.storage', { model: modelId }), {
      modelId,
    });
  // Cache.add() refuses a 404 (a file missing at the model's address) or a failed request.
  if (/on 'Cache'|Request failed/i.test(text))
    return new AppError('model-file-missing', message('webllm.unfetchable', { model: modelId }), { modelId });
  if (/fetch|network/i.test(text))
    return new AppError('model-network', message('webllm.network', { model: modelId }), {
      modelId,
    });
  return new AppError('internal', message('webllm.failed', { model: modelId, error: e.message ?? String(error) }), {
    modelId,
  });
}

export class WebLlmGenerator implements Generator {
  #engine: MLCEngineInterface | null = null;

  constructor(
    readonly id: string,
    private readonly createEngine: EngineFactory,
  ) {}

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.#engine) return;
    try {
      this.#engine = await this.createEngine(this.id, (progress, text) =>
        onProgress({
          file: text,
          loaded: Math.round(progress * 1000),
          total: 1000,
          status: progress >= 1 ? 'done' : 'downloading',
        }),
      );
    } catch (error) {
      throw toWebLlmError(error, this.id);
    }
    if (signal?.aborted) {
      await this.unload();
      throw new AppError('aborted', message('err.cancelled'));
    }
  }

  async *chat(
    messages: ChatMessage[],
    opts: GenOptions,
    signal?: AbortSignal,
    onUsage?: (u: GenUsage) => void,
  ): AsyncIterable<string> {
    const engine = this.#engine;
    if (!engine) throw new AppError('internal', message('webllm.notLoaded'));
    const onAbort = () => engine.interruptGenerate();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const stream = (await engine.chat.completions.create({
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: opts.temperature,
        top_p: opts.topP,
        max_tokens: opts.maxTokens,
        ...(opts.seed !== undefined ? { seed: Math.trunc(opts.seed) } : {}),
        ...(opts.repetitionPenalty ? { repetition_penalty: opts.repetitionPenalty } : {}),
        // WebLLM takes the schema as a string; its OpenAI-style "json_schema" type is rejected.
        ...(opts.jsonSchema
          ? { response_format: { type: 'json_object' as const, schema: JSON.stringify(opts.jsonSchema) } }
          : {}),
      })) as AsyncIterable<ChatCompletionChunk>;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) yield delta;
        if (chunk.usage)
          onUsage?.({ promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens });
        if (chunk.choices[0]?.finish_reason === 'abort' || signal?.aborted)
          throw new AppError('aborted', message('err.cancelled'));
      }
    } catch (error) {
      throw toWebLlmError(error, this.id);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(): Promise<void> {
    const engine = this.#engine;
    this.#engine = null;
    await engine?.unload();
  }
}
