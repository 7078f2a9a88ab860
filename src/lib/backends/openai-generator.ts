/**
 * @file Generator backed by an OpenAI-compatible chat server (vLLM, llama.cpp's server, Ollama,
 * an API) through the official `openai` client: it retries rate limits (honouring
 * `retry-after`), server errors and dropped connections with backoff, streams answers when asked,
 * and asks for JSON-schema constrained answers (`response_format`) until a server refuses them,
 * then relies on the tolerant parser (decision 022).
 */
import type OpenAI from 'openai';
import { message } from '../i18n/messages';
import { AppError } from '../domain/errors';
import type { LoadProgress } from '../domain/model-spec';
import type { ChatMessage } from '../domain/prompts';
import type { GenOptions, GenUsage, Generator } from './generator';

export interface OpenAiGeneratorOptions {
  /** The API's base address, e.g. `http://localhost:11434/v1`. */
  endpoint: string;
  /** The model name the server knows. */
  model: string;
  /** Sent as a bearer token; servers on this computer need none. */
  apiKey?: string;
  /** Stream answers (the app shows them live); a batch client does better without. */
  stream?: boolean;
  /** Retries of one request (rate limits, server errors, dropped connections). */
  maxRetries?: number;
  /** Longest wait for one answer. */
  timeoutMs?: number;
  /** The client class (the `openai` package's default export), loaded by the caller. */
  client: typeof OpenAI;
}

/** An answer from a server that refuses JSON-schema constrained output. */
const REFUSES_SCHEMA = /response_format|json_schema|json schema|grammar|structured output/i;

/**
 * The error of a failed request, in words, with the server's own message where it gave one.
 * @param client the client class, whose error classes tell a timeout and a cancel apart (class
 *   names do not survive minification)
 */
export function toServerError(error: unknown, endpoint: string, model: string, client: typeof OpenAI): AppError {
  if (error instanceof AppError) return error;
  const e = error as { name?: string; status?: number; message?: string };
  if (e.name === 'AbortError' || error instanceof client.APIUserAbortError)
    return new AppError('aborted', message('err.paused'));
  if (error instanceof client.APIConnectionTimeoutError)
    return new AppError('server-unreachable', message('openai.timeout', { endpoint }), { endpoint });
  if (error instanceof client.APIConnectionError || e.status === undefined)
    return new AppError('server-unreachable', message('openai.unreachable', { endpoint }), { endpoint });
  if (e.status === 401 || e.status === 403)
    return new AppError('server-refused', message('openai.unauthorized', { endpoint, status: e.status }), {
      endpoint,
    });
  if (e.status === 404)
    return new AppError('server-refused', message('openai.notFound', { endpoint, model }), { endpoint, model });
  return new AppError(
    'server-refused',
    message('openai.status', { endpoint, status: e.status, error: e.message ?? '' }),
    { endpoint },
  );
}

export class OpenAiGenerator implements Generator {
  readonly id: string;
  #client: OpenAI;
  /** The server refused `response_format`: later requests ask without it. */
  #schemaRefused = false;

  constructor(private readonly options: OpenAiGeneratorOptions) {
    this.id = options.model;
    this.#client = new options.client({
      baseURL: options.endpoint,
      apiKey: options.apiKey || 'none',
      maxRetries: options.maxRetries ?? 4,
      timeout: options.timeoutMs ?? 10 * 60_000,
      // A page talking to a server on its own computer: no secret key is exposed.
      dangerouslyAllowBrowser: true,
    });
  }

  /** Whether later requests ask for JSON-schema constrained answers. */
  get constrained(): boolean {
    return !this.#schemaRefused;
  }

  /**
   * Checks that the server answers and knows the model (servers without a model list pass).
   * Nothing is downloaded: the model lives on the server.
   */
  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const { endpoint, model } = this.options;
    let names: string[];
    try {
      const list = await this.#client.models.list({ signal, maxRetries: 1 });
      names = list.data.map((m) => m.id);
    } catch (error) {
      const e = toServerError(error, endpoint, model, this.options.client);
      // A server without `/models` (404) may still chat.
      if (e.code === 'server-refused' && (error as { status?: number }).status === 404) names = [];
      else throw e;
    }
    if (names.length > 0 && !names.includes(model))
      throw new AppError(
        'server-refused',
        message('openai.noModel', { endpoint, model, models: names.slice(0, 10).join(', ') }),
        { endpoint, model },
      );
    onProgress({ file: endpoint, loaded: 1, total: 1, status: 'ready' });
  }

  async *chat(
    messages: ChatMessage[],
    opts: GenOptions,
    signal?: AbortSignal,
    onUsage?: (u: GenUsage) => void,
  ): AsyncIterable<string> {
    const { endpoint, model, stream } = this.options;
    const body = {
      model,
      messages,
      temperature: opts.temperature,
      top_p: opts.topP,
      max_tokens: opts.maxTokens,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    };
    const format = (): { response_format?: OpenAI.ResponseFormatJSONSchema } =>
      opts.jsonSchema && !this.#schemaRefused
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'answer', schema: opts.jsonSchema as Record<string, unknown> },
            },
          }
        : {};
    for (;;) {
      try {
        if (stream) {
          const chunks = await this.#client.chat.completions.create(
            { ...body, ...format(), stream: true, stream_options: { include_usage: true } },
            { signal },
          );
          for await (const chunk of chunks) {
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) yield delta;
            if (chunk.usage)
              onUsage?.({ promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens });
          }
        } else {
          const answer = await this.#client.chat.completions.create({ ...body, ...format() }, { signal });
          const text = answer.choices[0]?.message?.content ?? '';
          if (answer.usage)
            onUsage?.({ promptTokens: answer.usage.prompt_tokens, completionTokens: answer.usage.completion_tokens });
          if (text) yield text;
        }
        return;
      } catch (error) {
        const status = (error as { status?: number }).status;
        // A server that does not do constrained output says so with a 400 or 422: ask again without.
        if (
          !this.#schemaRefused &&
          opts.jsonSchema &&
          (status === 400 || status === 422) &&
          REFUSES_SCHEMA.test((error as Error).message)
        ) {
          this.#schemaRefused = true;
          continue;
        }
        throw toServerError(error, endpoint, model, this.options.client);
      }
    }
  }

  async unload(): Promise<void> {
    // The model stays on the server.
  }
}
