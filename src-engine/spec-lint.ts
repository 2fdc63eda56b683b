/**
 * Whole-network checks that no single layer can make: where the loss layer sits, layers that are
 * legal but almost certainly mistakes (warnings), the task's needs, and the memory estimate.
 */
import type { LayerInfo, LayerType, TaskKind } from './spec-types'
import { Issues, gib, num, product, shapeText } from './spec-issues'

export const LOSS_TYPES: ReadonlySet<string> = new Set(['SoftmaxWithLoss', 'SigmoidWithLoss', 'MSE', 'TimeSoftmaxWithLoss'])
const ACTIVATIONS: ReadonlySet<string> = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh'])
const SOFTMAX: ReadonlySet<string> = new Set(['SoftmaxWithLoss', 'TimeSoftmaxWithLoss'])
/** Layers that compute a linear map of their input, by kind: two of one kind with nothing non-linear between are one. */
const LINEAR: Partial<Record<string, 'affine' | 'conv'>> = { Affine: 'affine', TimeAffine: 'affine', Convolution: 'conv' }
/** Layers that keep a linear map linear (they drop, move or rescale values): between two linear layers they add nothing. */
const KEEPS_LINEAR: ReadonlySet<string> = new Set(['Dropout', 'Flatten', 'Reshape', 'BatchNormalization'])
/** Losses each task can train with. */
const TASK_LOSSES: Record<TaskKind, readonly string[]> = {
  classify: ['SoftmaxWithLoss', 'SigmoidWithLoss', 'MSE'],
  reconstruct: ['MSE', 'SigmoidWithLoss'],
  'language-model': ['TimeSoftmaxWithLoss']
}

/** Classes of the data a classifier on 28×28 single-channel images usually trains on (the digits; Fashion-MNIST). */
export const DIGIT_CLASSES = 10
/** Values per example of that data. */
const DIGIT_VALUES = 28 * 28

/** Training memory budget: beyond this the estimate is an error. */
export const MEMORY_LIMIT_BYTES = 2 * 2 ** 30
/**
 * Batch size assumed by the memory estimate. Held-out evaluation runs in chunks of the examples the training thread
 * trains of a batch (train/trainer.ts evalChunk), in the blocks the batch's layers cut, so it adds no layer blocks.
 */
export const MEMORY_BATCH = 100
/**
 * Kernel workspaces of the training thread (GEMM packing and staging, kernels/wasm/gemm-wasm.ts): 2.2–3.9 MiB measured
 * for the presets since held-out evaluation runs in chunks of the batch (a chunk of 500 needed larger regions: 4.2 MB).
 */
export const WORKSPACE_BYTES = 3 * 2 ** 20

const NET = 'network'

export interface LintInput {
  /** Each layer's type, or null where the layer itself is unusable (already reported). */
  types: (LayerType | null)[]
  names: string[]
  infos: LayerInfo[]
  input: number[] | null
  task: TaskKind | undefined
  totalParams: number
}

function lossAdvice(infos: LayerInfo[], task: TaskKind | undefined): string {
  if (task === 'reconstruct') return 'add MSE or SigmoidWithLoss at the end'
  const out = infos.length ? infos[infos.length - 1].outShape : null
  if (task === 'language-model' || out?.length === 2) return 'add TimeSoftmaxWithLoss at the end'
  if (out?.length === 3) return 'add Flatten, an Affine with one unit per class and SoftmaxWithLoss at the end'
  return 'add SoftmaxWithLoss at the end'
}

/** Runs the network-level checks; returns the memory estimate in bytes. */
export function lintNetwork(n: LintInput, issues: Issues): number {
  const { types, names, infos, task } = n
  if (types.length === 0) {
    issues.error(-1, NET, 'no-layers', 'has no layers yet; add layers from the palette and end with a loss layer such as SoftmaxWithLoss')
    return 0
  }
  const lossIdx = types.findIndex((t) => t !== null && LOSS_TYPES.has(t))
  if (lossIdx < 0) {
    if (!types.includes(null)) {
      issues.error(-1, NET, 'no-loss', `has no loss layer, so it cannot be trained; ${lossAdvice(infos, task)}`)
    }
  } else {
    lintAfterLoss(n, lossIdx, issues)
  }
  lintLayerPairs(n, lossIdx, issues)
  if (lossIdx >= 0 && task !== undefined) lintTask(n, lossIdx, issues)
  if (lossIdx >= 0 && task !== 'reconstruct' && task !== 'language-model') lintClasses(n, lossIdx, issues)
  return lintMemory(n, issues)
}

