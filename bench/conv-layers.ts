/**
 * Forward + backward time of the book's simple ConvNet layers on a batch of 100 MNIST-sized
 * images (single thread), split by layer; each figure is the best of 20 runs, timed by this
 * process's CPU time (robust against other processes on a shared machine).
 * Pass --skip-first-dx to measure with Convolution.needsDx = false on the first layer. Run: npx jiti bench/conv-layers.ts
 */
import { Rng } from '../src-engine/rng'
import { tensor } from '../src-engine/tensor'
import { buildNetwork } from '../src-engine/layers/build'
import type { Convolution } from '../src-engine/layers/convolution'

const firstNeedsDx = !process.argv.includes('--skip-first-dx')
const { layers, loss } = buildNetwork({
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 30, kernel: 5 }, { type: 'Relu' }, { type: 'Pooling', size: 2 },
    { type: 'Affine', units: 100 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }
  ]
}, new Rng(1))
if (!firstNeedsDx) (layers[0] as Convolution).needsDx = false
const rng = new Rng(2)
const N = 100
const x = tensor([N, 1, 28, 28])
for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
const t = tensor([N])
for (let i = 0; i < N; i++) t.data[i] = rng.int(10)

// best of `reps` per layer: robust against other processes on a shared machine
const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000
const fwd = new Float64Array(layers.length).fill(Infinity)
const bwd = new Float64Array(layers.length).fill(Infinity)
const reps = 20
for (let r = 0; r < reps + 3; r++) {
  let h = x
  for (let i = 0; i < layers.length; i++) {
    const t0 = process.cpuUsage()
    h = layers[i].forward(h, true)
    if (r >= 3) fwd[i] = Math.min(fwd[i], ms(process.cpuUsage(t0)))
  }
  loss!.forward(h, t)
  let d = loss!.backward()
  for (let i = layers.length - 1; i >= 0; i--) {
    const t0 = process.cpuUsage()
    d = layers[i].backward(d)
    if (r >= 3) bwd[i] = Math.min(bwd[i], ms(process.cpuUsage(t0)))
  }
}
let total = 0
for (let i = 0; i < layers.length; i++) {
  total += fwd[i] + bwd[i]
  console.log(`${layers[i].name.padEnd(8)} forward ${fwd[i].toFixed(2)} ms  backward ${bwd[i].toFixed(2)} ms`)
}
console.log(`batch of ${N}: ${total.toFixed(1)} ms (sum of per-layer bests) → ${(N / (total / 1000)).toFixed(0)} images/s (one thread)`)
