/**
 * @file Exports a trained head (logistic regression or MLP) as an ONNX model: input
 * `embedding` [batch, dim] → output `probabilities` [batch, labels] (calibrated as the app's
 * are), so the classifier runs in any ONNX runtime after the same sentence encoder. Label names
 * go in the model's metadata.
 */
import onnxProto from 'onnx-proto';
import type { DenseHeadModel } from './dense-head';
import { FLOOR_MARGIN } from './calibration';
import { OnnxGraphBuilder } from './onnx-builder';

/**
 * The top label's map of `ml/calibration.ts` as graph nodes, writing `probabilities`: the top
 * probability m becomes σ(a·(log m − log rest) + b), just above second / (rest + second), and the
 * others are scaled to fill the remainder; rows whose other labels sum to 0 stay as they are.
 */
function topLabelMap(g: OnnxGraphBuilder, p: string, k: number, map: { a: number; b: number }): void {
  const scalar = (name: string, v: number) => g.floatTensor(name, [1], Float32Array.of(v));
  const one = scalar('one', 1);
  const tiny = scalar('tiny', 1e-30);
  const top = g.op('ArgMax', [p], { axis: 1, keepdims: 1 });
  const hot3 = g.op('OneHot', [
    top,
    g.int64Tensor('depth', [1], [k]),
    g.floatTensor('off_on', [2], Float32Array.of(0, 1)),
  ]);
  const hot = g.op('Squeeze', [hot3, g.int64Tensor('axis1', [1], [1])]);
  const others = g.op('Mul', [p, g.op('Sub', [one, hot])]);
  const rest = g.op('ReduceSum', [others, g.int64Tensor('axes', [1], [1])], { keepdims: 1 });
  const second = g.op('ReduceMax', [others], { axes: [1], keepdims: 1 });
  const m = g.op('ReduceMax', [p], { axes: [1], keepdims: 1 });
  const logit = g.op('Sub', [g.op('Log', [g.op('Max', [m, tiny])]), g.op('Log', [g.op('Max', [rest, tiny])])]);
  const raw = g.op('Sigmoid', [g.op('Add', [g.op('Mul', [logit, scalar('a', map.a)]), scalar('b', map.b)])]);
  const floor = g.op('Mul', [
    g.op('Div', [second, g.op('Max', [g.op('Add', [rest, second]), tiny])]),
    scalar('margin', FLOOR_MARGIN),
  ]);
  const mapped = g.op('Max', [raw, floor]);
  const scale = g.op('Div', [g.op('Sub', [one, mapped]), g.op('Max', [rest, tiny])]);
  const out = g.op('Add', [g.op('Mul', [others, scale]), g.op('Mul', [hot, mapped])]);
  g.op('Where', [g.op('Greater', [rest, scalar('zero', 0)]), out, p], {}, 'probabilities');
}

/** ONNX bytes of a head, its calibration included. */
export function headToOnnx(model: DenseHeadModel, encoderId: string | null): Uint8Array {
  const k = model.labels.length;
  const g = new OnnxGraphBuilder('polyclass_head');
  let x = g.input('embedding', 'float32', ['batch_size', model.inputDim]);
  let dim = model.inputDim;
  if (model.hidden > 0) {
    const w1 = g.floatTensor('w1', [model.inputDim, model.hidden], model.w1);
    const b1 = g.floatTensor('b1', [model.hidden], model.b1);
    x = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w1]), b1])]);
    dim = model.hidden;
  }
  // The calibration's temperature scales the logits: softmax(T·log softmax(z)) = softmax(T·z).
  const t = model.calibration?.temperature ?? 1;
  const w2 = g.floatTensor('w2', [dim, k], t === 1 ? model.w2 : model.w2.map((w) => w * t));
  const b2 = g.floatTensor('b2', [k], t === 1 ? model.b2 : model.b2.map((b) => b * t));
  const logits = g.op('Add', [g.op('MatMul', [x, w2]), b2]);
  const confidence = model.calibration?.confidence;
  if (!confidence) g.op('Softmax', [logits], { axis: -1 }, 'probabilities');
  else topLabelMap(g, g.op('Softmax', [logits], { axis: -1 }), k, confidence);
  g.output('probabilities', 'float32', ['batch_size', k]);
  const bytes = g.toBytes('polyclass');
  // Attach label names and the encoder as metadata (key/value strings).
  const decoded = onnxProto.onnx.ModelProto.decode(bytes);
  decoded.metadataProps = [
    { key: 'labels', value: JSON.stringify(model.labels) },
    { key: 'encoder', value: encoderId ?? '' },
    { key: 'input', value: 'mean-pooled, L2-normalized sentence embedding' },
  ];
  return onnxProto.onnx.ModelProto.encode(decoded).finish();
}
