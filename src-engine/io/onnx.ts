/**
 * ONNX export: the whole network as an ONNX model (IR 8, opset 17) that ONNX Runtime runs with the
 * engine's numbers. Built as protobuf messages with onnx-proto, never as hand-written bytes.
 *
 * Layouts: Convolution W is (FN, C, FH, FW) in both; Affine W (D, M) feeds Gemm/MatMul untransposed;
 * Deconvolution W (C_in, FN, FH, FW) is ONNX ConvTranspose's own layout. The LSTM is the one place
 * that needs reordering: the engine's fused Wx (D, 4H) holds gate blocks f, g, i, o (LSTM_GATES);
 * ONNX's LSTM wants W (1, 4H, D) in the order i, o, f, c (c = the candidate g), so each block is
 * transposed and moved; Wh likewise into R (1, 4H, H); b goes to Wb with Rb = 0.
 * Outputs: `scores` (the loss layer's input) and `output` (softmax / sigmoid of it, or the scores
 * themselves for MSE), with a symbolic batch dimension N.
 */
import onnxProto from 'onnx-proto'
import type { NetSpec, LayerSpec } from '../spec-types'
import { inferShapes } from '../spec'
import { layerNames } from '../spec-names'
import { LSTM_GATES } from '../layers/lstm-gates'

const { onnx } = onnxProto
type INode = onnxProto.onnx.INodeProto
type ITensor = onnxProto.onnx.ITensorProto
type IAttr = onnxProto.onnx.IAttributeProto

export interface WeightLike { shape: readonly number[]; data: Float32Array }

const FLOAT = onnx.TensorProto.DataType.FLOAT
const INT64 = onnx.TensorProto.DataType.INT64
const A = onnx.AttributeProto.AttributeType

const attrInt = (name: string, i: number): IAttr => ({ name, type: A.INT, i })
const attrInts = (name: string, ints: number[]): IAttr => ({ name, type: A.INTS, ints })
const attrFloat = (name: string, f: number): IAttr => ({ name, type: A.FLOAT, f })
const attrString = (name: string, s: string): IAttr => ({ name, type: A.STRING, s: new TextEncoder().encode(s) })

function floatTensor(name: string, dims: readonly number[], data: Float32Array): ITensor {
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) }
}
function int64Tensor(name: string, values: number[], dims: number[] = [values.length]): ITensor {
  const buf = new BigInt64Array(values.map((v) => BigInt(v)))
  return { name, dims, dataType: INT64, rawData: new Uint8Array(buf.buffer) }
}

/** Engine fused gate blocks (f, g, i, o) → ONNX order (i, o, f, c), each block (D, H) transposed to (H, D). */
export const ONNX_LSTM_ORDER = ['i', 'o', 'f', 'g'] as const

function lstmToOnnx(W: WeightLike, H: number): Float32Array {
  const [D] = W.shape // (D, 4H)
  const out = new Float32Array(4 * H * D)
  ONNX_LSTM_ORDER.forEach((gate, slotIndex) => {
    const src = LSTM_GATES.indexOf(gate) * H
    for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) out[(slotIndex * H + h) * D + d] = W.data[d * 4 * H + src + h]
  })
  return out
}
function lstmBiasToOnnx(b: WeightLike, H: number): Float32Array {
  const out = new Float32Array(8 * H) // Wb (4H) then Rb (4H) = 0
  ONNX_LSTM_ORDER.forEach((gate, slotIndex) => out.set(b.data.subarray(LSTM_GATES.indexOf(gate) * H, (LSTM_GATES.indexOf(gate) + 1) * H), slotIndex * H))
  return out
}
function transpose2d(W: WeightLike): Float32Array {
  const [R, C] = W.shape
  const out = new Float32Array(R * C)
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = W.data[r * C + c]
  return out
}

/**
 * Builds the ONNX model of `spec` with `weights` (named `<layer>.<param>` as in safetensors).
 * Token-sequence inputs (language models) are float ids cast to int64 inside the graph.
 */
