/**
 * A snapshot carries the LSTM gates' first GATE_UNITS hidden units, the ones the gates panel draws, with how many
 * the layer has: the character LSTM's 256 went to the page (six gates × T × 256 floats, four times a second) for
 * 48 rows drawn.
 */
import { describe, expect, it } from 'vitest'
import { Sequential } from '../../../src-engine/models/sequential'
import { Rng } from '../../../src-engine/rng'
import { takeSnapshot } from '../../../src-engine/train/probes'
import { PRESETS } from '../../../src-engine/models/presets'
import { GATE_UNITS, type Snapshot } from '../../../src-engine/protocol'
import type { Layer } from '../../../src-engine/layers/layer'

type Gate = NonNullable<Snapshot['gates']>[number]
const bytes = (gates: Gate[] | undefined): number => (gates ?? []).reduce((n, g) => n + g.data.byteLength, 0)

describe('the gates in a snapshot', () => {
  it('are the first GATE_UNITS units of each gate over time, saying the layer\'s own count', () => {
    const preset = PRESETS.find((p) => p.id === 'char-lstm')!
    const model = Sequential.fromSpec({ ...preset.spec, vocab: 40 }, new Rng(3))
    const T = preset.spec.input[0]
    const probe = Float32Array.from({ length: T }, (_, i) => (i * 7) % 40)
    const snap = takeSnapshot(model, probe)
    // the same forward pass, all 256 units, from the layer itself
    const lstm = model.layers.find((l) => l.type === 'TimeLSTM') as Layer & { probe(n: number): Gate[] }
    const all = lstm.probe(0)
    expect(all[0].h).toBe(256)
    expect(snap.gates?.map((g) => [g.name, g.t, g.h, g.total])).toEqual(['f', 'g', 'i', 'o', 'c', 'h'].map((n) => [n, T, GATE_UNITS, 256]))
    for (const [k, g] of (snap.gates ?? []).entries()) {
      for (const t of [0, T - 1]) expect([...g.data.subarray(t * GATE_UNITS, (t + 1) * GATE_UNITS)]).toEqual([...all[k].data.subarray(t * 256, t * 256 + GATE_UNITS)])
    }
    // 6 gates × T × 48 floats, not × 256
    expect(bytes(snap.gates)).toBe(6 * T * GATE_UNITS * 4)
    expect(bytes(all)).toBe(6 * T * 256 * 4)
  })

  it('are whole for a layer with no more units than that', () => {
    const spec = { input: [8], task: 'language-model' as const, vocab: 10, layers: [{ type: 'TimeEmbedding' as const, dim: 4 }, { type: 'TimeLSTM' as const, hidden: 24 }, { type: 'TimeAffine' as const, units: 'vocab' as const }, { type: 'TimeSoftmaxWithLoss' as const }] }
    const snap = takeSnapshot(Sequential.fromSpec(spec, new Rng(1)), new Float32Array(8))
    expect(snap.gates?.map((g) => [g.h, g.total])).toEqual(Array(6).fill([24, undefined]))
  })
})
