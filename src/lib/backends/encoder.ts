/**
 * @file The Encoder interface: text in, one normalized vector per text out. Implemented by
 * the transformers.js adapter (in a worker or in Node) and by the worker proxy alike, so
 * callers cannot tell them apart.
 */

export interface Encoder {
  /** Model id the vectors come from; part of every cached embedding's key. */
  readonly id: string;
  /** Vector length. */
  readonly dim: number;
  /**
   * Embeds texts (mean-pooled, L2-normalized).
   * @param texts inputs, any length; batched internally
   * @param signal cancels between batches with an `aborted` error
   */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Frees the model's memory. */
  dispose(): Promise<void>;
}
