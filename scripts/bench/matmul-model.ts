/**
 * @file The embedding benchmark's raw MatMul [m×k]·[k×n] as an ONNX graph, built the same way in
 * Node and in the browser worker (fixed weights, so both run the identical model).
 */
import { OnnxGraphBuilder } from '../../src/lib/ml/onnx-builder';

export interface MatmulShape {
  m: number;
  k: number;
  n: number;
  /** Timed runs after one warm-up. */
  reps: number;
}

export function matmulModel({ m, k, n }: MatmulShape): Uint8Array {
  const g = new OnnxGraphBuilder('bench-matmul');
  const x = g.input('x', 'float32', [m, k]);
  const w = g.floatTensor(
    'w',
    [k, n],
    new Float32Array(k * n).map((_, i) => Math.cos(i) * 0.05),
  );
  g.op('MatMul', [x, w], {}, 'y');
  g.output('y', 'float32', [m, n]);
  return g.toBytes();
}

/** The input fed to it. */
export const matmulInput = ({ m, k }: MatmulShape) => new Float32Array(m * k).map((_, i) => Math.sin(i));

/** Milliseconds of each of `reps` runs, after one warm-up run. */
export async function timeRuns(run: () => Promise<unknown>, reps: number): Promise<number[]> {
  await run();
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}