function lintAfterLoss(n: LintInput, lossIdx: number, issues: Issues): void {
  const { types, names } = n
  const loss = names[lossIdx]
  // The output layer: the last layer with parameters before the loss.
  let outIdx = -1
  for (let i = lossIdx - 1; i >= 0; i--) if (n.infos[i].params > 0) { outIdx = i; break }
  for (let i = outIdx + 1; i < types.length; i++) {
    const t = types[i]
    if (i === lossIdx || t === null) continue
    if (t === 'Dropout') {
      if (i < lossIdx && outIdx < 0) continue
      const where = i > lossIdx ? `(after ${loss})` : names[outIdx]
      const fix = outIdx >= 0 ? `move it before ${names[outIdx]}` : 'move it earlier or remove it'
      issues.warn(i, names[i], 'dropout-after-output',
        `Dropout after the output layer ${where} drops ` +
          `${SOFTMAX.has(types[lossIdx] ?? '') ? 'class scores' : 'outputs'} at random, which is almost certainly a mistake; ${fix}`,
        undefined, { output: outIdx >= 0 ? names[outIdx] : '', loss })
    } else if (i > lossIdx && ACTIVATIONS.has(t)) {
      // Legal (nothing to learn, same shape) but pointless: training and prediction end at the loss layer.
      const soft = SOFTMAX.has(types[lossIdx] ?? '')
      issues.warn(i, names[i], soft ? 'layers-after-softmax' : 'layers-after-loss',
        `${t} after ${loss} has no effect: training and prediction end at ${loss}` +
          `${soft ? ', whose softmax output is already the final probabilities' : ''}; remove ${names[i]}`,
        undefined, { loss })
    } else if (i > lossIdx && LOSS_TYPES.has(t)) {
      // moving the first loss to the end would only put it after this one: one of the two has to go
      issues.error(i, names[i], 'loss-not-last',
        `is a second loss layer after ${loss}; a network has one loss layer, at the end, so remove ${names[i]} or ${loss}`,
        undefined, { loss, second: names[i] })
    } else if (i > lossIdx) {
      issues.error(i, names[i], 'loss-not-last',
        `comes after the loss layer ${loss}; the loss layer must be the last layer, so move ${loss} to the end or remove ${names[i]}`,
        undefined, { loss })
    }
  }
}

function lintLayerPairs(n: LintInput, lossIdx: number, issues: Issues): void {
  const { types, names } = n
  let sawConv = false
  let prevAct = -1 // index of the previous layer if it is an activation (Dropout in between does not count)
  let prevLinear = -1 // index of the last linear layer if only KEEPS_LINEAR layers followed it
  for (let i = 0; i < types.length; i++) {
    const t = types[i]
    const kind = t === null ? undefined : LINEAR[t]
    if (kind) {
      const p = prevLinear
      if (p >= 0 && LINEAR[types[p] ?? ''] === kind && !narrowBetween(n.infos[p], n.infos[i], kind)) {
        issues.warn(i, names[i], 'no-activation-between',
          `follows ${names[p]} with no activation between them, so the two are no more than one ` +
            `${kind === 'conv' ? 'Convolution with a larger kernel' : 'Affine'} (a linear layer after a linear layer is still linear); ` +
            'put an activation such as Relu between them', undefined, { previous: names[p], kind })
      }
      prevLinear = i
    } else if (t === null || !KEEPS_LINEAR.has(t)) prevLinear = -1
    if (t === 'Convolution' || t === 'Deconvolution') sawConv = true
    if (t === 'Pooling' && !sawConv) {
      issues.warn(i, names[i], 'pool-without-conv',
        'pools the input before any Convolution, which only lowers the resolution; put a Convolution (and an activation) before it')
    }
    if (t !== null && ACTIVATIONS.has(t)) {
      if (prevAct >= 0) {
        issues.warn(i, names[i], 'double-activation',
          `follows the activation ${names[prevAct]} directly; one activation between layers is enough, so remove one of them`,
          undefined, { previous: names[prevAct] })
      }
      prevAct = i
    } else if (t !== 'Dropout') prevAct = -1
  }
  if (lossIdx > 0) {
    const before = types[lossIdx - 1]
    const loss = types[lossIdx]
    if (before !== null && ACTIVATIONS.has(before) && loss !== null && SOFTMAX.has(loss)) {
      issues.warn(lossIdx - 1, names[lossIdx - 1], 'activation-before-softmax',
        `${before} right before ${names[lossIdx]} changes the class scores (they should be free to be any number); ` +
          `remove it — ${loss} applies the softmax itself`, undefined, { loss: names[lossIdx] })
    }
    if (before === 'Sigmoid' && loss === 'SigmoidWithLoss') {
      issues.warn(lossIdx - 1, names[lossIdx - 1], 'sigmoid-twice',
        `SigmoidWithLoss applies the sigmoid itself, so the output goes through two sigmoids; remove ${names[lossIdx - 1]}`)
    }
  }
}

