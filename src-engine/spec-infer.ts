/**
 * Shape inference for one checked layer: output shape, parameter shapes (by the names the layers use),
 * multiply-adds per example and the conv/pool formula. Shapes exclude the batch: images (C, H, W),
 * sequences (T, D), tokens (T), vectors (D). In the recurrent cases H is the hidden size.
 * Multiply-adds count the matrix products (conv, affine, recurrent); element-wise layers count 0.
 */
import type { ConvolutionSpec, DeconvolutionSpec, LayerInfo, LayerSpec, LayerType, PoolingSpec } from './spec-types'
import { deconvOutSize } from './kernels/conv-geometry'
import { Issues, num, product, shapeText } from './spec-issues'
import { windowOut } from './spec-window'

/** What flows between layers: a shape (null once unknown) and whether it still holds token ids. */
export interface Flow { shape: number[] | null; tokens: boolean }

export interface InferCtx {
  index: number; name: string; vocab: number | undefined; issues: Issues
  /** A language model without vocab yet: the text will set it, so sizes that need it are unknown, not wrong. */
  vocabPending: boolean
  /** The layer that made the incoming vector out of a sequence, if one did (collapseAfter). */
  collapsed?: Collapse | null
  /** The layer right before this one, when it is a Reshape: a wrong shape there is changed, not a second Reshape added. */
  reshape?: string | null
}

/**
 * The layer that turned a sequence (T, D) into one vector (a LastTimeStep, a Flatten or Reshape, an Affine on the
 * sequence) and the Affines after it, while the flow is still a vector: a layer after them that needs the sequence
 * is told to undo that, not to reshape the vector back to (T, D).
 */
export interface Collapse { name: string; type: LayerType; affines: string[] }

/** The collapse that holds after `info`, given the one before it (null: the flow is no sequence made into a vector). */
export function collapseAfter(info: LayerInfo, before: Collapse | null): Collapse | null {
  if (info.outShape?.length !== 1) return null
  if (info.inShape?.length === 2) return { name: info.name, type: info.type, affines: [] }
  if (!before) return null
  return info.type === 'Affine' ? { ...before, affines: [...before.affines, info.name] } : before
}

/**
 * What to change when a layer that needs a sequence gets the vector `c` made of one: undo the collapse (remove the
 * layer, or make the Affines TimeAffines so each step keeps its own output) or move it after this layer; a per-step
 * loss may instead be a SoftmaxWithLoss that classifies the whole sequence.
 */
function collapsedAdvice(type: string, c: Collapse, ctx: InferCtx): string {
  const what = c.type === 'LastTimeStep' ? `${c.name} keeps only the last time step` : `${c.name} flattens the sequence into one vector`
  const affines = (c.type === 'Affine' ? [c.name, ...c.affines] : c.affines).join(', ')
  const fix = c.type === 'Affine' ? `make ${affines} a TimeAffine`
    : `remove ${c.name}${affines ? ` and make ${affines} a TimeAffine` : ''}`
  const or = type === 'TimeSoftmaxWithLoss' ? ', or use SoftmaxWithLoss to classify the whole sequence'
    : affines || type === 'LastTimeStep' ? '' : `, or move it after ${ctx.name}`
  return `${what}: ${fix}${or}`
}

/** The values an editor needs to word collapsedAdvice: the layer, its type and the Affines to make TimeAffines. */
function collapsedValues(c: Collapse | null | undefined): Record<string, string> {
  return c ? { by: c.name, byType: c.type, affines: c.affines.join(', ') } : {}
}

function vocabPending(ctx: InferCtx): void {
  ctx.issues.warn(ctx.index, ctx.name, 'vocab-pending',
    'needs the vocabulary size, which is set when a text is loaded; until then its parameters are not counted', 'vocab')
}

export interface Inferred {
  out: number[] | null
  params: number
  paramShapes: Record<string, number[]>
  bufferShapes?: Record<string, number[]>
  macs: number
  formula?: string
}

