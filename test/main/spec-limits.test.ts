/**
 * Every limit the host's payload check puts on a network (src-main/ipc/validate.ts netSpecSchema) is named first by the
 * engine's validator (validateSpec, which the editor, a JSON import, the project reader and the CLI use), as an error
 * at the network or the layer's field with the limit in its values; just at the limit both take it (Q4's B1: a network
 * of 301 layers was "✓ Ready to train" and Start failed with '"spec.layers" must be at most 256 long'). And what the
 * validator takes the wire takes: a Reshape's -1 ("work this size out") was refused by the wire. On the old code the
 * validator had no upper limit at all (every "over" case fails) and the wire refused -1.
 */
import { describe, expect, it } from 'vitest'
import { validatePayload } from '../../src-main/ipc/validate'
import { validateSpec } from '../../src-engine/spec'
import { MAX_LAYERS } from '../../src-engine/spec-limits'
import type { NetSpec } from '../../src-engine/spec-types'

type Raw = Record<string, unknown>
const mlp = (layers: Raw[] = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }], top: Raw = {}): Raw =>
  ({ input: [1, 28, 28], layers, ...top })

/**
 * One case per limit the wire holds: the spec just over it, and where the validator must say so. `at` is the same
 * spec at the limit, which both must take (the validator may still warn, or refuse it for its size in memory, which
 * is its own and not the wire's: such a spec is checked for that code not to be the limit's).
 */
interface Case { what: string; over: Raw; at: Raw; layer: number; field: string; code: string; max: number }

const layerCase = (what: string, layer: Raw, field: string, max: number, over: unknown, at: unknown, before: Raw[] = [], after: Raw[] = []): Case => ({
  what, layer: before.length, field, code: 'field-too-large', max,
  over: mlp([...before, { ...layer, [field]: over }, ...after]),
  at: mlp([...before, { ...layer, [field]: at }, ...after])
})