/**
 * Is `first` narrower than both its input and `second`'s output (units, or a convolution's filters)? Then the two make
 * a low-rank map no single layer of those sizes is, a bottleneck made on purpose (ae-2d's code of 2 units between 64
 * and 64), so two linear layers in a row are only a mistake when it is not. Unknown shapes are already errors: true.
 */
function narrowBetween(first: LayerInfo, second: LayerInfo, kind: 'affine' | 'conv'): boolean {
  const a = first.inShape, m = first.outShape, b = second.outShape
  if (!a || !m || !b) return true
  const width = (s: number[]): number => (kind === 'conv' ? s[0] : s[s.length - 1])
  const inputs = first.type === 'Affine' ? product(a) : width(a) // an Affine flattens its input
  return width(m) < inputs && width(m) < width(b)
}

function lintTask(n: LintInput, lossIdx: number, issues: Issues): void {
  const task = n.task as TaskKind
  const loss = n.types[lossIdx] as string
  const name = n.names[lossIdx]
  if (!TASK_LOSSES[task].includes(loss)) {
    issues.error(lossIdx, name, 'loss-task-mismatch',
      `${loss} does not fit the task "${task}"; use ${TASK_LOSSES[task].join(' or ')}`, 'type', { task, loss })
    return
  }
  const out = n.infos[lossIdx].inShape
  if (task === 'reconstruct' && out && n.input && product(out) !== product(n.input)) {
    issues.error(lossIdx, name, 'reconstruct-size-mismatch',
      `compares an output ${shapeText(out)} = ${num(product(out))} values with the input ${shapeText(n.input)} = ` +
        `${num(product(n.input))} values; the layer before it must output ${shapeText(n.input)}`,
      undefined, { got: shapeText(out), want: shapeText(n.input) })
  }
}

/**
 * A softmax classifier of 28×28 images scores one class per output: the digits have 10, so another number
 * trains a softmax over classes that never occur (more) or has no score for some labels, and Start refuses either
 * (fewer). A warning, not an error: other data (an IDX folder) may use fewer classes; the run checks against
 * its data's labels (train/checks.ts).
 */
function lintClasses(n: LintInput, lossIdx: number, issues: Issues): void {
  if (n.types[lossIdx] !== 'SoftmaxWithLoss' || !n.input || product(n.input) !== DIGIT_VALUES) return
  const scores = n.infos[lossIdx]?.inShape
  if (!scores || scores.length !== 1) return
  const outputs = scores[0]
  // a single class has its own warning (softmax-one-class)
  if (outputs === DIGIT_CLASSES || outputs <= 1) return
  const at = scoresLayer(n.infos, lossIdx)
  const affine = n.types[at] === 'Affine'
  const fix = affine ? `set its units to ${DIGIT_CLASSES}` : `end with an Affine of ${DIGIT_CLASSES} units before ${n.names[lossIdx]}`
  const what = outputs > DIGIT_CLASSES
    ? `so ${outputs - DIGIT_CLASSES} of them are for classes that never occur`
    : `so training on the digits would not start (labels ${outputs} and above have no score)`
  issues.warn(at, n.names[at], outputs > DIGIT_CLASSES ? 'outputs-more-than-classes' : 'outputs-fewer-than-classes',
    `gives ${outputs} class scores to ${n.names[lossIdx]} but the digits have ${DIGIT_CLASSES} classes, ${what}; ` +
      `${fix} (or to the number of classes of the data you train on)`,
    affine ? 'units' : undefined, { outputs, classes: DIGIT_CLASSES, loss: n.names[lossIdx], affine: affine ? 1 : 0 })
}

/** The layer that gives a classifier's class scores: the last one with parameters before the loss (the loss itself if none has any). */
export function scoresLayer(infos: readonly LayerInfo[], lossIdx: number): number {
  for (let i = lossIdx - 1; i >= 0; i--) if (infos[i]?.params > 0) return i
  return lossIdx
}