/**
 * The stride a window layer uses when the spec leaves it out: 1 for (de)convolution, the window size
 * for Pooling (so "Pooling size 2" halves the image, as in Keras, PyTorch and the Pooling layer).
 */
export function strideOf(layer: ConvolutionSpec | DeconvolutionSpec | PoolingSpec): number {
  return layer.stride ?? (layer.type === 'Pooling' ? layer.size : 1)
}

/** An Affine on more inputs than this gets a "huge layer" warning (the full-HD example has 6,220,800). */
export const HUGE_AFFINE_INPUTS = 100_000

/** Largest s with s² dividing n (for suggesting a Reshape of a flat vector back to (C, s, s)). */
function squareSide(n: number): number {
  if (n > 1e8) return 1 // not worth a long search: no one reshapes that back into an image by hand
  for (let s = Math.floor(Math.sqrt(n)); s >= 2; s--) if (n % (s * s) === 0) return s
  return 1
}

function result(out: number[] | null, paramShapes: Record<string, number[]> = {}, macs = 0): Inferred {
  let params = 0
  for (const k in paramShapes) params += product(paramShapes[k])
  return { out, params, paramShapes, macs }
}

/** The (C, H, W) an image layer needs, or null after saying what to change. */
function needImage(type: string, shape: number[], ctx: InferCtx): number[] | null {
  if (shape.length === 3) return shape
  let advice: string
  let target = ''
  if (shape.length === 2) {
    target = `(1, ${shape[0]}, ${shape[1]})`
    advice = `add a Reshape to ${target} before it`
  } else {
    const s = squareSide(shape[0])
    if (s > 1) target = `(${shape[0] / (s * s)}, ${s}, ${s})`
    advice = `${type} must come before Flatten and Affine, so move it up` + (target ? `, or add a Reshape to ${target} before it` : '')
  }
  // the Reshape right before gives the wrong shape: change its shape, as needSequence says (not a second Reshape)
  const reshape = ctx.reshape ?? ''
  if (reshape) advice = `set the shape of ${reshape} to ${target || `a (C, H, W) with C·H·W = ${num(product(shape))}`}`
  const got = shape.length === 1 ? `a flat vector of ${num(shape[0])} values` : shapeText(shape)
  ctx.issues.error(ctx.index, ctx.name, 'needs-image', `${type} needs an image (C, H, W) but gets ${got}; ${advice}`,
    undefined, { type, got: shapeText(shape), ...(target ? { target } : {}), ...(reshape ? { reshape } : {}) })
  return null
}

/** The (T, D) a recurrent layer needs, or null after saying what to change. */
function needSequence(type: string, shape: number[], ctx: InferCtx): number[] | null {
  if (shape.length === 2) return shape
  let advice: string
  let target = ''
  if (shape.length === 1 && ctx.collapsed) {
    advice = collapsedAdvice(type, ctx.collapsed, ctx)
  } else if (shape.length === 3) {
    const [C, H, W] = shape
    target = C === 1 ? `(${H}, ${W})` : `(${C * H}, ${W})`
    advice = `reshape to ${target} first (T = ${C === 1 ? H : C * H} rows of D = ${W} values)`
  } else {
    const s = Math.sqrt(shape[0])
    target = Number.isInteger(s) ? `(${s}, ${s})` : ''
    advice = target ? `reshape to ${target} first, or to another (T, D) with T·D = ${num(shape[0])}`
      : `add a Reshape to (T, D) with T·D = ${num(shape[0])} first`
  }
  // the Reshape right before gives the wrong shape: change its shape (a second Reshape would be no fix a learner sees)
  const reshape = !(shape.length === 1 && ctx.collapsed) && ctx.reshape ? ctx.reshape : ''
  if (reshape) advice = `set the shape of ${reshape} to ${target || `a (T, D) with T·D = ${num(product(shape))}`}`
  ctx.issues.error(ctx.index, ctx.name, 'needs-sequence',
    `${type} needs a sequence (T, D) but gets ${shape.length === 3 ? 'the image ' : ''}${shapeText(shape)}; ${advice}`,
    undefined, { type, got: shapeText(shape), target, ...collapsedValues(shape.length === 1 ? ctx.collapsed : null), ...(reshape ? { reshape } : {}) })
  return null
}

