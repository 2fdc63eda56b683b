/**
 * Whole-network checks that no single layer can make: where the loss layer sits, layers that are
 * legal but almost certainly mistakes (warnings), the task's needs, and the memory estimate.
 */
import type { LayerInfo, LayerType, TaskKind } from './spec-types'
import { Issues, gib, num, product, shapeText } from './spec-issues'

export const LOSS_TYPES: ReadonlySet<string> = new Set(['SoftmaxWithLoss', 'SigmoidWithLoss', 'MSE', 'TimeSoftmaxWithLoss'])
const ACTIVATIONS: ReadonlySet<string> = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh'])
const SOFTMAX: ReadonlySet<string> = new Set(['SoftmaxWithLoss', 'TimeSoftmaxWithLoss'])
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
/** Batch size assumed by the memory estimate. */
export const MEMORY_BATCH = 100
/** Examples per held-out evaluation chunk (train/trainer.ts evalBatch's default), whose blocks stay beside the batch's. */
export const MEMORY_EVAL_CHUNK = 500
/** Kernel workspaces of the training thread (GEMM packing and staging, kernels/wasm/gemm-wasm.ts): 2.2–4.2 MB measured. */
export const WORKSPACE_BYTES = 4 * 2 ** 20

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
  for (let i = 0; i < types.length; i++) {
    const t = types[i]
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
 * trains a softmax over classes that never occur (more) or stops at the first label it has no score for
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
    : `so training on the digits stops at the first label ${outputs} or above`
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
 * Floats per example that a layer holds beyond its parameters: `train` while a batch trains (its output; the gradient
 * it passes back, the size of its input; what it keeps for backward) and `evaluate` while a held-out chunk runs forward
 * (its output and what the forward pass keeps). The evaluation's blocks are of other sizes than the batch's, so the
 * allocator's free lists keep both (measured by H9: the held-out pass was most of the conv presets' memory).
 */
export function layerFloats(info: LayerInfo): { train: number; evaluate: number } {
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
    kept = 6 * out // each step's four gates, its cell and the cell's tanh (layers/time-lstm.ts)
  } else if (info.type === 'TimeRNN') {
    kept = out // x·Wx for every step, staged through the GEMM's workspace (layers/time-rnn.ts)
  } else if (info.type === 'BatchNormalization') {
    kept = out // the normalized input
  } else if (info.type === 'Dropout') {
    return { train: 2 * out + inp, evaluate: out } // the mask, in training only
  }
  return { train: out + inp + kept, evaluate: out + kept }
}

/**
 * Bytes a network needs to train on one thread: parameters × TRAIN_BYTES_PER_PARAM, the layers' floats for a batch of
 * MEMORY_BATCH and an evaluation chunk of MEMORY_EVAL_CHUNK (layerFloats), and the thread's kernel workspaces.
 * Measured against the engine's real use for every preset on 1, 2 and 4 threads (test/engine/spec/memory-estimate.test.ts):
 * the real use is 0.81–1.20 times this (the test holds it to 0.8–1.3).
 */
function lintMemory(n: LintInput, issues: Issues): number {
  const paramBytes = n.totalParams * TRAIN_BYTES_PER_PARAM
  let actBytes = 0
  let worst = -1
  let worstBytes = 0
  for (const info of n.infos) {
    const f = layerFloats(info)
    const a = 4 * (f.train * MEMORY_BATCH + f.evaluate * MEMORY_EVAL_CHUNK)
    actBytes += a
    const mine = info.params * TRAIN_BYTES_PER_PARAM + a
    if (mine > worstBytes) { worstBytes = mine; worst = info.index }
  }
  const total = paramBytes + actBytes + WORKSPACE_BYTES
  if (total > MEMORY_LIMIT_BYTES && worst >= 0) {
    const w = n.infos[worst]
    issues.error(worst, w.name, 'too-large',
      `the network needs about ${gib(total)} to train (${num(n.totalParams)} parameters × 4 bytes × 5 for weights, ` +
        `their gradients, optimizer state and the copy kept in case training diverges = ${gib(paramBytes)}, plus ${gib(actBytes + WORKSPACE_BYTES)} of layer outputs, ` +
        `gradients and workspaces for a batch of ${MEMORY_BATCH} and a held-out chunk of ${MEMORY_EVAL_CHUNK}), ` +
        `more than the ${gib(MEMORY_LIMIT_BYTES)} limit; the largest part is this layer ` +
        `(${num(w.params)} parameters, output ${w.outShape ? shapeText(w.outShape) : '?'}), so make it smaller`,
      undefined, { bytes: total, limit: MEMORY_LIMIT_BYTES, params: n.totalParams })
  }
  return total
}