/**
 * Bytes per parameter while training: the weights, their gradients (each layer's grads), two optimizer moments (Adam)
 * and the copy of the weights a run keeps to put back if it diverges (train/last-good.ts), 4 bytes each. The copy is ordinary memory, not engine memory, but it
 * is taken from the same computer during the run: a learner near the limit is told before the run, not by running out.
 */
export const TRAIN_BYTES_PER_PARAM = 4 * 5

/**
 * Bytes per parameter, per thread, that a run on more than one thread adds (train/data-parallel.ts, replica.ts): each
 * thread's flat gradient, the training thread's included (in its engine memory, MasterLayout.memory, or the pool's
 * shared buffer), each replica's own network's weights and gradients (built whole, though a split step reads the
 * training thread's weights in place) and, for the training thread, the pool's shared copy of the weights
 * (DataParallel's params buffer). Measured (H9, the presets on 2 and 4 threads): about 13.5 bytes a parameter for
 * each thread, not the 8 that two arrays of floats would be. The layer outputs of a replica are those of its slice
 * of the batch, which the training thread then does not hold: the batch's are counted once.
 */
export const REPLICA_BYTES_PER_PARAM = 14

/**
 * Kernel workspaces that each thread beyond the first adds: a replica's GEMM packing and staging regions
 * (kernels/wasm/gemm-wasm.ts reserve, ~4.6 MB measured), less the share of the batch the training thread then does not
 * run; 3 MiB a thread kept the presets' estimates within their measured use on 2 and 4 threads.
 */
export const THREAD_WORKSPACE_BYTES = 3 * 2 ** 20

/** The memory estimate of a run on `threads` threads: the network's (validateSpec's memoryBytes) and, on two or more, the pool's. */
export function threadsMemoryBytes(memoryBytes: number, params: number, threads: number): number {
  return memoryBytes + (threads > 1 ? threads * params * REPLICA_BYTES_PER_PARAM + (threads - 1) * THREAD_WORKSPACE_BYTES : 0)
}

/**
 * The most threads, up to `threads`, on which a run's estimate stays within MEMORY_LIMIT_BYTES (1 when not even two
 * do); 0 when even one thread is over it (validateSpec already refuses that network).
 */
export function threadsThatFit(memoryBytes: number, params: number, threads: number): number {
  if (memoryBytes > MEMORY_LIMIT_BYTES) return 0
  // memoryBytes + t·params·REPLICA + (t − 1)·WORKSPACE ≤ LIMIT, solved for t
  const most = Math.floor((MEMORY_LIMIT_BYTES - memoryBytes + THREAD_WORKSPACE_BYTES) /
    (Math.max(0, params) * REPLICA_BYTES_PER_PARAM + THREAD_WORKSPACE_BYTES))
  return most >= 2 ? Math.min(threads, most) : 1
}

/** The facts of a run on too many threads, in MB as the refusal and the training page's cost note say them. */
export interface ThreadsOver { threads: number; needs: number; limit: number; fits: number }

/**
 * A run on `threads` threads whose estimate is over the limit on them but not on one (threadsThatFit ≥ 1): what it
 * needs, the limit (MB) and the count that fits; null when it fits, or when not even one thread does (validateSpec's
 * own refusal). One rule for the host's refusal at Start (lab-host.ts refuseThreads) and the page's note before it.
 */
export function threadsOver(memoryBytes: number, params: number, threads: number): ThreadsOver | null {
  const fits = threadsThatFit(memoryBytes, params, threads)
  if (fits < 1 || fits >= threads) return null
  const mib = 2 ** 20
  return { threads, needs: Math.ceil(threadsMemoryBytes(memoryBytes, params, threads) / mib), limit: Math.floor(MEMORY_LIMIT_BYTES / mib), fits }
}

/**
 * Floats per example that a layer holds beyond its parameters while a batch trains: its output, the gradient it passes
 * back (the size of its input) and what it keeps for backward. Held-out evaluation runs forward in chunks of the batch's
 * size, into the same blocks (its outputs and what the forward pass keeps are among these), so it adds none: with a
 * chunk of 500 beside the batch of 100 the allocator kept blocks for both, most of the conv presets' memory (H9).
 */