function resolveReshape(target: number[], from: number[], ctx: InferCtx): number[] | null {
  const n = product(from)
  let known = 1
  let wild = -1
  for (let i = 0; i < target.length; i++) {
    if (target[i] === -1) wild = i
    else known *= target[i]
  }
  const out = target.slice()
  if (wild >= 0 && n % known === 0) out[wild] = n / known
  if (wild >= 0 ? n % known !== 0 : known !== n) {
    const hint = wild < 0 && target.length > 1 && n % (known / target[0]) === 0
      ? `, for example (${[n / (known / target[0]), ...target.slice(1)].join(', ')})` : ''
    ctx.issues.error(ctx.index, ctx.name, 'reshape-size-mismatch',
      `cannot reshape ${shapeText(from)} = ${num(n)} values to ${shapeText(target.map((d) => (d === -1 ? -1 : d)))}` +
        `${wild < 0 ? ` = ${num(known)} values` : ''}; the sizes must multiply to ${num(n)}${hint}`,
      'shape', { from: shapeText(from), to: shapeText(target), count: n, target: known })
    return null
  }
  return out
}

/**
 * Padding as wide as the window or wider (kernel 3, padding 9): the outputs along the border see nothing but the
 * added zeros. Legal, so a warning; padding (k − 1) / 2 keeps the size, k − 1 is the most that still sees the input.
 */
function padWarning(what: 'kernel' | 'window', k: number, pad: number, ctx: InferCtx): void {
  if (pad < k) return
  ctx.issues.warn(ctx.index, ctx.name, 'pad-not-smaller-than-kernel',
    `padding ${pad} is not smaller than the ${k}×${k} ${what}, so the outputs along the border see only the added zeros; ` +
      `use padding of at most ${k - 1}${k % 2 === 1 ? ` (${(k - 1) / 2} keeps the size)` : ''}`,
    'pad', { pad, kernel: k, maxPad: k - 1, window: what === 'window' ? 1 : 0 })
}

