/** Every shape and network error names the layer, the field and what to change — and the change works. */
import { describe, expect, it } from 'vitest'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'
import { codes, only } from './helpers'

const digits = (...layers: LayerSpec[]): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers })
const head: LayerSpec[] = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]

describe('sliding windows that do not fit', () => {
  it('says a pooling output is fractional and suggests window strides and pads that tile it', () => {
    const r = validateSpec(digits({ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Pooling', size: 3, stride: 3 }, ...head))
    const e = only(r, 'pool-size-not-integer')
    expect(e.layerName).toBe('pool1')
    expect(e.message).toBe('pool1: (26 + 2·0 − 3) / 3 + 1 = 8.67 is not a whole number; use stride 1, or pad 2')
    expect(r.ok).toBe(false)
    expect(validateSpec(digits({ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'Pooling', size: 3, stride: 3, pad: 2 }, ...head)).ok).toBe(true)
  })

  it('names the axis when only one side of a non-square input is fractional', () => {
    const conv = (stride: number, pad = 0): LayerSpec => ({ type: 'Convolution', filters: 2, kernel: 5, stride, pad })
    const r = validateSpec({ input: [1, 29, 31], layers: [conv(3), ...head] })
    const e = only(r, 'conv-size-not-integer')
    // height (29 − 5) / 3 + 1 = 9 is fine; no pad below 5 makes both sides whole with stride 3
    expect(e.message).toBe('conv1: width (31 + 2·0 − 5) / 3 + 1 = 9.67 is not a whole number; use stride 1 or 2')
    expect(r.layers[0].formula).toBe('H: (29 + 2·0 − 5) / 3 + 1 = 9; W: (31 + 2·0 − 5) / 3 + 1 = 9.67')
    for (const s of [1, 2]) expect(validateSpec({ input: [1, 29, 31], layers: [conv(s), ...head] }).ok).toBe(true)
    for (const p of [1, 2, 3, 4]) expect(validateSpec({ input: [1, 29, 31], layers: [conv(3, p), ...head] }).ok).toBe(false)
  })

  it('falls back to window sizes when no stride or pad works', () => {
    // 5 + 2·0 − 4 = 1: stride 2..4 never divides 1 and pads must keep the stride; sizes 3 and 5 work with stride 2
    const r = validateSpec({ input: [1, 5, 5], layers: [{ type: 'Convolution', filters: 1, kernel: 4, stride: 2, pad: 0 }, ...head] })
    const e = only(r, 'conv-size-not-integer')
    const { strides, pads, sizes } = e.values as Record<string, string>
    if (strides === '' && pads === '') expect(e.message).toMatch(/use a (\d+×\d+)( or \d+×\d+)? kernel$/)
    for (const k of sizes.split(', ').filter(Boolean).map(Number)) {
      expect(validateSpec({ input: [1, 5, 5], layers: [{ type: 'Convolution', filters: 1, kernel: k, stride: 2 }, ...head] }).ok).toBe(true)
    }
  })

  it('says when a kernel is larger than its input and how much pad would fit it', () => {
    const r = validateSpec({ input: [1, 3, 3], layers: [{ type: 'Convolution', filters: 2, kernel: 5 }, ...head] })
    const e = only(r, 'conv-kernel-too-large')
    expect(e.message).toBe('conv1: the 5×5 kernel is larger than the 3×3 input with pad 0 (3 + 2·0 = 3); use a kernel of at most 3, or pad 1 or more')
    expect(e.field).toBe('kernel')
    expect(r.layers[0].outShape).toBeNull()
    expect(validateSpec({ input: [1, 3, 3], layers: [{ type: 'Convolution', filters: 2, kernel: 5, pad: 1 }, ...head] }).ok).toBe(true)
  })

  it('says when a pooling window is larger than the feature map, with fixes that keep its stride whole', () => {
    const pools = (last: LayerSpec): LayerSpec[] => [{ type: 'Convolution', filters: 2, kernel: 3, pad: 1 },
      { type: 'Pooling', size: 2 }, { type: 'Pooling', size: 2 }, { type: 'Pooling', size: 2 }, { type: 'Pooling', size: 2 }, last, ...head]
    // 16 → 8 → 4 → 2 → 1 → then a 2×2 window (stride 2, its own size) on a 1×1 map
    const r = validateSpec({ input: [1, 16, 16], layers: pools({ type: 'Pooling', size: 2 }) })
    const e = only(r, 'pool-window-too-large')
    expect(e.layerName).toBe('pool5')
    // Q7's F3: "a window of at most 1, or pad 1 or more" — pad 1 gave (1 + 2·1 − 2) / 2 + 1 = 1.5, a new error
    // M37's note: the 1×1 window offered there passes the 1×1 map on unchanged; the layer is better removed
    expect(e.message).toBe('pool5: the 2×2 window is larger than the 1×1 input with pad 0 (1 + 2·0 = 1); remove this layer (a 1×1 window would pass its input on unchanged), or stride 1 with pad 1')
    expect(e.values).toMatchObject({ sizes: '', pads: '', stridePad: '1, 1', stride: 2, remove: 1 })
    // with stride 1 too ("a window of at most 1" was that same no-op); a convolution's 1×1 kernel mixes channels: kept
    const s1 = only(validateSpec({ input: [1, 16, 16], layers: pools({ type: 'Pooling', size: 2, stride: 1 }) }), 'pool-window-too-large')
    expect(s1.message).toBe('pool5: the 2×2 window is larger than the 1×1 input with pad 0 (1 + 2·0 = 1); remove this layer (a 1×1 window would pass its input on unchanged), or pad 1')
    const conv = only(validateSpec({ input: [1, 1, 1], layers: [{ type: 'Convolution', filters: 2, kernel: 2, stride: 2 }, ...head] }), 'conv-kernel-too-large')
    expect(conv.values).toMatchObject({ sizes: '1' })
    expect(conv.values!.remove).toBeUndefined()
    // a 1×1 stride-2 window on a 3×3 map subsamples it: still offered
    const sub = only(validateSpec({ input: [1, 3, 3], layers: [{ type: 'Pooling', size: 4, stride: 2 }, ...head] }), 'pool-window-too-large')
    expect(sub.values!.remove).toBeUndefined()
    expect(validateSpec({ input: [1, 16, 16], layers: pools({ type: 'Pooling', size: 1, stride: 2 }) }).ok).toBe(true)
    expect(validateSpec({ input: [1, 16, 16], layers: pools({ type: 'Pooling', size: 2, stride: 1, pad: 1 }) }).ok).toBe(true)
    expect(codes(validateSpec({ input: [1, 16, 16], layers: pools({ type: 'Pooling', size: 2, pad: 1 }) }))).toContain('pool-size-not-integer')
  })

  it('offers for a window too large only settings that give a whole size with its stride, and each one works', () => {
    const net = (pool: LayerSpec): NetSpec => ({ input: [8, 3, 3], layers: [pool, ...head] })
    // 4×4 stride 4 on 3×3: pad 1 gives (3 + 2 − 4) / 4 + 1 = 1.25, pad 2 1.75, pad 3 2.25
    const e = only(validateSpec(net({ type: 'Pooling', size: 4 })), 'pool-window-too-large')
    expect(e.message).toBe('pool1: the 4×4 window is larger than the 3×3 input with pad 0 (3 + 2·0 = 3); use a 3×3 window, or stride 1 with pad 1')
    expect(validateSpec(net({ type: 'Pooling', size: 3, stride: 4 })).ok).toBe(true)
    expect(validateSpec(net({ type: 'Pooling', size: 4, stride: 1, pad: 1 })).ok).toBe(true)
    // a stride-2 5×5 kernel on 3×3: pad 1 gives (3 + 2 − 5) / 2 + 1 = 1, pad 2 gives 2
    const c = only(validateSpec(net({ type: 'Convolution', filters: 2, kernel: 5, stride: 2 })), 'conv-kernel-too-large')
    expect(c.values).toMatchObject({ sizes: '3, 1', pads: '1, 2' })
    for (const k of [3, 1]) expect(validateSpec(net({ type: 'Convolution', filters: 2, kernel: k, stride: 2 })).ok, `kernel ${k}`).toBe(true)
    for (const pad of [1, 2]) expect(validateSpec(net({ type: 'Convolution', filters: 2, kernel: 5, stride: 2, pad })).ok, `pad ${pad}`).toBe(true)
  })
})

describe('after a layer whose output is not known (Q7 F1, F2)', () => {
  it('counts a convolution\'s weights whose kernel does not fit, and marks the counts after it unknown', () => {
    const r = validateSpec(digits({ type: 'Convolution', filters: 8, kernel: 29 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(codes(r).filter((c) => c !== 'no-flatten')).toContain('conv-kernel-too-large')
    expect(r.layers[0]).toMatchObject({ params: 8 * 29 * 29 + 8, paramShapes: { W: [8, 1, 29, 29], b: [8] }, macs: 0, macsUnknown: true })
    expect(r.layers[0].paramsUnknown).toBeUndefined()
    expect(r.layers[2]).toMatchObject({ params: 0, paramsUnknown: true, macsUnknown: true })
    expect(r.layers[1].paramsUnknown).toBeUndefined()
    expect(r).toMatchObject({ totalParams: 6736, paramsUnknown: true, macsUnknown: true })
  })

  it('does not count a convolution after a flat vector as having no weights', () => {
    const r = validateSpec(digits({ type: 'Affine', units: 100 }, { type: 'Convolution', filters: 8, kernel: 3 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }))
    expect(only(r, 'needs-image').layer).toBe(1)
    expect(r.layers.map((l) => l.paramsUnknown ?? false)).toEqual([false, true, true, false])
    expect(r).toMatchObject({ totalParams: 78_500, paramsUnknown: true })
    // a valid network has none of the marks
    const ok = validateSpec(digits({ type: 'Convolution', filters: 8, kernel: 3 }, ...head))
    expect(ok.ok).toBe(true)
    expect([ok.paramsUnknown, ok.macsUnknown, ...ok.layers.map((l) => l.paramsUnknown ?? l.macsUnknown)].every((x) => x === undefined)).toBe(true)
  })

  it('reports no error worked out from the rounded-down size after one that is not whole', () => {
    // (a) 28 → 24 → 12 → 6 → 3 → 1.5: pool5 on the floored 1×1 said "2×2 window larger than the 1×1 input", a phantom
    const pool: LayerSpec = { type: 'Pooling', size: 2 }
    const a = validateSpec(digits({ type: 'Convolution', filters: 8, kernel: 5 }, { type: 'Relu' }, pool, pool, pool, pool, pool, ...head))
    expect(a.issues.filter((i) => i.severity === 'error').map((i) => `${i.layerName} ${i.code}`)).toEqual(['pool4 pool-size-not-integer'])
    expect(a.layers[5].outShape).toBeNull()
    expect(a.layers[5].formula).toBe('(3 + 2·0 − 2) / 2 + 1 = 1.50')
    expect(a.layers[6].inShape).toBeNull()
    expect(a.layers[8]).toMatchObject({ paramsUnknown: true })
    // fixing pool4 as it says makes pool5's error real, and then it is reported
    const pool1: LayerSpec = { type: 'Pooling', size: 2, stride: 1 }
    const fixed = validateSpec(digits({ type: 'Convolution', filters: 8, kernel: 5 }, { type: 'Relu' }, pool, pool, pool, pool1, pool, ...head))
    expect(fixed.ok).toBe(true)
    // (b) an autoencoder with a pooling too many: its loss compared an output (1, 12, 12) shown nowhere with the input
    const up: LayerSpec = { type: 'Upsample', scale: 2 }
    const b = validateSpec({ input: [1, 28, 28], task: 'reconstruct', layers: [
      { type: 'Convolution', filters: 8, kernel: 3, pad: 1 }, { type: 'Relu' }, pool, pool, pool, up, up,
      { type: 'Convolution', filters: 1, kernel: 3, pad: 1 }, { type: 'SigmoidWithLoss' }] })
    expect(b.issues.filter((i) => i.severity === 'error').map((i) => `${i.layerName} ${i.code}`)).toEqual(['pool3 pool-size-not-integer'])
    expect(b.issues.map((i) => i.message).join('\n')).not.toContain('(1, 12, 12)')
    expect(b.layers[4].receptiveField).toBe(10) // the window of the layer not whole still has its field: 3, 4, 6, 10
  })
})

describe('layers that need another shape', () => {
  it('rejects a Reshape whose size differs and says what the sizes must multiply to', () => {
    const r = validateSpec(digits({ type: 'Affine', units: 100 }, { type: 'Reshape', shape: [1, 28, 28] }, ...head))
    const e = only(r, 'reshape-size-mismatch')
    expect(e.message).toBe('reshape1: cannot reshape (100) = 100 values to (1, 28, 28) = 784 values; the sizes must multiply to 100')
    expect(e.field).toBe('shape')
    expect(validateSpec(digits({ type: 'Affine', units: 100 }, { type: 'Reshape', shape: [1, 10, 10] }, ...head)).ok).toBe(true)
    expect(validateSpec(digits({ type: 'Affine', units: 100 }, { type: 'Reshape', shape: [4, -1] }, { type: 'TimeLSTM', hidden: 8 },
      { type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })).layers[1].outShape).toEqual([4, 25])
  })

  it('tells the learner to reshape an image to (28, 28) before a TimeLSTM, and that works', () => {
    const rest: LayerSpec[] = [{ type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    for (const cell of ['TimeLSTM', 'TimeRNN'] as const) {
      const r = validateSpec(digits({ type: cell, hidden: 32 }, ...rest))
      const e = only(r, 'needs-sequence')
      expect(e.message).toContain('reshape to (28, 28) first')
      expect(e.message).toMatch(new RegExp(`^${cell === 'TimeLSTM' ? 'lstm1' : 'rnn1'}: ${cell} needs a sequence \\(T, D\\) but gets the image \\(1, 28, 28\\)`))
      expect(validateSpec(digits({ type: 'Reshape', shape: [28, 28] }, { type: cell, hidden: 32 }, ...rest)).ok).toBe(true)
    }
  })

  it('wants a Convolution before Flatten/Affine and suggests the Reshape that would restore an image', () => {
    const r = validateSpec(digits({ type: 'Flatten' }, { type: 'Convolution', filters: 8, kernel: 3 }, ...head))
    const e = only(r, 'needs-image')
    expect(e.message).toBe('conv1: Convolution needs an image (C, H, W) but gets a flat vector of 784 values; ' +
      'Convolution must come before Flatten and Affine, so move it up, or add a Reshape to (1, 28, 28) before it')
    const afterAffine = validateSpec(digits({ type: 'Affine', units: 30 * 12 * 12 }, { type: 'Pooling', size: 2 }, ...head))
    expect(only(afterAffine, 'needs-image').message).toContain('a Reshape to (30, 12, 12)')
    // the editor words the same target (Q7 F9: it said "(C, H, W)")
    expect(only(afterAffine, 'needs-image').values).toMatchObject({ target: '(30, 12, 12)' })
  })

  it('tells a Reshape right above that gives no image to change its shape, not to add another Reshape', () => {
    // the sequence case's fix (needs-sequence) for an image layer: a Reshape to (28, 28) then a Convolution
    const rows = only(validateSpec(digits({ type: 'Reshape', shape: [28, 28] }, { type: 'Convolution', filters: 8, kernel: 3 }, ...head)), 'needs-image')
    expect(rows.message).toBe('conv1: Convolution needs an image (C, H, W) but gets (28, 28); set the shape of reshape1 to (1, 28, 28)')
    expect(rows.values).toMatchObject({ reshape: 'reshape1', target: '(1, 28, 28)' })
    const flat = only(validateSpec(digits({ type: 'Reshape', shape: [784] }, { type: 'Pooling', size: 2 }, ...head)), 'needs-image')
    expect(flat.message).toContain('; set the shape of reshape1 to (1, 28, 28)')
    // no square side to offer: the size it must keep
    const odd = only(validateSpec({ input: [1, 1, 7], layers: [{ type: 'Reshape', shape: [7] }, { type: 'Convolution', filters: 2, kernel: 1 }, ...head] }), 'needs-image')
    expect(odd.message).toContain('; set the shape of reshape1 to a (C, H, W) with C·H·W = 7')
    // not after a Flatten: move it up, as before
    expect(only(validateSpec(digits({ type: 'Flatten' }, { type: 'Convolution', filters: 8, kernel: 3 }, ...head)), 'needs-image').values!.reshape).toBeUndefined()
  })

  it('needs scores at every step before TimeSoftmaxWithLoss', () => {
    const r = validateSpec({ input: [784], layers: [{ type: 'Affine', units: 10 }, { type: 'TimeSoftmaxWithLoss' }] })
    expect(only(r, 'needs-sequence').message).toBe(
      'tsoftmax1: TimeSoftmaxWithLoss needs scores at every step (T, V) but gets (10); use SoftmaxWithLoss for one output per example')
    // an image: no TimeAffine turns it into steps of scores (it said "put TimeAffine before it")
    const image = only(validateSpec(digits({ type: 'Convolution', filters: 4, kernel: 3 }, { type: 'TimeSoftmaxWithLoss' })), 'needs-sequence')
    expect(image.message).toBe('tsoftmax1: TimeSoftmaxWithLoss needs scores at every step (T, V) but gets (4, 26, 26); a per-step loss needs a sequence ' +
      'of scores, as a language model makes them (TimeEmbedding, TimeLSTM, TimeAffine); to classify images use SoftmaxWithLoss')
  })

  it('tells a layer after a LastTimeStep (or another layer that made the sequence one vector) to undo that, not to reshape', () => {
    // Q3's language model: a LastTimeStep before the per-step loss (it was told "use SoftmaxWithLoss", the editor "add a Reshape")
    const lm = (...mid: LayerSpec[]): NetSpec => ({ input: [64], task: 'language-model', vocab: 74,
      layers: [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeLSTM', hidden: 32 }, ...mid, { type: 'TimeSoftmaxWithLoss' }] })
    const last = only(validateSpec(lm({ type: 'TimeAffine', units: 'vocab' }, { type: 'LastTimeStep' })), 'needs-sequence')
    expect(last.message).toBe('tsoftmax1: TimeSoftmaxWithLoss needs scores at every step (T, V) but gets (74); ' +
      'last1 keeps only the last time step: remove last1, or use SoftmaxWithLoss to classify the whole sequence')
    expect(last.values).toMatchObject({ type: 'TimeSoftmaxWithLoss', by: 'last1', byType: 'LastTimeStep', affines: '' })
    // an Affine after it flattens nothing more, but would have to become a TimeAffine once last1 goes
    const affine = only(validateSpec(lm({ type: 'LastTimeStep' }, { type: 'Affine', units: 74 })), 'needs-sequence')
    expect(affine.message).toContain('last1 keeps only the last time step: remove last1 and make affine1 a TimeAffine, or use SoftmaxWithLoss')
    expect(affine.values).toMatchObject({ by: 'last1', affines: 'affine1' })
    // an Affine on the sequence made the vector itself (it has its own warning)
    const onSeq = validateSpec(lm({ type: 'Affine', units: 74 }))
    expect(only(onSeq, 'needs-sequence').message).toContain('affine1 flattens the sequence into one vector: make affine1 a TimeAffine, or use SoftmaxWithLoss')
    expect(codes(onSeq)).toEqual(['affine-on-sequence', 'needs-sequence'])
    // and each fix it names works
    expect(validateSpec(lm({ type: 'TimeAffine', units: 'vocab' })).ok).toBe(true)
    expect(validateSpec(lm({ type: 'TimeAffine', units: 74 })).ok).toBe(true)
  })

  it('tells a recurrent layer after LastTimeStep or Flatten to move that layer after it, not to reshape the vector', () => {
    const rows = (...mid: LayerSpec[]): NetSpec => ({ input: [28, 28], task: 'classify',
      layers: [{ type: 'TimeLSTM', hidden: 32 }, ...mid, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const e = only(validateSpec(rows({ type: 'LastTimeStep' }, { type: 'TimeLSTM', hidden: 16 })), 'needs-sequence')
    // it said "reshape to (T, D) with T·D = 32 first"
    expect(e.message).toBe('lstm2: TimeLSTM needs a sequence (T, D) but gets (32); last1 keeps only the last time step: remove last1, or move it after lstm2')
    expect(validateSpec(rows({ type: 'TimeLSTM', hidden: 16 }, { type: 'LastTimeStep' })).ok).toBe(true)
    const flat = only(validateSpec(rows({ type: 'Flatten' }, { type: 'TimeRNN', hidden: 16 }, { type: 'LastTimeStep' })), 'needs-sequence')
    expect(flat.message).toContain('(896); flatten1 flattens the sequence into one vector: remove flatten1, or move it after rnn1')
    // a Reshape right above with the wrong shape is to be changed, not joined by another (Q3: the palette's comes as (1, 28, 28))
    const wrong = only(validateSpec(digits({ type: 'Reshape', shape: [1, 28, 28] }, { type: 'TimeLSTM', hidden: 8 }, { type: 'LastTimeStep' }, ...head.slice(1))), 'needs-sequence')
    expect(wrong.message).toBe('lstm1: TimeLSTM needs a sequence (T, D) but gets the image (1, 28, 28); set the shape of reshape1 to (28, 28)')
    expect(wrong.values).toMatchObject({ reshape: 'reshape1', target: '(28, 28)' })
    // a vector that never was a sequence still gets the reshape
    const flatInput = only(validateSpec({ input: [784], layers: [{ type: 'TimeLSTM', hidden: 8 }, { type: 'LastTimeStep' }, ...head.slice(1)] }), 'needs-sequence')
    expect(flatInput.message).toContain('reshape to (28, 28) first')
    expect(flatInput.values!.by).toBeUndefined()
  })

  it('needs a vector before SoftmaxWithLoss', () => {
    const r = validateSpec(digits({ type: 'Convolution', filters: 10, kernel: 3 }, { type: 'SoftmaxWithLoss' }))
    expect(only(r, 'softmax-needs-vector').message).toContain('put Flatten and an Affine with one unit per class before it')
  })
})

describe('token inputs and the vocabulary', () => {
  const lm = (extra: Partial<NetSpec>, layers: LayerSpec[]): NetSpec => ({ input: [32], ...extra, layers })
  const cells: LayerSpec[] = [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeLSTM', hidden: 32 },
    { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]

  it('rejects a TimeEmbedding on tokens when nothing will ever set the vocabulary', () => {
    const r = validateSpec(lm({}, cells))
    expect(r.issues.map((i) => [i.code, i.layerName, i.field])).toEqual([['vocab-missing', 'embed1', 'vocab'], ['vocab-missing', 'taffine1', 'units']])
    expect(r.issues[0].message).toBe('embed1: the input is token ids but the vocabulary size is not known; open a text (it sets vocab) or set "vocab" on the network')
    expect(r.ok).toBe(false)
  })

  it('only warns for a language model, whose text sets the vocabulary later', () => {
    const r = validateSpec(lm({ task: 'language-model' }, cells))
    expect(r.ok).toBe(true)
    expect(codes(r)).toEqual(['vocab-pending', 'vocab-pending'])
    const known = validateSpec(withVocab(lm({ task: 'language-model' }, cells), 50))
    expect(known.issues).toEqual([])
    expect(known.layers[0].paramShapes).toEqual({ W: [50, 16] })
    expect(known.layers[1].paramShapes).toEqual({ Wx: [16, 128], Wh: [32, 128], b: [128] })
    expect(known.layers[2].paramShapes).toEqual({ W: [32, 50], b: [50] })
    expect(known.outputShape).toEqual([32, 50])
  })

  it('asks for a TimeEmbedding before anything else reads token ids', () => {
    const r = validateSpec(lm({ vocab: 40 }, [{ type: 'TimeLSTM', hidden: 8 }, { type: 'TimeAffine', units: 40 }, { type: 'TimeSoftmaxWithLoss' }]))
    expect(only(r, 'tokens-need-embedding').message).toBe('lstm1: TimeLSTM cannot read token ids (32); put a TimeEmbedding layer first to turn each token into a vector')
  })

  it('rejects a TimeEmbedding that does not get tokens', () => {
    const r = validateSpec(digits({ type: 'TimeEmbedding', dim: 8 }, ...head))
    expect(only(r, 'embedding-needs-tokens').layerName).toBe('embed1')
  })

  it('wants the language model to score every token of the vocabulary', () => {
    const r = validateSpec(lm({ vocab: 40, task: 'language-model' }, [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 8 },
      { type: 'TimeAffine', units: 30 }, { type: 'TimeSoftmaxWithLoss' }]))
    expect(only(r, 'lm-output-not-vocab').message).toContain('set the units of the TimeAffine before it to "vocab"')
  })
})

describe('the loss layer', () => {
  it('must be last: an Affine after it is an error naming both layers', () => {
    const r = validateSpec(digits({ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'Affine', units: 10 }))
    const e = only(r, 'loss-not-last')
    expect(e.message).toBe('affine2: comes after the loss layer softmax1; the loss layer must be the last layer, so move softmax1 to the end or remove affine2')
    expect(r.ok).toBe(false)
  })

  it('two loss layers: the second one is after the first', () => {
    const r = validateSpec(digits({ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }, { type: 'MSE' }))
    expect(only(r, 'loss-not-last').layerName).toBe('mse1')
  })

  it('a network without one cannot be trained, and the message says which loss to add', () => {
    const r = validateSpec(digits({ type: 'Affine', units: 10 }))
    const e = only(r, 'no-loss')
    expect(e.layer).toBe(-1)
    expect(e.message).toContain('add SoftmaxWithLoss at the end')
    expect(only(validateSpec({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 784 }] }), 'no-loss').message)
      .toContain('MSE or SigmoidWithLoss')
    expect(only(validateSpec(digits()), 'no-layers').severity).toBe('error')
  })

  it('must fit the task', () => {
    const r = validateSpec({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(only(r, 'loss-task-mismatch').message).toContain('use MSE or SigmoidWithLoss')
    const small = validateSpec({ input: [1, 28, 28], task: 'reconstruct', layers: [{ type: 'Affine', units: 10 }, { type: 'MSE' }] })
    expect(only(small, 'reconstruct-size-mismatch').message).toBe(
      'mse1: compares an output (10) = 10 values with the input (1, 28, 28) = 784 values; the layer before it must output (1, 28, 28)')
  })
})

describe('memory', () => {
  it('rejects a network too large to train and says how much it needs and where', () => {
    const r = validateSpec({ input: [3, 224, 224], layers: [{ type: 'Affine', units: 4096 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const e = only(r, 'too-large')
    const params = 3 * 224 * 224 * 4096 + 4096 + 4096 * 10 + 10
    expect(r.totalParams).toBe(params)
    expect(e.layerName).toBe('affine1')
    // 4 bytes each for the weights, their gradients, two Adam moments and the last-good copy (before, the copy and the
    // gradients were not counted: × 3); for a batch of 100 each layer's output and the gradient it passes back (its
    // input's size; the held-out evaluation runs in chunks of 100 in the same blocks); the training thread's 3 MiB of
    // kernel workspaces. One unit on affine1 would fit: the layer is to blame, not the input.
    const batch = (4096 + 150_528) + (4096 + 4096) + (10 + 4096) + (10 + 10)
    expect(e.values!.bytes).toBe(params * 20 + batch * 100 * 4 + 3 * 2 ** 20)
    expect(e.layer).toBe(0)
    expect(e.message).toContain('the largest part is this layer (616,')
    expect(e.message).toMatch(/needs about 11\.55 GiB to train \(616,6\d\d,\d\d\d parameters × 4 bytes × 5 for weights, their gradients, optimizer state and the copy kept in case training diverges/)
    expect(e.message).toContain('more than the 2.00 GiB limit')
    expect(r.ok).toBe(false)
  })

  it('counts the copy of the weights a run keeps against a divergence: a network that fits without it is refused', () => {
    // 140 M parameters: 1.56 GiB for weights and Adam's moments, 2.09 GiB with the last-good copy (train/last-good.ts)
    const r = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 178_000 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(r.totalParams * 12).toBeLessThan(2 ** 31 - 10 * 2 ** 20)
    expect(only(r, 'too-large').severity).toBe('error')
    expect(r.memoryBytes).toBeGreaterThanOrEqual(r.totalParams * 20)
  })

  it('blames the input, not the next layer, when even one unit or filter there leaves the network over the limit', () => {
    // the MLP preset's layers on a 5,000 × 5,000 input: a batch of 100 such inputs and their gradients is 18.6 GiB
    // before affine1 has a single unit, so lowering its Units cannot help (it was blamed before, "make it smaller")
    const mlp = (input: number[]): ReturnType<typeof validateSpec> => validateSpec({ input, layers: [{ type: 'Flatten' }, { type: 'Affine', units: 100 }, { type: 'Relu' },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const e = only(mlp([1, 5000, 5000]), 'too-large')
    expect(e).toMatchObject({ layer: -1, field: 'input', values: { input: '(1, 5000, 5000)' } })
    expect(e.message).toMatch(/; the input \(1, 5000, 5000\) \(25,000,000 values an example\) is the cause: even with one unit or filter on affine1, the layers up to it need 2\d\.\d\d GiB, so make the input shape smaller$/)
    // a convolution's im2col copy of a 3 × 512 × 512 batch is 2.8 GiB with one filter: the input's too
    const conv = validateSpec({ input: [3, 512, 512], layers: [{ type: 'Convolution', filters: 8, kernel: 3, pad: 1 }, { type: 'Relu' },
      { type: 'Pooling', size: 512 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(only(conv, 'too-large')).toMatchObject({ layer: -1, field: 'input' })
    // a wide layer on a small input is the layer's doing, even with only Flatten before it
    const wide = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 400_000 }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(only(wide, 'too-large')).toMatchObject({ layer: 1, layerName: 'affine1' })
    expect(only(wide, 'too-large').values!.input).toBeUndefined()
  })

  it('blames the input only when a plain layer on it is too large; else the kernel and padding, or the layers before (Q7 F6)', () => {
    // a 64×64 kernel with padding 63 on a digit: one filter unfolds 4,096 values at each of 91×91 outputs (12.6 GiB);
    // a 3×3 kernel there would fit, so the input (1, 28, 28) is not the cause
    const kernel = only(validateSpec({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4096, kernel: 64, pad: 63 }, { type: 'Flatten' },
      { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }), 'too-large')
    expect(kernel).toMatchObject({ layer: 0, layerName: 'conv1', values: { kernel: 64, outH: 91, outW: 91 } })
    expect(kernel.field).toBeUndefined()
    expect(kernel.values!.input).toBeUndefined()
    expect(kernel.message).toMatch(/; even with one filter this layer needs 1\d\.\d\d GiB: its 64×64 kernel at each of its 91×91 output positions, so make its kernel or its padding smaller, or its stride larger$/)
    // 4,998 ReLUs before one Affine: their outputs and gradients are the memory, not the 784 values of a digit
    const relus = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, ...Array.from({ length: 250 }, () => ({ type: 'Relu' as const })),
      ...Array.from({ length: 4747 }, () => ({ type: 'Relu' as const })), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const many = only(relus, 'too-large')
    expect(many).toMatchObject({ layer: -1, values: { count: 4998, before: 'affine1' } })
    expect(many.field).toBeUndefined()
    expect(many.message).toMatch(/; the 4,998 layers before affine1 hold 2\.\d\d GiB of outputs and gradients between them, which no smaller layer would fix, so remove some of them$/)
    // one Upsample that makes a big map out of a digit before the first convolution: that layer, by name
    const up = only(validateSpec({ input: [1, 28, 28], layers: [{ type: 'Upsample', scale: 16 }, { type: 'Upsample', scale: 4 }, { type: 'Convolution', filters: 1, kernel: 1 },
      { type: 'Pooling', size: 64 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }), 'too-large')
    expect(up).toMatchObject({ layerName: 'upsample2' })
    expect(up.message).toContain('the largest part is this layer (output (1, 1792, 1792)')
  })

  it('counts big activations too, not only parameters', () => {
    // 64 channels of 512×512 per example, 3 times over: 3·64·512·512·4 B·100 ≈ 18.8 GiB of outputs
    const r = validateSpec({ input: [3, 512, 512], layers: [{ type: 'Convolution', filters: 64, kernel: 3, pad: 1 }, { type: 'Relu' },
      { type: 'Convolution', filters: 64, kernel: 3, pad: 1 }, { type: 'Pooling', size: 512 }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect(r.totalParams).toBeLessThan(50_000)
    expect(only(r, 'too-large').severity).toBe('error')
    expect(r.memoryBytes).toBeGreaterThan(2 ** 31)
  })
})

describe('values nested too deep to quote', () => {
  it('says a field, the input or a layer nested 20,000 deep is wrong, instead of overflowing the stack quoting it', () => {
    // JSON.parse reads any depth (a spec file given to `lab validate`); the message's quote of the value recursed
    // (JSON.stringify, then String), so validateSpec threw 'Maximum call stack size exceeded'
    const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000)) as never
    expect(only(validateSpec({ input: [4], layers: [{ type: 'Affine', units: deep }, { type: 'SoftmaxWithLoss' }] }), 'field-wrong-type').message)
      .toBe('affine1: "units" must be a whole number ≥ 1, not a list nested too deep to show')
    expect(validateSpec({ input: deep, layers: [] }).issues[0].message).toMatch(/"input" must be .* not a list nested t/)
    expect(validateSpec({ input: [4], layers: deep }).issues[0].message).toMatch(/not a list nested too deep to show$/)
  })
})
