/**
 * @file Exports a trained head (logistic regression or MLP) as an ONNX model: input
 * `embedding` [batch, dim] → output `probabilities` [batch, labels], so the classifier runs in
 * any ONNX runtime after the same sentence encoder. Label names go in the model's metadata.
 */
import onnxProto from 'onnx-proto';
import type { DenseHeadModel } from './dense-head';
import { OnnxGraphBuilder } from './onnx-builder';

/** ONNX bytes of a head. */
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
  const w2 = g.floatTensor('w2', [dim, k], model.w2);
  const b2 = g.floatTensor('b2', [k], model.b2);
  g.op('Softmax', [g.op('Add', [g.op('MatMul', [x, w2]), b2])], { axis: -1 }, 'probabilities');
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
