/**
 * validateSpec: the one check an architecture goes through before anything builds, trains, exports or
 * shows it. Takes untrusted JSON and never throws: it reports every problem as a SpecIssue (naming the
 * layer, the field and what to change), and infers each layer's shapes, parameters (by name, as the
 * layers hold them), multiply-adds, receptive field and output-size formula.
 * Pure TypeScript with no node:* imports, so the editor in the renderer uses the same code.
 */
import type { AffineSpec, LayerInfo, LayerSpec, LayerType, NetSpec, SpecReport, TaskKind, TimeAffineSpec } from './spec-types'
import { layerNames } from './spec-names'
import { Issues, num, shapeText, shown } from './spec-issues'
import { checkLayerFields, isLayerType } from './spec-fields'
import { collapseAfter, inferEmbedding, inferLayer, strideOf, type Collapse, type Inferred } from './spec-infer'
import { LOSS_TYPES, lintNetwork } from './spec-lint'
import { MAX_INPUT_SIZE, MAX_LAYERS, MAX_TITLE, MAX_VOCAB } from './spec-limits'

export { layerNames } from './spec-names'
export { LOSS_TYPES, MEMORY_LIMIT_BYTES, MEMORY_BATCH } from './spec-lint'
export { LAYER_FIELDS, suggestType } from './spec-fields'
export { strideOf, HUGE_AFFINE_INPUTS } from './spec-infer'
export * from './spec-limits'

const TASKS: readonly TaskKind[] = ['classify', 'reconstruct', 'language-model']
/** Layers that keep the receptive-field recurrence going without changing it. */
const RF_NEUTRAL: ReadonlySet<string> = new Set(['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Dropout', 'BatchNormalization'])
const NET = 'network'
/** Layers with weights, and those of them whose multiply-adds the report counts (spec-infer.ts). */
const WEIGHTED: ReadonlySet<string> = new Set(['Convolution', 'Deconvolution', 'BatchNormalization', 'Affine', 'TimeEmbedding', 'TimeRNN', 'TimeLSTM', 'TimeAffine'])
const MULTIPLIES: ReadonlySet<string> = new Set(['Convolution', 'Deconvolution', 'Affine', 'TimeRNN', 'TimeLSTM', 'TimeAffine'])

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1

/** Is this layer type a loss layer (ends the network)? */
export function isLossType(type: string): boolean {
  return LOSS_TYPES.has(type)
}

/**
 * Checks a spec and infers everything about it. `ok` is false iff some issue is an error.
 * Shapes exclude the batch dimension. Never throws, whatever `spec` is.
 */
