/**
 * @file The dense heads' matrix kernels: a small WebAssembly module with 128-bit SIMD
 * (`wasm-kernels/kernels.ts`, compiled by `npm run kernels` into `dense-kernels-wasm.ts`), run
 * synchronously in Node, workers and pages alike. Each training run takes its own
 * {@link Workspace}: its own instance and memory, sized once, so runs that interleave in one
 * worker never share buffers and a finished run's memory goes with it.
 */
import { KERNELS_WASM_BASE64 } from './dense-kernels-wasm';

/** The module's exports (addresses are byte offsets into `memory`). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  /** C[m×n] = A[m×k]·B[k×n] (+ C when accumulate is 1). */
  gemmNN(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: number): void;
  /** C[m×n] = A[m×k]·B[n×k]ᵀ (+ bias[n] when its address is not 0). */
  gemmNT(a: number, b: number, c: number, m: number, k: number, n: number, bias: number): void;
  /** C[m×n] = A[k×m]ᵀ·B[k×n] (+ C when accumulate is 1). */
  gemmTN(a: number, b: number, c: number, m: number, k: number, n: number, accumulate: number): void;
  /** x[m×n] += bias on every row, then ReLU when relu is 1. */
  addBias(x: number, bias: number, m: number, n: number, relu: number): void;
  /** d = 0 where h ≤ 0. */
  reluMask(d: number, h: number, len: number): void;
  /** out[n] = column sums of x[m×n]. */
  columnSums(x: number, out: number, m: number, n: number): void;
  /** One Adam step (β₁ 0.9, β₂ 0.999; c1, c2 the bias corrections). */
  adam(
    param: number,
    grad: number,
    m: number,
    v: number,
    len: number,
    lr: number,
    l2: number,
    c1: number,
    c2: number,
  ): void;
}

/** A float32 buffer in a workspace: its address for the kernels and a view for JavaScript. */
export interface Buffer32 {
  ptr: number;
  a: Float32Array;
}

let compiled: WebAssembly.Module | null = null;

/**
 * Chromium compiles a module synchronously on a page's main thread only up to 4 KB; the kernels
 * stay under that (a test checks), so a head could even be trained outside a worker.
 */
export const SYNC_COMPILE_LIMIT = 4096;

/** The compiled module, once per realm. */
function kernelsModule(): WebAssembly.Module {
  if (!compiled) {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

const PAGE = 65536;
const ALIGN = 16;

/** Buffers for one training run, allocated up front in one memory that never grows again. */
export class Workspace {
  readonly k: KernelExports;
  readonly #limit: number;
  /** Address 0 is never handed out: the kernels read it as “no buffer”. */
  #top = ALIGN;

  /**
   * @param floats how many float32 values the run's buffers hold in all
   * @param buffers how many buffers it will allocate (for alignment padding)
   */
  constructor(floats: number, buffers: number) {
    const bytes = floats * 4 + (buffers + 1) * ALIGN;
    const instance = new WebAssembly.Instance(kernelsModule(), {});
    this.k = instance.exports as unknown as KernelExports;
    this.k.memory.grow(Math.ceil(bytes / PAGE) + 1);
    this.#limit = this.k.memory.buffer.byteLength;
  }

  /** A zeroed buffer of `length` floats. */
  alloc(length: number): Buffer32 {
    const ptr = this.#top;
    const end = ptr + length * 4;
    if (end > this.#limit) throw new Error(`Workspace: ${length} floats do not fit`);
    this.#top = Math.ceil(end / ALIGN) * ALIGN;
    return { ptr, a: new Float32Array(this.k.memory.buffer, ptr, length) };
  }
}
