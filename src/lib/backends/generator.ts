/**
 * @file The Generator interface: chat messages in, streamed text out. Implemented by WebLLM
 * (GPU), transformers.js text generation (CPU or GPU) and a recorded-responses generator (for
 * demos and tests), each usable in a worker, so callers cannot tell them apart.
 */
import type { LoadProgress } from '../domain/model-spec';
import type { ChatMessage } from '../domain/prompts';

export interface GenOptions {
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Integer seed for engines that accept one. */
  seed?: number;
  /** Penalizes repeated tokens (the seed recipe uses 1.2). */
  repetitionPenalty?: number;
  /** JSON schema the answer must follow, where the engine can constrain decoding. */
  jsonSchema?: object;
}

/** Usage of one answer, where the engine reports it. */
export interface GenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface Generator {
  /** Model id, stored on every sample it writes. */
  readonly id: string;
  /** Downloads (or finds in the cache) and initializes the model. */
  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  /**
   * Streams the answer to a chat.
   * @param onUsage called once at the end with token counts, when known
   */
  chat(
    messages: ChatMessage[],
    opts: GenOptions,
    signal?: AbortSignal,
    onUsage?: (u: GenUsage) => void,
  ): AsyncIterable<string>;
  unload(): Promise<void>;
  /**
   * How many more answers it has for a label in a language (the task's language name), for a
   * generator that only holds so many (a replay); absent: as many as asked (a model). A job
   * stops asking for a cell at 0 and says the generator ran out, instead of retrying it.
   */
  remaining?(label: string, language: string): number;
}

/** Collects a streamed answer into one string. */
export async function collect(stream: AsyncIterable<string>, onChunk?: (chunk: string) => void): Promise<string> {
  let out = '';
  for await (const chunk of stream) {
    out += chunk;
    onChunk?.(chunk);
  }
  return out;
}

/**
 * A push-to-pull queue: a library's callbacks push chunks, the consumer iterates.
 * Used to turn callback streaming (transformers.js TextStreamer) into an AsyncIterable.
 */
export class ChunkQueue implements AsyncIterable<string> {
  readonly #items: string[] = [];
  #done = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;

  push(chunk: string): void {
    this.#items.push(chunk);
    this.#wake?.();
  }

  end(error: unknown = null): void {
    this.#done = true;
    this.#error = error;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const next = this.#items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#done) {
        if (this.#error) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }
}