export function layerFloats(info: LayerInfo): number {
  const out = info.outShape ? product(info.outShape) : 0
  const inp = info.inShape ? product(info.inShape) : 0
  const W = info.paramShapes.W
  let kept = 0
  if (info.type === 'Convolution' && W && info.outShape) {
    // colᵀ (C·FH·FW, OH·OW) an image, kept for the whole batch (layers/convolution.ts)
    kept = (product(W) / W[0]) * product(info.outShape.slice(1))
  } else if (info.type === 'Deconvolution' && W && info.inShape) {
    // col (FN·FH·FW, H·W) an image of the input (layers/deconvolution.ts)
    kept = (product(W) / W[0]) * product(info.inShape.slice(1))
  } else if (info.type === 'TimeLSTM') {
    // each step's four gates, its cell and the cell's tanh, and backward's dL/dA of the gates and h_{t−1} of every step,
    // which the layer keeps between batches (layers/time-lstm.ts: the held-out chunk of 500 used to hide them)
    kept = 11 * out
  } else if (info.type === 'TimeRNN') {
    kept = out // x·Wx for every step, staged through the GEMM's workspace (layers/time-rnn.ts)
  } else if (info.type === 'BatchNormalization') {
    kept = out // the normalized input
  } else if (info.type === 'Dropout') {
    kept = out // the mask
  }
  return out + inp + kept
}

/** A layer's share of the estimate: its parameters and its floats for a batch of MEMORY_BATCH. */
function layerBytes(info: LayerInfo): number {
  return info.params * TRAIN_BYTES_PER_PARAM + 4 * layerFloats(info) * MEMORY_BATCH
}

/**
 * An Affine or a Convolution as it would be with one unit or one filter (the least its own setting can make it), or
 * null for other layers: what is left then is its input's doing.
 */
function atSizeOne(info: LayerInfo): LayerInfo | null {
  const W = info.paramShapes.W
  if (!W || !info.outShape) return null
  if (info.type === 'Affine') {
    // W (inputs, units)
    return { ...info, params: W[0] + 1, paramShapes: { W: [W[0], 1], b: [1] }, outShape: [...info.outShape.slice(0, -1), 1] }
  }
  if (info.type === 'Convolution') {
    // W (FN, C, FH, FW)
    return { ...info, params: product(W) / W[0] + 1, paramShapes: { W: [1, ...W.slice(1)], b: [1] }, outShape: [1, ...info.outShape.slice(1)] }
  }
  return null
}

/**
 * What the layers up to the first Affine or Convolution need with that one at a single unit or filter (layers before it
 * have no size of their own: Flatten, Pooling, an activation...): `before`, the bytes of the layers before it, `least`,
 * its own at size one, `first`, its index; null when a layer with another size setting (a TimeLSTM's hidden size, an
 * Embedding's) comes first, or none.
 */
function inputLeast(infos: LayerInfo[]): { before: number; least: LayerInfo; first: number } | null {
  let before = 0
  for (const info of infos) {
    const least = atSizeOne(info)
    if (least) return { before, least, first: info.index }
    if (info.params > 0 && info.type !== 'BatchNormalization') return null
    before += layerBytes(info)
  }
  return null
}

/**
 * The first Affine or Convolution at size one as a plain layer would be on the same input: a convolution's kernel at most
 * 3×3 and its output no larger than its input (no more padding than keeps the size). What this still needs is its
 * input's doing; what the layer at size one needs beyond it is its kernel's and padding's (Q7 F6: a 64×64 kernel with
 * padding 63 on a 28×28 digit needs 12.6 GiB with one filter, and the input was blamed).
 */
function plainLeast(least: LayerInfo): LayerInfo {
  const W = least.paramShapes.W
  if (least.type !== 'Convolution' || !W || !least.inShape || !least.outShape) return least
  const k = Math.min(W[2], 3)
  const side = (out: number, inp: number): number => Math.min(out, inp)
  const out = [1, side(least.outShape[1], least.inShape[1]), side(least.outShape[2], least.inShape[2])]
  return { ...least, params: W[1] * k * k + 1, paramShapes: { W: [1, W[1], k, k], b: [1] }, outShape: out }
}

/**
 * Bytes a network needs to train on one thread: parameters × TRAIN_BYTES_PER_PARAM, the layers' floats for a batch of
 * MEMORY_BATCH (layerFloats; held-out evaluation reuses their blocks), and the thread's kernel workspaces. Measured
 * against the engine's real use for every preset on 1, 2 and 4 threads (test/engine/spec/memory-estimate.test.ts): the
 * real use is 0.83–1.27 times this (the test holds it to 0.8–1.3).
 *
 * Over the limit, the error names the layer with the largest share and says to make it smaller; but when the layers up
 * to the first Affine or Convolution, that one with a single unit or filter, are over the limit by themselves (inputLeast),
 * no layer's size setting can help, and the error names what does: the input, on the network, only when a plain layer on
 * it is over by itself (a 5,000 × 5,000 input, or full HD); else the convolution's kernel and padding, at that layer
 * (a 64×64 kernel with padding 63 on a digit), or the layers before it (one by name, or how many: 4,998 ReLUs).
 */
