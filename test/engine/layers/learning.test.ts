/** Behaviour: networks built from specs actually learn with the optimizers (fixed seeds). */
import { describe, expect, it } from 'vitest'
import { Rng } from '../../../src-engine/rng'
import { tensor, type Tensor } from '../../../src-engine/tensor'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { OptimizerName } from '../../../src-engine/protocol'
import { buildNetwork } from '../../../src-engine/layers/build'
import { makeOptimizer } from '../../../src-engine/optimizers'

/** 8×8 images holding one vertical (class 0) or horizontal (class 1) bar at a random place, plus noise. */
function bars(rng: Rng, n: number): { x: Tensor; t: Tensor } {
  const x = tensor([n, 1, 8, 8])
  const t = tensor([n])
  for (let i = 0; i < n; i++) {
    const cls = rng.int(2)
    const at = rng.int(8)
    t.data[i] = cls
    for (let k = 0; k < 64; k++) x.data[i * 64 + k] = 0.1 * rng.next()
    for (let k = 0; k < 8; k++) x.data[i * 64 + (cls === 0 ? k * 8 + at : at * 8 + k)] = 1
  }
  return { x, t }
}

function train(spec: NetSpec, optimizer: OptimizerName, lr: number, steps: number): { first: number; last: number; acc: number } {
  const rng = new Rng(42)
  const { layers, loss } = buildNetwork(spec, rng.fork())
  const opt = makeOptimizer(optimizer, lr)
  const params = layers.flatMap((l) => l.params)
  let first = NaN
  let last = NaN
  for (let s = 0; s < steps; s++) {
    const { x, t } = bars(rng, 16)
    let h = x
    for (const l of layers) h = l.forward(h, true)
    last = loss!.forward(h, t)
    if (s === 0) first = last
    let d = loss!.backward()
    for (let i = layers.length - 1; i >= 0; i--) d = layers[i].backward(d)
    opt.update(params, layers.flatMap((l) => l.grads))
  }
  const { x, t } = bars(rng, 200)
  let h = x
  for (const l of layers) h = l.forward(h, false)
  const p = loss!.predict(h)
  let right = 0
  for (let i = 0; i < 200; i++) if ((p.data[2 * i + 1] > p.data[2 * i] ? 1 : 0) === t.data[i]) right++
  return { first, last, acc: right / 200 }
}

const convNet: NetSpec = {
  input: [1, 8, 8],
  layers: [
    { type: 'Convolution', filters: 4, kernel: 3, pad: 1 }, { type: 'BatchNormalization' }, { type: 'Relu' },
    { type: 'Pooling', size: 2 }, { type: 'Dropout', rate: 0.1 }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }
  ]
}

describe('learning', () => {
  for (const [name, lr] of [['Adam', 0.01], ['Momentum', 0.05], ['SGD', 0.1], ['RMSProp', 0.005], ['AdaGrad', 0.05], ['Nesterov', 0.05]] as const) {
    it(`a small ConvNet learns vertical vs horizontal bars with ${name}`, () => {
      const r = train(convNet, name, lr, 60)
      expect(r.last).toBeLessThan(r.first * 0.5)
      expect(r.acc).toBeGreaterThan(0.95)
    })
  }
})