const tail: Raw[] = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
const seq: Raw[] = [{ type: 'LastTimeStep' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
const toSeq: Raw[] = [{ type: 'Reshape', shape: [28, 28] }]

const CASES: Case[] = [
  layerCase('convolution filters', { type: 'Convolution', kernel: 3 }, 'filters', 4096, 4097, 4096, [], tail),
  layerCase('convolution kernel', { type: 'Convolution', filters: 1 }, 'kernel', 64, 65, 64, [], tail),
  layerCase('convolution stride', { type: 'Convolution', filters: 1, kernel: 1 }, 'stride', 64, 65, 64, [], tail),
  layerCase('convolution pad', { type: 'Convolution', filters: 1, kernel: 3 }, 'pad', 64, 65, 64, [], tail),
  layerCase('transposed convolution filters', { type: 'Deconvolution', kernel: 2, stride: 2 }, 'filters', 4096, 5000, 4096, [], tail),
  layerCase('pooling size', { type: 'Pooling', stride: 1, pad: 20 }, 'size', 64, 65, 64, [{ type: 'Convolution', filters: 1, kernel: 1 }, { type: 'Relu' }], tail),
  layerCase('pooling stride', { type: 'Pooling', size: 2 }, 'stride', 64, 65, 64, [{ type: 'Convolution', filters: 1, kernel: 1 }, { type: 'Relu' }], tail),
  layerCase('pooling pad', { type: 'Pooling', size: 2, stride: 2 }, 'pad', 64, 65, 64, [{ type: 'Convolution', filters: 1, kernel: 1 }, { type: 'Relu' }], tail),
  layerCase('upsample scale', { type: 'Upsample' }, 'scale', 16, 17, 16, [], tail),
  layerCase('affine units', { type: 'Affine' }, 'units', 1_000_000, 1_000_001, 1_000_000, [{ type: 'Flatten' }], [{ type: 'SoftmaxWithLoss' }]),
  layerCase('reshape size', { type: 'Reshape' }, 'shape', 1_000_000, [1_000_001], [784], [], tail),
  layerCase('embedding dim', { type: 'TimeEmbedding' }, 'dim', 4096, 4097, 4096),
  layerCase('RNN hidden', { type: 'TimeRNN' }, 'hidden', 4096, 4097, 4096, toSeq, seq),
  layerCase('LSTM hidden', { type: 'TimeLSTM' }, 'hidden', 4096, 4097, 4096, toSeq, seq),
  layerCase('time affine units', { type: 'TimeAffine' }, 'units', 1_000_000, 1_000_001, 1_000_000, toSeq, seq),
  {
    what: 'layer name', layer: 1, field: 'name', code: 'name-too-long', max: 64,
    over: mlp([{ type: 'Flatten' }, { type: 'Affine', units: 10, name: 'a'.repeat(65) }, { type: 'SoftmaxWithLoss' }]),
    at: mlp([{ type: 'Flatten' }, { type: 'Affine', units: 10, name: 'a'.repeat(64) }, { type: 'SoftmaxWithLoss' }])
  },
  { what: 'network name', layer: -1, field: 'name', code: 'name-too-long', max: 200, over: mlp(undefined, { name: 'n'.repeat(201) }), at: mlp(undefined, { name: 'n'.repeat(200) }) },
  { what: 'input size', layer: -1, field: 'input', code: 'input-size-too-large', max: 100_000, over: { ...mlp(), input: [1, 100_001] }, at: { ...mlp(), input: [1, 100_000] } },
  { what: 'vocabulary size', layer: -1, field: 'vocab', code: 'field-too-large', max: 1_000_000, over: mlp(undefined, { vocab: 1_000_001 }), at: mlp(undefined, { vocab: 1_000_000 }) },
  {
    what: 'number of layers', layer: -1, field: 'layers', code: 'too-many-layers', max: MAX_LAYERS,
    over: mlp([{ type: 'Flatten' }, ...Array.from({ length: MAX_LAYERS - 1 }, () => ({ type: 'Relu' })), { type: 'SoftmaxWithLoss' }]),
    at: mlp([{ type: 'Flatten' }, ...Array.from({ length: MAX_LAYERS - 2 }, () => ({ type: 'Relu' })), { type: 'SoftmaxWithLoss' }])
  }
]

describe('the wire’s limits on a network are the validator’s', () => {
  it.each(CASES.map((c) => [c.what, c] as const))('%s: over the limit, the validator names it where the wire refuses; at it, both take it', (_what, c) => {
    // the wire refuses it (its defence)…
    expect(validatePayload('spec:validate', c.over).ok).toBe(false)
    // …and the validator says so first, at the layer and field, with the limit
    const over = validateSpec(c.over as unknown as NetSpec)
    expect(over.ok).toBe(false)
    const issue = over.issues.find((i) => i.code === c.code)
    expect(issue).toMatchObject({ severity: 'error', layer: c.layer, field: c.field, values: { max: c.max } })
    // at the limit: the wire takes it, and the validator names no limit
    expect(validatePayload('spec:validate', c.at)).toMatchObject({ ok: true })
    expect(validateSpec(c.at as unknown as NetSpec).issues.filter((i) => i.code === c.code)).toEqual([])
  })

  it('says what to change in the message: how many layers to remove, what to lower a setting to', () => {
    const deep = validateSpec(CASES.find((c) => c.what === 'number of layers')!.over as unknown as NetSpec)
    expect(deep.issues.find((i) => i.code === 'too-many-layers')?.message)
      .toBe('network: the network has 257 layers, more than the 256 the lab trains; remove at least 1')
    // the other layers are still checked: the shapes flow through all of them
    expect(deep.layers).toHaveLength(257)
    expect(deep.outputShape).toEqual([784])
    const wide = validateSpec(CASES.find((c) => c.what === 'convolution filters')!.over as unknown as NetSpec)
    expect(wide.issues.find((i) => i.code === 'field-too-large')).toMatchObject({
      message: 'conv1: "filters" must be at most 4,096, not 4,097; lower it', values: { field: 'filters', value: 4097, max: 4096 }
    })
  })

  it('the wire takes a Reshape’s -1, as the validator does', () => {
    const spec = mlp([{ type: 'Reshape', shape: [-1, 28] }, { type: 'TimeLSTM', hidden: 8 }, ...seq])
    expect(validateSpec(spec as unknown as NetSpec).ok).toBe(true)
    expect(validatePayload('spec:validate', spec)).toMatchObject({ ok: true })
    // two -1s: both refuse
    const two = mlp([{ type: 'Reshape', shape: [-1, -1] }, ...tail])
    expect(validateSpec(two as unknown as NetSpec).ok).toBe(false)
    // (the wire leaves that to the engine: a size it cannot work out is a shape problem, not a payload one)
  })
})