/** Infers one layer whose fields have been checked. `shape` is its (non-token) input shape. */
export function inferLayer(layer: LayerSpec, shape: number[], ctx: InferCtx): Inferred {
  switch (layer.type) {
    case 'Convolution': {
      const img = needImage('Convolution', shape, ctx)
      if (!img) return result(null)
      const [C, H, W] = img
      const k = layer.kernel
      const FN = layer.filters
      // its weights follow from C, the kernel and the filters alone: counted even when the output does not fit (Q7's F1)
      const ps: Record<string, number[]> = { W: [FN, C, k, k] }
      if (layer.bias !== false) ps.b = [FN]
      const g = windowOut('conv', H, W, k, strideOf(layer), layer.pad ?? 0, ctx.index, ctx.name, ctx.issues)
      if (!g) return result(null, ps)
      padWarning('kernel', k, layer.pad ?? 0, ctx)
      // a size that is not whole is no shape: nothing after it is worked out from the rounded-down one (Q7's F2)
      if (!g.exact) return { ...result(null, ps), formula: g.formula }
      return { ...result([FN, g.oh, g.ow], ps, FN * g.oh * g.ow * C * k * k), formula: g.formula }
    }
    case 'Pooling': {
      const img = needImage('Pooling', shape, ctx)
      if (!img) return result(null)
      const [C, H, W] = img
      const g = windowOut('pool', H, W, layer.size, strideOf(layer), layer.pad ?? 0, ctx.index, ctx.name, ctx.issues)
      if (!g) return result(null)
      padWarning('window', layer.size, layer.pad ?? 0, ctx)
      return { ...result(g.exact ? [C, g.oh, g.ow] : null), formula: g.formula }
    }
    case 'Deconvolution': {
      const img = needImage('Deconvolution', shape, ctx)
      if (!img) return result(null)
      const [C, H, W] = img
      const k = layer.kernel
      const s = strideOf(layer)
      const p = layer.pad ?? 0
      const rh = deconvOutSize(H, k, s, p)
      const rw = deconvOutSize(W, k, s, p)
      const formula = H === W ? rh.formula : `H: ${rh.formula}; W: ${rw.formula}`
      if (rh.size < 1 || rw.size < 1) {
        ctx.issues.error(ctx.index, ctx.name, 'deconv-size-not-positive',
          `${formula} leaves no output; use a smaller pad (at most ${Math.floor(((Math.min(H, W) - 1) * s + k - 1) / 2)})`,
          'pad', { formula })
        return result(null)
      }
      const FN = layer.filters
      // ConvTranspose layout (in channels, out channels, FH, FW), as ONNX and PyTorch store it.
      const ps: Record<string, number[]> = { W: [C, FN, k, k] }
      if (layer.bias !== false) ps.b = [FN]
      return { ...result([FN, rh.size, rw.size], ps, C * H * W * FN * k * k), formula }
    }
    case 'Upsample': {
      const img = needImage('Upsample', shape, ctx)
      if (!img) return result(null)
      const [C, H, W] = img
      const s = layer.scale
      const formula = H === W ? `${H} · ${s} = ${H * s}` : `H: ${H} · ${s} = ${H * s}; W: ${W} · ${s} = ${W * s}`
      return { ...result([C, H * s, W * s]), formula }
    }
    case 'Affine': {
      const D = product(shape)
      const M = layer.units as number
      if (shape.length === 2) {
        ctx.issues.warn(ctx.index, ctx.name, 'affine-on-sequence',
          `Affine flattens the whole sequence ${shapeText(shape)} into ${num(D)} inputs; to classify from the last step ` +
            `put LastTimeStep before it, or use TimeAffine for an output at every step`, undefined, { shape: shapeText(shape) })
      }
      if (D > HUGE_AFFINE_INPUTS) {
        ctx.issues.warn(ctx.index, ctx.name, 'huge-affine',
          `connects every one of its ${num(D)} inputs to each of its ${num(M)} units (${num(D * M)} weights)` +
            (shape.length === 3 ? '; add Convolution and Pooling layers before it to shrink the image' : '; shrink its input first'),
          'units', { inputs: D, units: M, weights: D * M })
      }
      const ps: Record<string, number[]> = { W: [D, M] }
      if (layer.bias !== false) ps.b = [M]
      return result([M], ps, D * M)
    }
    case 'Relu': case 'LeakyRelu': case 'Sigmoid': case 'Tanh': case 'Dropout':
      return result(shape.slice())
    case 'Flatten':
      return result([product(shape)])
    case 'Reshape':
      return result(resolveReshape(layer.shape, shape, ctx))
    case 'BatchNormalization': {
      // Over the first axis after the batch, as ONNX and the BatchNormalization layer do: channels C of an
      // image (C, H, W), features D of a vector (D), and T of a sequence (T, D).
      const F = shape[0]
      const r = result(shape.slice(), { gamma: [F], beta: [F] })
      r.bufferShapes = { running_mean: [F], running_var: [F] }
      return r
    }
    case 'SoftmaxWithLoss': {
      if (shape.length !== 1) {
        const advice = shape.length === 2
          ? 'use TimeSoftmaxWithLoss for an output at every step, or put LastTimeStep and an Affine before it'
          : 'put Flatten and an Affine with one unit per class before it'
        ctx.issues.error(ctx.index, ctx.name, 'softmax-needs-vector',
          `SoftmaxWithLoss needs one score per class, a vector (D), but gets ${shapeText(shape)}; ${advice}`,
          undefined, { got: shapeText(shape) })
        return result(null)
      }
      if (shape[0] < 2) {
        ctx.issues.warn(ctx.index, ctx.name, 'softmax-one-class',
          'a softmax over 1 class always outputs 1 and learns nothing; give the Affine before it one unit per class, ' +
            'or use SigmoidWithLoss for a yes/no output')
      }
      return result(shape.slice())
    }
    case 'SigmoidWithLoss': case 'MSE':
      return result(shape.slice())
    case 'TimeEmbedding':
      // Only reached with a non-token input: token inputs are handled by inferEmbedding. Already first, the input is
      // what does not fit, and "put it first" read as wrong advice (Q7 F8)
      ctx.issues.error(ctx.index, ctx.name, 'embedding-needs-tokens',
        `TimeEmbedding looks up token ids, a sequence (T), but gets ${shapeText(shape)}; ` +
          (ctx.index === 0 ? 'make the input a text sequence (T) with a vocabulary, or remove it' : 'put it first, on a text input (T) with a vocabulary, or remove it'),
        undefined, { got: shapeText(shape), ...(ctx.index === 0 ? { first: 1 } : {}) })
      return result(null)
    case 'TimeRNN': case 'TimeLSTM': {
      const seq = needSequence(layer.type, shape, ctx)
      if (!seq) return result(null)
      const [T, D] = seq
      const H = layer.hidden
      const G = layer.type === 'TimeLSTM' ? 4 * H : H // LSTM: one fused affine for the four gates
      return result([T, H], { Wx: [D, G], Wh: [H, G], b: [G] }, T * (D + H) * G)
    }
    case 'TimeAffine': {
      const seq = needSequence('TimeAffine', shape, ctx)
      if (!seq) return result(null)
      const [T, D] = seq
      let M: number
      if (layer.units === 'vocab') {
        if (ctx.vocab === undefined && ctx.vocabPending) {
          vocabPending(ctx)
          return result(null)
        }
        if (ctx.vocab === undefined) {
          ctx.issues.error(ctx.index, ctx.name, 'vocab-missing',
            'units is "vocab" but the vocabulary size is not known yet; open a text (it sets vocab) or give units a number',
            'units')
          return result(null)
        }
        M = ctx.vocab
      } else M = layer.units
      return result([T, M], { W: [D, M], b: [M] }, T * D * M)
    }
    case 'LastTimeStep': {
      const seq = needSequence('LastTimeStep', shape, ctx)
      return result(seq ? [seq[1]] : null)
    }
    case 'TimeSoftmaxWithLoss': {
      if (shape.length !== 2) {
        const c = shape.length === 1 ? ctx.collapsed : null
        ctx.issues.error(ctx.index, ctx.name, 'needs-sequence',
          `TimeSoftmaxWithLoss needs scores at every step (T, V) but gets ${shapeText(shape)}; ` +
            (c ? collapsedAdvice('TimeSoftmaxWithLoss', c, ctx)
              : shape.length === 1 ? 'use SoftmaxWithLoss for one output per example'
                // an image: no TimeAffine makes it steps of scores; a per-step loss is a language model's
                : 'a per-step loss needs a sequence of scores, as a language model makes them (TimeEmbedding, TimeLSTM, TimeAffine); ' +
                  'to classify images use SoftmaxWithLoss'),
          undefined, { type: 'TimeSoftmaxWithLoss', got: shapeText(shape), target: '', ...collapsedValues(c) })
        return result(null)
      }
      if (ctx.vocab !== undefined && shape[1] !== ctx.vocab) {
        ctx.issues.error(ctx.index, ctx.name, 'lm-output-not-vocab',
          `scores one of ${num(shape[1])} tokens at each step but the vocabulary has ${num(ctx.vocab)}; ` +
            'set the units of the TimeAffine before it to "vocab"', undefined, { got: shape[1], vocab: ctx.vocab })
      }
      return result(shape.slice())
    }
  }
}

/** TimeEmbedding on a token input (T): W (V, D); V is the vocabulary. */
export function inferEmbedding(dim: number, T: number, ctx: InferCtx): Inferred {
  if (ctx.vocab === undefined && ctx.vocabPending) {
    vocabPending(ctx)
    return result([T, dim])
  }
  if (ctx.vocab === undefined) {
    ctx.issues.error(ctx.index, ctx.name, 'vocab-missing',
      'the input is token ids but the vocabulary size is not known; open a text (it sets vocab) or set "vocab" on the network',
      'vocab')
    return result([T, dim])
  }
  return result([T, dim], { W: [ctx.vocab, dim] })
}
