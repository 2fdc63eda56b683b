/**
 * ConvNetJS twin of the convolutional workloads. ConvNetJS 0.3.0 trains one example at a time and
 * accumulates gradients over `batch_size` examples; one step here is a whole batch. It has no Adam,
 * so W1 runs with plain SGD (say so next to its ratio); W2 is SGD in the lab too. It has no recurrent
 * layers (W3, W4) and no matrix-product API (W5): those are reported as lines with "error".
 *
 *   node bench/convnetjs.mjs --workload W1 [--quick]
 */
import { createRequire } from 'node:module'
import { budgetFrom, emit, measureLatency, measureRate, runnerArgs, WORKLOADS } from './lib/measure.mjs'

const require = createRequire(import.meta.url)
const convnetjs = require('convnetjs')
const argv = process.argv.slice(2)
const { workload } = runnerArgs(argv)
const budget = budgetFrom(argv)
const system = 'convnetjs'
const threads = 1

function layers(w) {
  const input = { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 }
  if (w === 'W1') {
    return [input,
      { type: 'conv', sx: 5, filters: 30, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'fc', num_neurons: 100, activation: 'relu' },
      { type: 'softmax', num_classes: 10 }]
  }
  return [input,
    { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 3, filters: 64, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 1024, activation: 'relu', drop_prob: 0.25 },
    { type: 'softmax', num_classes: 10 }]
}

async function train(w) {
  const cfg = WORKLOADS[w]
  const net = new convnetjs.Net()
  net.makeLayers(layers(w))
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: cfg.lr, momentum: 0, batch_size: cfg.batch, l2_decay: 0 })
  const xs = []
  const ts = []
  for (let i = 0; i < cfg.batch; i++) {
    const v = new convnetjs.Vol(28, 28, 1, 0)
    for (let j = 0; j < v.w.length; j++) v.w[j] = Math.random()
    xs.push(v)
    ts.push(Math.floor(Math.random() * 10))
  }
  const step = () => {
    for (let i = 0; i < cfg.batch; i++) trainer.train(xs[i], ts[i])
  }
  const note = cfg.optimizer === 'SGD' ? undefined : `SGD: ConvNetJS has no ${cfg.optimizer}`
  const r = await measureRate(step, cfg.batch, budget)
  emit({ workload: w, metric: 'train', system, threads, value: r.value, cpu: r.cpu, unit: cfg.unit, note })
  if (w === 'W1') {
    const lat = await measureLatency(() => { net.forward(xs[0], false) }, budget)
    emit({ workload: w, metric: 'infer_b1', system, threads, value: lat.value, cpu: lat.cpu, unit: 'ms' })
  }
}

if (workload === 'W1' || workload === 'W2') {
  await train(workload)
} else if (workload === 'W5') {
  for (const n of WORKLOADS.W5.sizes) emit({ workload, metric: `gflops_${n}`, system, threads, error: 'ConvNetJS has no matrix-product API', unit: 'GFLOPS' })
} else {
  emit({ workload, metric: 'train', system, threads, error: 'ConvNetJS has no recurrent layers', unit: WORKLOADS[workload].unit })
}
