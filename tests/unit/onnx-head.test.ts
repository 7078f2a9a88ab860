/**
 * @file The exported ONNX head gives, in onnxruntime, the probabilities our TypeScript gives.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/domain/random';
import { predictDense, trainDenseHead } from '../../src/lib/ml/dense-head';
import { headToOnnx } from '../../src/lib/ml/onnx-head';

function data(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const xs = Array.from({ length: n }, (_, i) =>
    Float32Array.from({ length: d }, (_, j) => (j === i % 3 ? 1 : 0) + (rng() - 0.5)),
  );
  return { xs, ys: xs.map((_, i) => ['a', 'b', 'c'][i % 3] as string) };
}

describe('ONNX export of heads', () => {
  it.each(['logreg', 'mlp'] as const)('%s: onnxruntime agrees with TypeScript within 1e-5', async (kind) => {
    const { xs, ys } = data(60, 12, 3);
    const model = trainDenseHead(xs, ys, ['a', 'b', 'c'], { kind, hidden: 8, epochs: 20 });
    const session = await ort.InferenceSession.create(headToOnnx(model, 'org/encoder'));
    const batch = new Float32Array(xs.slice(0, 10).flatMap((x) => Array.from(x)));
    const out = await session.run({ embedding: new ort.Tensor('float32', batch, [10, 12]) });
    const probs = out.probabilities?.data as Float32Array;
    expect(out.probabilities?.dims).toEqual([10, 3]);
    let max = 0;
    xs.slice(0, 10).forEach((x, i) => {
      const ours = predictDense(model, x);
      for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs((ours[c] as number) - (probs[i * 3 + c] as number)));
    });
    expect(max).toBeLessThan(1e-5);
    await session.release();
  });
});
