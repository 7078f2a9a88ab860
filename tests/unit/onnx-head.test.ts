/**
 * @file The exported ONNX head gives, in onnxruntime, the probabilities our TypeScript gives,
 * calibration included.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/domain/random';
import { calibrate } from '../../src/lib/ml/calibration';
import { predictDense, trainDenseHead, type DenseHeadModel } from '../../src/lib/ml/dense-head';
import { headToOnnx } from '../../src/lib/ml/onnx-head';

function data(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const xs = Array.from({ length: n }, (_, i) =>
    Float32Array.from({ length: d }, (_, j) => (j === i % 3 ? 1 : 0) + 1.5 * (rng() - 0.5)),
  );
  return { xs, ys: xs.map((_, i) => ['a', 'b', 'c'][i % 3] as string) };
}

/** The largest difference between onnxruntime's probabilities and ours on the first texts. */
async function gap(model: DenseHeadModel, xs: readonly Float32Array[]): Promise<number> {
  const session = await ort.InferenceSession.create(headToOnnx(model, 'org/encoder'));
  const n = Math.min(xs.length, 40);
  const d = model.inputDim;
  const batch = new Float32Array(xs.slice(0, n).flatMap((x) => Array.from(x)));
  const out = await session.run({ embedding: new ort.Tensor('float32', batch, [n, d]) });
  const probs = out.probabilities?.data as Float32Array;
  expect(out.probabilities?.dims).toEqual([n, 3]);
  let max = 0;
  xs.slice(0, n).forEach((x, i) => {
    const ours = calibrate(predictDense(model, x), model.calibration);
    for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs((ours[c] as number) - (probs[i * 3 + c] as number)));
  });
  await session.release();
  return max;
}

describe('ONNX export of heads', () => {
  it.each(['logreg', 'mlp'] as const)('%s: onnxruntime agrees with TypeScript within 1e-5', async (kind) => {
    const { xs, ys } = data(300, 12, 3);
    const model = trainDenseHead(xs, ys, ['a', 'b', 'c'], { kind, hidden: 8, epochs: 20 });
    // 30 held-out samples: the head is calibrated, and the export carries it.
    expect(model.calibration?.fittedOn).toBe('held-out');
    expect(model.calibration?.confidence).not.toBeNull();
    expect(await gap(model, xs)).toBeLessThan(1e-5);
    expect(await gap({ ...model, calibration: undefined }, xs)).toBeLessThan(1e-5);
  });

  it('keeps the top label on top where the map would push it below the second', async () => {
    const { xs, ys } = data(300, 12, 5);
    const model = trainDenseHead(xs, ys, ['a', 'b', 'c'], { kind: 'logreg', epochs: 20 });
    // A map that sends every confidence towards 0.05: the floor decides.
    const harsh = {
      ...model,
      calibration: { temperature: 0.7, confidence: { a: 0.1, b: -3 }, fittedOn: 'held-out' as const, texts: 30 },
    };
    expect(await gap(harsh, xs)).toBeLessThan(1e-5);
    for (const x of xs.slice(0, 20)) {
      const raw = predictDense(model, x);
      const p = calibrate(predictDense(model, x), harsh.calibration);
      const top = raw.indexOf(Math.max(...raw));
      expect(p.indexOf(Math.max(...p))).toBe(top);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });
});