export function validateSpec(spec: unknown): SpecReport {
  const issues = new Issues()
  const report: SpecReport = { ok: false, layers: [], totalParams: 0, totalMacs: 0, outputShape: null, issues: issues.list }
  if (!isObject(spec)) {
    issues.error(-1, NET, 'spec-not-object', `a network must be an object with "input" and "layers", not ${shown(spec)}`)
    return report
  }
  const input = checkTop(spec, issues)
  const vocab = isPosInt(spec.vocab) ? spec.vocab : undefined
  const task = TASKS.includes(spec.task as TaskKind) ? (spec.task as TaskKind) : undefined
  if (!Array.isArray(spec.layers)) {
    issues.error(-1, NET, 'layers-not-array', `"layers" must be a list of layers, not ${shown(spec.layers)}`, 'layers')
    return report
  }
  const raw: unknown[] = spec.layers
  if (raw.length > MAX_LAYERS) {
    // every layer is still checked below: the learner sees what else to fix while removing some
    issues.error(-1, NET, 'too-many-layers',
      `the network has ${num(raw.length)} layers, more than the ${MAX_LAYERS} the lab trains; remove at least ${num(raw.length - MAX_LAYERS)}`,
      'layers', { count: raw.length, max: MAX_LAYERS, extra: raw.length - MAX_LAYERS })
  }
  const names = resolveNames(raw, issues)

  const firstType = isObject(raw[0]) ? raw[0].type : undefined
  let shape: number[] | null = input
  let tokens = input !== null && input.length === 1 &&
    (vocab !== undefined || task === 'language-model' || firstType === 'TimeEmbedding')
  let r = 1 // receptive field (square side) on the input image
  let j = 1 // jump: input pixels between neighbouring outputs
  let rfOn = input !== null && input.length === 3
  const types: (LayerType | null)[] = []
  let collapsed: Collapse | null = null // the layer that made the flowing vector out of a sequence (spec-infer.ts)
  let reshape: string | null = null // the layer before, if a Reshape: its shape is the fix (spec-infer.ts needImage, needSequence)

  for (let i = 0; i < raw.length; i++) {
    const name = names[i]
    const layer = checkLayerFields(raw[i], i, name, issues, vocab)
    types.push(layer ? layer.type : null)
    const rawType = isObject(raw[i]) ? raw[i] as Record<string, unknown> : {}
    const info: LayerInfo = {
      index: i, name,
      // an unknown type is reported; the info still carries what the learner wrote
      type: (layer ? layer.type : String(rawType.type)) as LayerType,
      inShape: shape, outShape: null, params: 0, paramShapes: {}, macs: 0
    }
    let inf: Inferred | null = null
    if (layer && shape) {
      const ctx = { index: i, name, vocab, issues, vocabPending: vocab === undefined && task === 'language-model', collapsed, reshape }
      if (!tokens) inf = inferLayer(layer, shape, ctx)
      else if (layer.type === 'TimeEmbedding') inf = inferEmbedding(layer.dim, shape[0], ctx)
      else {
        issues.error(i, name, 'tokens-need-embedding',
          `${layer.type} cannot read token ids ${shapeText(shape)}; put a TimeEmbedding layer first to turn each token into a vector`,
          undefined, { type: layer.type })
      }
      tokens = false
    }
    if (inf) {
      info.outShape = inf.out
      info.params = inf.params
      info.paramShapes = inf.paramShapes
      info.macs = inf.macs
      if (inf.bufferShapes) info.bufferShapes = inf.bufferShapes
      if (inf.formula !== undefined) info.formula = inf.formula
    }
    ;({ r, j, rfOn } = receptive(layer, info, r, j, rfOn))
    collapsed = collapseAfter(info, collapsed)
    reshape = layer?.type === 'Reshape' ? name : null
    shape = info.outShape
    // a shape (or vocabulary) this layer's counts follow is not known (an error here or before): its 0 is no count (Q7's F1)
    if (WEIGHTED.has(info.type) && Object.keys(info.paramShapes).length === 0) info.paramsUnknown = report.paramsUnknown = true
    if (!info.outShape && MULTIPLIES.has(info.type)) info.macsUnknown = report.macsUnknown = true
    report.totalParams += info.params
    report.totalMacs += info.macs
    report.layers.push(info)
  }
  report.outputShape = report.layers.length ? report.layers[report.layers.length - 1].outShape : null
  report.memoryBytes = lintNetwork({ types, names, infos: report.layers, input, task, totalParams: report.totalParams }, issues)
  report.ok = issues.errors === 0
  return report
}

