/**
 * @file A small typed builder for ONNX graphs, written with `onnx-proto`.
 *
 * Used to write the tiny test models (tests/fixtures) and, later, to export trained
 * classifier heads as ONNX. It only covers what we need: float32/int64 initializers,
 * nodes with int/ints/float attributes, and typed graph inputs/outputs with symbolic dims.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX IR version matching onnx 1.10 (the schema onnx-proto ships). */
export const IR_VERSION = 8;
/** Default-domain opset; 13 has every op we use (Gather, MatMul, Reshape with 0-dims, Unsqueeze with axes input). */
export const OPSET = 13;

/** Element types we write. */
export type ElementType = 'float32' | 'int64';

/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/** Attribute values a node may carry. */
export type AttributeValue = number | number[] | { float: number };

const DATA_TYPE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
};

function valueInfo(name: string, type: ElementType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  return { name, type: T.FLOAT, f: value.float };
}

/** Accumulates nodes, initializers and graph I/O, then serializes a ModelProto. */
export class OnnxGraphBuilder {
  readonly #nodes: onnxProto.onnx.INodeProto[] = [];
  readonly #initializers: onnxProto.onnx.ITensorProto[] = [];
  readonly #inputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly #outputs: onnxProto.onnx.IValueInfoProto[] = [];
  #counter = 0;

  /**
   * @param name graph name, stored in the model
   */
  constructor(readonly name: string) {}

  /** Declares a graph input. */
  input(name: string, type: ElementType, dims: Dim[]): string {
    this.#inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output (the value must be produced by a node). */
  output(name: string, type: ElementType, dims: Dim[]): string {
    this.#outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Adds a float32 constant tensor, stored little-endian as raw bytes. */
  floatTensor(name: string, dims: number[], data: Float32Array): string {
    if (data.length !== dims.reduce((a, b) => a * b, 1)) {
      throw new Error(`Tensor ${name}: ${data.length} values do not fill shape [${dims.join(', ')}]`);
    }
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.#initializers.push({ name, dims, dataType: DATA_TYPE.float32, rawData: bytes });
    return name;
  }

  /** Adds an int64 constant tensor (shapes, axes, indices). */
  int64Tensor(name: string, dims: number[], data: number[]): string {
    const bytes = new Uint8Array(data.length * 8);
    const view = new DataView(bytes.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.#initializers.push({ name, dims, dataType: DATA_TYPE.int64, rawData: bytes });
    return name;
  }

  /**
   * Adds a node and returns the names of its outputs.
   * @param opType ONNX operator, e.g. `MatMul`
   * @param inputs input value names
   * @param attributes operator attributes
   * @param outputs explicit output names; generated when omitted
   */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputs: string[] = [`${opType.toLowerCase()}_${this.#counter}`],
  ): string[] {
    this.#nodes.push({
      opType,
      name: `${opType}_${this.#counter++}`,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** Single-output shorthand for {@link node}. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    const [out] = this.node(opType, inputs, attributes, output ? [output] : undefined);
    return out as string;
  }

  /** Serializes the model to ONNX protobuf bytes. */
  toBytes(producer = 'polyclass'): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: producer,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.#nodes,
        initializer: this.#initializers,
        input: this.#inputs,
        output: this.#outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
