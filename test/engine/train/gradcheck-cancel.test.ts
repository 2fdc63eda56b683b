/**
 * A gradient check can be cancelled: the network check asks `cancelled` before every forward pass and stops
 * with CheckCancelled, putting back the element it had perturbed; the explainer's check reads the host's shared
 * flag (explain.cancel) and answers reason 'cancelled', with ReLU's own backward back in place; the worker's
 * command check accepts only a shared Int32Array as the flag.
 */
import { describe, expect, it } from 'vitest'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Rng } from '../../../src-engine/rng'
import { buildNetwork } from '../../../src-engine/layers/build'
import { tensor } from '../../../src-engine/tensor'
import type { LossLayer } from '../../../src-engine/layers/layer'
import { CheckCancelled, checkNetworkGradients } from '../../../src-engine/train/gradient-check'
import { explainGradients } from '../../../src-engine/train/gradcheck-run'
import { checkCommand } from '../../../src-engine/train/commands'

const MLP: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 5 }, { type: 'Relu' }, { type: 'Affine', units: 3 }, { type: 'SoftmaxWithLoss' }] }

const flag = (set: boolean): Int32Array => {
  const f = new Int32Array(new SharedArrayBuffer(4))
  if (set) Atomics.store(f, 0, 1)
  return f
}

describe('cancelling a gradient check', () => {
  it('stops the network check at the next forward pass and puts the perturbed element back', () => {
    const net = buildNetwork(MLP, new Rng(1))
    const x = tensor([2, 4])
    for (let i = 0; i < x.data.length; i++) x.data[i] = i / 8 - 0.4
    const t = tensor([2])
    t.data.set([0, 2])
    const before = net.layers.map((l) => l.params.map((p) => [...p.data]))
    const xBefore = [...x.data]
    let passes = 0
    // the first forward (the loss's scale) and the x check's first 6 passes, then cancelled mid-array
    expect(() => checkNetworkGradients(net.layers, net.loss as LossLayer, x, t, { cancelled: () => ++passes > 7 })).toThrow(CheckCancelled)
    expect(passes).toBe(8)
    expect([...x.data]).toEqual(xBefore)
    expect(net.layers.map((l) => l.params.map((p) => [...p.data]))).toEqual(before)
  })

  it('answers the explainer reason cancelled for a flag set before or during the check, and checks again afterwards', () => {
    expect(explainGradients(MLP, 1, { cancel: flag(true) })).toEqual({ ok: false, reason: 'cancelled' })
    // cancelled in the middle (the flag reads set from its 20th look on), with the planted bug: the bug is taken out again
    const load = Atomics.load
    let looks = 0
    Atomics.load = ((a: Int32Array, i: number) => (++looks >= 20 ? 1 : load(a, i))) as typeof Atomics.load
    try {
      expect(explainGradients(MLP, 1, { bug: true, cancel: flag(false) })).toEqual({ ok: false, reason: 'cancelled' })
    } finally {
      Atomics.load = load
    }
    expect(looks).toBe(20)
    const uncancelled = explainGradients(MLP, 1, { cancel: flag(false) })
    expect(uncancelled).toEqual(explainGradients(MLP, 1))
    expect(uncancelled).toMatchObject({ ok: true, allAgree: true, bug: false })
  })

  it('is sent as a shared Int32Array, nothing else', () => {
    const cmd = (cancel: unknown) => ({ type: 'gradcheck', reqId: 1, spec: MLP, seed: 1, explain: { cancel } })
    expect(checkCommand(cmd(flag(false))).ok).toBe(true)
    expect(checkCommand(cmd(new Int32Array(1))).ok).toBe(false)
    expect(checkCommand(cmd([0])).ok).toBe(false)
  })
})
