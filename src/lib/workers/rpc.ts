/**
 * @file A typed request/response channel between the page and a worker.
 *
 * Each worker declares a request map `{ kind: { req; res; progress } }`; `call` is typed
 * by it end to end. Every message carries `type` and `id`; progress is its own message
 * kind with the request id; cancelling sends `cancel` and the handler sees an aborted
 * signal. Errors cross as {@link SerializedError} and are rebuilt as {@link AppError}.
 */
import { AppError, deserializeError, serializeError, type SerializedError } from '../domain/errors';
import { isUiLanguage, message, messageLanguage, useLanguage, type MessageKey } from '../i18n/messages';

/** Shape of a worker's request map. */
export type RequestMap = Record<string, { req: unknown; res: unknown; progress: unknown }>;

/** Message kinds, as constants (never bare strings at call sites). */
export const RpcMessage = {
  call: 'call',
  cancel: 'cancel',
  result: 'result',
  error: 'error',
  progress: 'progress',
} as const;

export type ToWorker<R extends RequestMap> =
  | {
      [K in keyof R & string]: {
        type: typeof RpcMessage.call;
        id: number;
        kind: K;
        payload: R[K]['req'];
        /** The page's UI language: messages the worker writes follow it. */
        language?: string;
      };
    }[keyof R & string]
  | { type: typeof RpcMessage.cancel; id: number };

export type FromWorker =
  | { type: typeof RpcMessage.result; id: number; payload: unknown }
  | { type: typeof RpcMessage.error; id: number; error: SerializedError }
  | { type: typeof RpcMessage.progress; id: number; payload: unknown };

/** What a handler gets besides its request. */
export interface HandlerContext<P> {
  signal: AbortSignal;
  progress(p: P): void;
  /** Buffers to move (not copy) with the result. */
  transfer(...buffers: Transferable[]): void;
}

export type Handlers<R extends RequestMap> = {
  [K in keyof R]: (req: R[K]['req'], ctx: HandlerContext<R[K]['progress']>) => Promise<R[K]['res']>;
};

/** The part of a worker scope (or a MessagePort) the server needs. */
export interface ServerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

/**
 * Serves handlers in a worker: `serve(self, handlers)`.
 * @param scope the worker's global scope
 * @param handlers one async function per request kind
 */
export function serve<R extends RequestMap>(scope: ServerScope, handlers: Handlers<R>): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as ToWorker<R>;
    if (msg.type === RpcMessage.cancel) {
      running.get(msg.id)?.abort();
      return;
    }
    if (msg.type !== RpcMessage.call) return;
    const controller = new AbortController();
    running.set(msg.id, controller);
    const transfers: Transferable[] = [];
    const ctx: HandlerContext<unknown> = {
      signal: controller.signal,
      progress: (payload) =>
        scope.postMessage({ type: RpcMessage.progress, id: msg.id, payload } satisfies FromWorker, []),
      transfer: (...buffers) => transfers.push(...buffers),
    };
    const handler = handlers[msg.kind] as (req: unknown, ctx: HandlerContext<unknown>) => Promise<unknown>;
    const language = msg.language;
    Promise.resolve()
      .then(() => (language && isUiLanguage(language) ? useLanguage(language) : undefined))
      .then(() => handler(msg.payload, ctx))
      .then(
        (payload) =>
          scope.postMessage({ type: RpcMessage.result, id: msg.id, payload } satisfies FromWorker, transfers),
        (error: unknown) =>
          scope.postMessage(
            { type: RpcMessage.error, id: msg.id, error: serializeError(error) } satisfies FromWorker,
            [],
          ),
      )
      .finally(() => running.delete(msg.id));
  });
}

/** The part of a Worker the client needs (a MessagePort in tests). */
export interface ClientEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: Event) => void): void;
  terminate?(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: AppError): void;
  onProgress?: (p: unknown) => void;
}

export interface CallOptions<P> {
  signal?: AbortSignal;
  onProgress?: (p: P) => void;
  transfer?: Transferable[];
}

/** The page's side: typed calls, progress, cancel, and a clear error when the worker dies. */
export class RpcClient<R extends RequestMap> {
  readonly #endpoint: ClientEndpoint;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: AppError | null = null;

  /**
   * @param endpoint a Worker
   * @param name the message naming the worker (`worker.embedding`: "The embedding worker")
   */
  constructor(
    endpoint: ClientEndpoint,
    readonly name: MessageKey & `worker.${string}`,
  ) {
    this.#endpoint = endpoint;
    endpoint.addEventListener('message', (e: MessageEvent) => this.#onMessage(e.data as FromWorker));
    endpoint.addEventListener('error', (e: Event) => {
      const text = (e as Partial<ErrorEvent>).message;
      const detail = typeof text === 'string' && text ? ` (${text})` : '';
      this.#fail(new AppError('worker-crashed', message('err.workerCrashed', { name: message(name), detail })));
    });
  }

  /** Whether a call is waiting for its answer. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Whether the worker has crashed; calls then fail at once. */
  get crashed(): boolean {
    return this.#dead !== null;
  }

  /**
   * Sends a request and resolves with its result.
   * @param kind request kind
   * @param req request payload
   * @param options progress callback, abort signal, buffers to transfer
   */
  call<K extends keyof R & string>(
    kind: K,
    req: R[K]['req'],
    options: CallOptions<R[K]['progress']> = {},
  ): Promise<R[K]['res']> {
    if (this.#dead) return Promise.reject(this.#dead);
    const { signal, onProgress, transfer = [] } = options;
    if (signal?.aborted) return Promise.reject(new AppError('aborted', message('err.cancelled')));
    const id = this.#nextId++;
    return new Promise<R[K]['res']>((resolve, reject) => {
      const onAbort = () => this.#endpoint.postMessage({ type: RpcMessage.cancel, id }, []);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as R[K]['res']);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        onProgress: onProgress as ((p: unknown) => void) | undefined,
      });
      this.#endpoint.postMessage(
        { type: RpcMessage.call, id, kind, payload: req, language: messageLanguage() },
        transfer,
      );
    });
  }

  /** Stops the worker; pending calls fail with `aborted`. */
  terminate(): void {
    this.#endpoint.terminate?.();
    this.#fail(new AppError('aborted', message('err.workerStopped', { name: message(this.name) })));
  }

  #onMessage(msg: FromWorker): void {
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    if (msg.type === RpcMessage.progress) {
      pending.onProgress?.(msg.payload);
      return;
    }
    this.#pending.delete(msg.id);
    if (msg.type === RpcMessage.result) pending.resolve(msg.payload);
    else pending.reject(deserializeError(msg.error));
  }

  #fail(error: AppError): void {
    this.#dead = error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }
}