function lintMemory(n: LintInput, issues: Issues): number {
  const paramBytes = n.totalParams * TRAIN_BYTES_PER_PARAM
  let actBytes = 0
  let worst = -1
  let worstBytes = 0
  for (const info of n.infos) {
    actBytes += 4 * layerFloats(info) * MEMORY_BATCH
    const mine = layerBytes(info)
    if (mine > worstBytes) { worstBytes = mine; worst = info.index }
  }
  const total = paramBytes + actBytes + WORKSPACE_BYTES
  if (total > MEMORY_LIMIT_BYTES && worst >= 0) {
    const w = n.infos[worst]
    const least = n.input ? inputLeast(n.infos) : null
    const needs = `the network needs about ${gib(total)} to train (${num(n.totalParams)} parameters × 4 bytes × 5 for weights, ` +
      `their gradients, optimizer state and the copy kept in case training diverges = ${gib(paramBytes)}, plus ${gib(actBytes + WORKSPACE_BYTES)} of layer outputs, ` +
      `gradients and workspaces for a batch of ${MEMORY_BATCH}), more than the ${gib(MEMORY_LIMIT_BYTES)} limit`
    const values = { bytes: total, limit: MEMORY_LIMIT_BYTES, params: n.totalParams }
    const leastBytes = least ? least.before + layerBytes(least.least) : 0
    if (!least || !n.input || leastBytes + WORKSPACE_BYTES <= MEMORY_LIMIT_BYTES) {
      issues.error(worst, w.name, 'too-large',
        `${needs}; the largest part is this layer (${num(w.params)} parameters, output ${w.outShape ? shapeText(w.outShape) : '?'}), so make it smaller`,
        undefined, values)
      return total
    }
    // no size setting of the first Affine or Convolution helps: say which of the input (a plain layer on it is over the
    // limit by itself), its kernel and padding (without their excess the network would fit), or the layers before it
    // (one of them by name when it holds half of theirs: an Upsample; else how many: 4,998 ReLUs) make what is left
    const F = n.infos[least.first]
    const plain = layerBytes(plainLeast(least.least))
    const grown = F.inShape !== null && product(F.inShape) > product(n.input)
    if (!grown && plain + WORKSPACE_BYTES > MEMORY_LIMIT_BYTES) {
      const input = shapeText(n.input)
      issues.error(-1, NET, 'too-large',
        `${needs}; the input ${input} (${num(product(n.input))} values an example) is the cause: even with one unit or filter ` +
          `on ${F.name}, the layers up to it need ${gib(leastBytes)}, so make the input shape smaller`,
        'input', { ...values, input })
    } else if (F.type !== 'Convolution' || least.before + plain + WORKSPACE_BYTES > MEMORY_LIMIT_BYTES) {
      const before = n.infos.slice(0, least.first)
      const big = before.reduce((a, b) => (layerBytes(b) > layerBytes(a) ? b : a))
      if (layerBytes(big) * 2 >= least.before) {
        issues.error(big.index, big.name, 'too-large',
          `${needs}; the largest part is this layer (output ${big.outShape ? shapeText(big.outShape) : '?'}, ${gib(layerBytes(big))} for a batch of ${MEMORY_BATCH}), so make it smaller or remove it`,
          undefined, values)
      } else {
        issues.error(-1, NET, 'too-large',
          `${needs}; the ${num(before.length)} layers before ${F.name} hold ${gib(least.before)} of outputs and gradients ` +
            `between them, which no smaller layer would fix, so remove some of them`,
          undefined, { ...values, count: before.length, before: F.name, least: least.before })
      }
    } else {
      const W = F.paramShapes.W
      const out = F.outShape ?? []
      issues.error(F.index, F.name, 'too-large',
        `${needs}; even with one filter this layer needs ${gib(layerBytes(least.least))}: its ${W[2]}×${W[3]} kernel at each of its ` +
          `${out[1]}×${out[2]} output positions, so make its kernel or its padding smaller, or its stride larger`,
        undefined, { ...values, kernel: W[2], outH: out[1], outW: out[2], least: layerBytes(least.least) })
    }
  }
  return total
}