/** Checks input, vocab, task and name; returns the input shape or null when unusable. */
function checkTop(spec: Record<string, unknown>, issues: Issues): number[] | null {
  let input: number[] | null = null
  const inp = spec.input
  if (Array.isArray(inp) && inp.length >= 1 && inp.length <= 3 && inp.every(isPosInt)) {
    const big = inp.find((d) => d > MAX_INPUT_SIZE)
    // too large a size is said as such, and the shape is not used (nothing after could be built)
    if (big === undefined) input = inp.slice()
    else {
      issues.error(-1, NET, 'input-size-too-large',
        `"input" ${shapeText(inp)} has a size of ${num(big)}; each size may be at most ${num(MAX_INPUT_SIZE)}`, 'input',
        { value: big, max: MAX_INPUT_SIZE, input: inp.join(', ') })
    }
  } else {
    issues.error(-1, NET, 'input-invalid',
      `"input" must be 1 to 3 whole numbers ≥ 1 — (C, H, W) for images such as [1, 28, 28], (T, D) for sequences, ` +
        `(T) for text — not ${shown(inp)}`, 'input', { value: shown(inp) })
  }
  if (spec.vocab !== undefined && !isPosInt(spec.vocab)) {
    issues.error(-1, NET, 'field-not-integer', `"vocab" must be a whole number ≥ 1, not ${shown(spec.vocab)}`, 'vocab',
      { field: 'vocab', value: shown(spec.vocab) })
  } else if (isPosInt(spec.vocab) && spec.vocab > MAX_VOCAB) {
    issues.error(-1, NET, 'field-too-large', `"vocab" must be at most ${num(MAX_VOCAB)}, not ${num(spec.vocab)}; lower it`, 'vocab',
      { field: 'vocab', value: spec.vocab, max: MAX_VOCAB })
  }
  if (spec.task !== undefined && !TASKS.includes(spec.task as TaskKind)) {
    issues.error(-1, NET, 'field-out-of-range', `"task" must be one of ${TASKS.join(', ')}, not ${shown(spec.task)}`, 'task',
      { field: 'task', value: shown(spec.task) })
  }
  if (spec.name !== undefined && typeof spec.name !== 'string') {
    issues.error(-1, NET, 'field-wrong-type', `"name" must be text, not ${shown(spec.name)}`, 'name', { field: 'name' })
  } else if (typeof spec.name === 'string' && spec.name.length > MAX_TITLE) {
    issues.error(-1, NET, 'name-too-long', `its name has ${num(spec.name.length)} characters; shorten it to at most ${MAX_TITLE}`, 'name',
      { field: 'name', length: spec.name.length, max: MAX_TITLE })
  }
  return input
}

/** Resolved layer names (spec-names.ts rules), tolerant of junk; duplicates are errors (weights are keyed by name). */
function resolveNames(raw: unknown[], issues: Issues): string[] {
  const named = raw.map((l) => {
    const o = isObject(l) ? l : {}
    return { type: isLayerType(o.type) ? o.type : 'layer', name: typeof o.name === 'string' ? o.name : undefined }
  })
  const names = layerNames(named as unknown as LayerSpec[])
  const seen = new Map<string, number>()
  names.forEach((n, i) => {
    const first = seen.get(n)
    if (first === undefined) seen.set(n, i)
    else {
      issues.error(i, n, 'duplicate-name', `layer ${i + 1} has the same name as layer ${first + 1}; give each layer its own name`,
        'name', { first: first + 1 })
    }
  })
  return names
}

/** The standard receptive-field recurrence r += (k − 1)·j; j *= s over conv/pool stacks. */
function receptive(layer: LayerSpec | null, info: LayerInfo, r: number, j: number, rfOn: boolean): { r: number; j: number; rfOn: boolean } {
  // a window whose output size is not whole still has its field (its formula is shown); nothing after it does
  if (!rfOn || !layer || (!info.outShape && info.formula === undefined)) return { r, j, rfOn: false }
  if (layer.type === 'Convolution' || layer.type === 'Pooling') {
    const k = layer.type === 'Convolution' ? layer.kernel : layer.size
    r += (k - 1) * j
    j *= strideOf(layer)
    info.receptiveField = r
    return { r, j, rfOn }
  }
  return { r, j, rfOn: RF_NEUTRAL.has(layer.type) }
}

/** A copy of `spec` with the vocabulary size known (set when a text is loaded). */
export function withVocab(spec: NetSpec, vocab: number): NetSpec {
  return { ...spec, vocab }
}

/**
 * The number of units of an Affine/TimeAffine, resolving 'vocab' to the network's vocabulary size.
 * Throws when 'vocab' is unresolved (validateSpec reports that case; builders call this after it).
 */
export function unitsOf(layer: AffineSpec | TimeAffineSpec, vocab: number | undefined): number {
  if (layer.units !== 'vocab') return layer.units
  if (vocab === undefined) throw new Error(`${layer.type}: units is "vocab" but the network has no vocab yet; load the text first`)
  return vocab
}

/** Every layer's shapes, parameters and formulas (see validateSpec). */
export function inferShapes(spec: NetSpec): LayerInfo[] {
  return validateSpec(spec).layers
}

/** Number of learnable values in the network (only the known ones: see SpecReport.paramsUnknown). */
export function paramCount(spec: NetSpec): number {
  return validateSpec(spec).totalParams
}
