/**
 * @file Generator backed by transformers.js text generation (ONNX models on wasm or WebGPU):
 * the path for devices without a usable GPU for WebLLM. Streams tokens through TextStreamer
 * and stops on cancel through InterruptableStoppingCriteria. No constrained decoding: the
 * prompt asks for JSON and parse.ts reads what comes back.
 */
import { message } from '../i18n/messages';
import {
  InterruptableStoppingCriteria,
  pipeline,
  TextStreamer,
  type ProgressInfo,
  type TextGenerationPipeline,
} from '@huggingface/transformers';
import { AppError } from '../domain/errors';
import type { LoadProgress, ModelDtype, RuntimeDevice } from '../domain/model-spec';
import type { ChatMessage } from '../domain/prompts';
import type { ModelSource } from '../domain/settings';
import { ChunkQueue, type GenOptions, type GenUsage, type Generator } from './generator';
import { toModelLoadError } from './model-errors';

export interface TransformersGeneratorSpec {
  modelId: string;
  device: RuntimeDevice;
  dtype: ModelDtype;
}

export class TransformersGenerator implements Generator {
  #pipe: TextGenerationPipeline | null = null;

  constructor(
    private readonly spec: TransformersGeneratorSpec,
    private readonly source: ModelSource,
  ) {}

  get id(): string {
    return this.spec.modelId;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.#pipe) return;
    try {
      this.#pipe = (await pipeline('text-generation', this.spec.modelId, {
        device: this.spec.device,
        dtype: this.spec.dtype,
        progress_callback: (info: ProgressInfo) => {
          if (info.status === 'progress')
            onProgress({ file: info.file, loaded: info.loaded, total: info.total, status: 'downloading' });
          else if (info.status === 'done') onProgress({ file: info.file, loaded: 0, total: 0, status: 'done' });
        },
      })) as TextGenerationPipeline;
    } catch (error) {
      throw toModelLoadError(error, this.spec.modelId, this.source);
    }
    if (signal?.aborted) {
      await this.unload();
      throw new AppError('aborted', message('err.cancelled'));
    }
  }

  chat(
    messages: ChatMessage[],
    opts: GenOptions,
    signal?: AbortSignal,
    onUsage?: (u: GenUsage) => void,
  ): AsyncIterable<string> {
    const pipe = this.#pipe;
    if (!pipe) throw new AppError('internal', message('err.generatorNotLoaded'));
    const queue = new ChunkQueue();
    const stopping = new InterruptableStoppingCriteria();
    const onAbort = () => stopping.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    let tokens = 0;
    const streamer = new TextStreamer(pipe.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => queue.push(text),
      token_callback_function: () => {
        tokens++;
      },
    });
    const sample = opts.temperature > 0;
    pipe(messages, {
      max_new_tokens: opts.maxTokens,
      do_sample: sample,
      ...(sample ? { temperature: opts.temperature, top_p: opts.topP } : {}),
      repetition_penalty: opts.repetitionPenalty ?? 1,
      streamer,
      stopping_criteria: stopping,
    })
      .then(() => {
        onUsage?.({ promptTokens: 0, completionTokens: tokens });
        queue.end(signal?.aborted ? new AppError('aborted', message('err.cancelled')) : null);
      })
      .catch((error: unknown) => queue.end(error))
      .finally(() => signal?.removeEventListener('abort', onAbort));
    return queue;
  }

  async unload(): Promise<void> {
    const pipe = this.#pipe;
    this.#pipe = null;
    await pipe?.dispose();
  }
}