export function exportOnnx(spec: NetSpec, weights: Record<string, WeightLike>, opts: { producer?: string } = {}): Uint8Array {
  const infos = inferShapes(spec)
  const names = layerNames(spec.layers)
  const nodes: INode[] = []
  const inits: ITensor[] = []
  let cur = 'input'
  let scores = ''
  let output = ''
  let scoreShape: number[] = []
  const w = (layer: string, param: string): WeightLike => {
    const t = weights[`${layer}.${param}`]
    if (!t) throw new Error(`ONNX export: weight "${layer}.${param}" is missing`)
    return t
  }
  const init = (name: string, dims: readonly number[], data: Float32Array): string => {
    inits.push(floatTensor(name, dims, data))
    return name
  }
  const add = (op: string, inputs: string[], name: string, attrs: IAttr[] = [], outputs = [name]): string => {
    nodes.push({ opType: op, input: inputs, output: outputs, name, attribute: attrs })
    return outputs[0]
  }

  // ONNX Runtime runs recurrent ops time-major only: Y (T, 1, N, H) → squeeze → (T, N, H) → (N, T, H).
  const batchMajor = (y: string, name: string): string => {
    inits.push(int64Tensor(`${name}.axes`, [1]))
    const sq = add('Squeeze', [y, `${name}.axes`], `${name}.squeeze`)
    return add('Transpose', [sq], `${name}.batch-major`, [attrInts('perm', [1, 0, 2])])
  }

  spec.layers.forEach((l: LayerSpec, idx) => {
    const name = names[idx]
    const info = infos[idx]
    const inShape = info?.inShape ?? []
    switch (l.type) {
      case 'Convolution': {
        const W = w(name, 'W')
        const ins = [cur, init(`${name}.W`, W.shape, W.data)]
        if (l.bias !== false) ins.push(init(`${name}.b`, w(name, 'b').shape, w(name, 'b').data))
        const p = l.pad ?? 0
        cur = add('Conv', ins, name, [attrInts('kernel_shape', [l.kernel, l.kernel]), attrInts('strides', [l.stride ?? 1, l.stride ?? 1]), attrInts('pads', [p, p, p, p])])
        break
      }
      case 'Deconvolution': {
        const W = w(name, 'W')
        const ins = [cur, init(`${name}.W`, W.shape, W.data)]
        if (l.bias !== false) ins.push(init(`${name}.b`, w(name, 'b').shape, w(name, 'b').data))
        const p = l.pad ?? 0
        cur = add('ConvTranspose', ins, name, [attrInts('kernel_shape', [l.kernel, l.kernel]), attrInts('strides', [l.stride ?? 1, l.stride ?? 1]), attrInts('pads', [p, p, p, p])])
        break
      }
      case 'Pooling': {
        const s = l.stride ?? l.size
        const p = l.pad ?? 0
        const attrs = [attrInts('kernel_shape', [l.size, l.size]), attrInts('strides', [s, s]), attrInts('pads', [p, p, p, p])]
        if ((l.mode ?? 'max') === 'avg') attrs.push(attrInt('count_include_pad', 1))
        cur = add((l.mode ?? 'max') === 'avg' ? 'AveragePool' : 'MaxPool', [cur], name, attrs)
        break
      }
      case 'Upsample': {
        const scales = init(`${name}.scales`, [4], Float32Array.from([1, 1, l.scale, l.scale]))
        const bilinear = (l.mode ?? 'nearest') === 'bilinear'
        cur = add('Resize', [cur, '', scales], name, bilinear
          ? [attrString('mode', 'linear'), attrString('coordinate_transformation_mode', 'half_pixel')]
          : [attrString('mode', 'nearest'), attrString('coordinate_transformation_mode', 'asymmetric'), attrString('nearest_mode', 'floor')])
        break
      }
      case 'Affine': {
        if (inShape.length !== 1) cur = add('Flatten', [cur], `${name}.flatten`, [attrInt('axis', 1)])
        const W = w(name, 'W')
        const ins = [cur, init(`${name}.W`, W.shape, W.data)]
        if (l.bias !== false) ins.push(init(`${name}.b`, w(name, 'b').shape, w(name, 'b').data))
        cur = add('Gemm', ins, name)
        break
      }
      case 'Relu': cur = add('Relu', [cur], name); break
      case 'LeakyRelu': cur = add('LeakyRelu', [cur], name, [attrFloat('alpha', l.alpha ?? 0.01)]); break
      case 'Sigmoid': cur = add('Sigmoid', [cur], name); break
      case 'Tanh': cur = add('Tanh', [cur], name); break
      case 'Dropout': break // identity at inference (inverted dropout scales during training)
      case 'Flatten': cur = add('Flatten', [cur], name, [attrInt('axis', 1)]); break
      case 'Reshape': {
        inits.push(int64Tensor(`${name}.shape`, [-1, ...l.shape]))
        cur = add('Reshape', [cur, `${name}.shape`], name)
        break
      }
      case 'BatchNormalization': {
        const ins = [cur, ...['gamma', 'beta', 'running_mean', 'running_var'].map((p) => init(`${name}.${p}`, w(name, p).shape, w(name, p).data))]
        cur = add('BatchNormalization', ins, name, [attrFloat('epsilon', l.eps ?? 1e-5)])
        break
      }
      case 'TimeEmbedding': {
        const ids = add('Cast', [cur], `${name}.ids`, [attrInt('to', INT64)])
        const W = w(name, 'W')
        cur = add('Gather', [init(`${name}.W`, W.shape, W.data), ids], name, [attrInt('axis', 0)])
        break
      }
      case 'TimeLSTM': {
        const Wx = w(name, 'Wx'), Wh = w(name, 'Wh'), b = w(name, 'b')
        const H = l.hidden
        const D = Wx.shape[0]
        const ins = [cur, init(`${name}.W`, [1, 4 * H, D], lstmToOnnx(Wx, H)), init(`${name}.R`, [1, 4 * H, H], lstmToOnnx(Wh, H)), init(`${name}.B`, [1, 8 * H], lstmBiasToOnnx(b, H))]
        ins[0] = add('Transpose', [cur], `${name}.time-major`, [attrInts('perm', [1, 0, 2])])
        const y = add('LSTM', ins, name, [attrInt('hidden_size', H)], [`${name}.Y`])
        cur = batchMajor(y, name)
        break
      }
      case 'TimeRNN': {
        const Wx = w(name, 'Wx'), Wh = w(name, 'Wh'), b = w(name, 'b')
        const H = l.hidden
        const D = Wx.shape[0]
        const B = new Float32Array(2 * H)
        B.set(b.data)
        const ins = [cur, init(`${name}.W`, [1, H, D], transpose2d(Wx)), init(`${name}.R`, [1, H, H], transpose2d(Wh)), init(`${name}.B`, [1, 2 * H], B)]
        ins[0] = add('Transpose', [cur], `${name}.time-major`, [attrInts('perm', [1, 0, 2])])
        const y = add('RNN', ins, name, [attrInt('hidden_size', H), { name: 'activations', type: A.STRINGS, strings: [new TextEncoder().encode('Tanh')] }], [`${name}.Y`])
        cur = batchMajor(y, name)
        break
      }
      case 'TimeAffine': {
        const W = w(name, 'W'), b = w(name, 'b')
        const m = add('MatMul', [cur, init(`${name}.W`, W.shape, W.data)], `${name}.matmul`)
        cur = add('Add', [m, init(`${name}.b`, b.shape, b.data)], name)
        break
      }
      case 'LastTimeStep': {
        inits.push(int64Tensor(`${name}.index`, [inShape[0] - 1], []))
        cur = add('Gather', [cur, `${name}.index`], name, [attrInt('axis', 1)])
        break
      }
      case 'SoftmaxWithLoss':
      case 'TimeSoftmaxWithLoss':
        scores = cur
        scoreShape = [...inShape]
        output = add('Softmax', [cur], name, [attrInt('axis', -1)])
        break
      case 'SigmoidWithLoss':
        scores = cur
        scoreShape = [...inShape]
        output = add('Sigmoid', [cur], name)
        break
      case 'MSE':
        scores = cur
        scoreShape = [...inShape]
        output = cur
        break
      default: {
        const never: never = l
        throw new Error(`ONNX export: layer type ${(never as LayerSpec).type} is not supported`)
      }
    }
  })
  if (!scores) {
    scores = cur
    output = cur
    scoreShape = [...(infos[infos.length - 1]?.outShape ?? [])]
  }
  // Name the graph outputs through Identity nodes so they are stable whatever the last layer was.
  nodes.push({ opType: 'Identity', input: [scores], output: ['scores'], name: 'scores' })
  nodes.push({ opType: 'Identity', input: [output], output: ['output'], name: 'output' })

  const dim = (d: number | string): onnxProto.onnx.TensorShapeProto.IDimension => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })
  const valueInfo = (name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto => ({
    name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map(dim) } } }
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: opts.producer ?? 'Backprop Lab',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: spec.name ?? 'backprop-lab',
      node: nodes,
      initializer: inits,
      input: [valueInfo('input', ['N', ...spec.input])],
      output: [valueInfo('scores', ['N', ...scoreShape]), valueInfo('output', ['N', ...scoreShape])]
    }
  })
  return onnx.ModelProto.encode(model).finish()
}
