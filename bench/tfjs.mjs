/**
 * TensorFlow.js twin of the workloads, on its WASM backend (SIMD) or its plain-JavaScript CPU backend.
 * Same shapes, batch sizes and optimizers as the lab (bench/lab.ts); layouts are TensorFlow's own
 * (channels last), which does not change the work. A workload the backend cannot train is reported
 * as a line with "error" (the WASM backend has no Conv2DBackpropFilter and no UnsortedSegmentSum).
 *
 *   node bench/tfjs.mjs --backend wasm|cpu --workload W1 [--quick]
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { budgetFrom, emit, measureGemm, measureLatency, measureRate, runnerArgs, WORKLOADS } from './lib/measure.mjs'

const require = createRequire(import.meta.url)
const argv = process.argv.slice(2)
const backend = argv[argv.indexOf('--backend') + 1] === 'cpu' ? 'cpu' : 'wasm'
const system = `tfjs-${backend}`
const { workload } = runnerArgs(argv)
const budget = budgetFrom(argv)

// tfjs prints a hint about tfjs-node on load; keep stdout for result lines only
const log = console.log
console.log = (...a) => process.stderr.write(`${a.join(' ')}\n`)
const tf = require('@tensorflow/tfjs')
if (backend === 'wasm') {
  const wasm = require('@tensorflow/tfjs-backend-wasm')
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'))
}
await tf.setBackend(backend)
await tf.ready()
console.log = log
const threads = 1

function model(w) {
  const L = tf.layers
  const m = tf.sequential()
  if (w === 'W1') {
    m.add(L.conv2d({ inputShape: [28, 28, 1], filters: 30, kernelSize: 5, activation: 'relu' }))
    m.add(L.maxPooling2d({ poolSize: 2, strides: 2 }))
    m.add(L.flatten())
    m.add(L.dense({ units: 100, activation: 'relu' }))
    m.add(L.dense({ units: 10 }))
  } else if (w === 'W2') {
    m.add(L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }))
    m.add(L.maxPooling2d({ poolSize: 2, strides: 2 }))
    m.add(L.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }))
    m.add(L.maxPooling2d({ poolSize: 2, strides: 2 }))
    m.add(L.flatten())
    m.add(L.dense({ units: 1024, activation: 'relu' }))
    m.add(L.dropout({ rate: 0.25 }))
    m.add(L.dense({ units: 10 }))
  } else if (w === 'W3') {
    const c = WORKLOADS.W3
    m.add(L.lstm({ inputShape: [c.steps, c.inputs], units: c.hidden }))
    m.add(L.dense({ units: 10 }))
  } else {
    const c = WORKLOADS.W4
    m.add(L.embedding({ inputShape: [c.steps], inputDim: c.vocab, outputDim: c.embed }))
    m.add(L.lstm({ units: c.hidden, returnSequences: true }))
    m.add(L.dense({ units: c.vocab }))
  }
  return m
}

function data(w, B) {
  if (w === 'W4') {
    const c = WORKLOADS.W4
    const x = tf.randomUniform([B, c.steps], 0, c.vocab, 'int32')
    const t = tf.oneHot(tf.randomUniform([B * c.steps], 0, c.vocab, 'int32'), c.vocab)
    return { x, t, classes: c.vocab }
  }
  const shape = w === 'W3' ? [B, 28, 28] : [B, 28, 28, 1]
  return { x: tf.randomUniform(shape), t: tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10), classes: 10 }
}

async function train(w) {
  const cfg = WORKLOADS[w]
  const m = model(w)
  const { x, t, classes } = data(w, cfg.batch)
  try {
    const opt = cfg.optimizer === 'Adam' ? tf.train.adam(cfg.lr) : tf.train.sgd(cfg.lr)
    const step = () => {
      const cost = opt.minimize(() => {
        const logits = m.apply(x, { training: true })
        return tf.losses.softmaxCrossEntropy(t, logits.reshape([-1, classes]))
      }, true)
      cost.dataSync()
      cost.dispose()
    }
    const r = await measureRate(step, cfg.batch, budget)
    emit({ workload: w, metric: 'train', system, threads, value: r.value, cpu: r.cpu, unit: cfg.unit })
  } catch (e) {
    emit({ workload: w, metric: 'train', system, threads, error: firstLine(e), unit: cfg.unit })
  }
  if (w === 'W1') {
    try {
      const x1 = x.slice([0, 0, 0, 0], [1, 28, 28, 1])
      const lat = await measureLatency(() => {
        const y = m.predict(x1)
        y.dataSync()
        y.dispose()
      }, budget)
      emit({ workload: w, metric: 'infer_b1', system, threads, value: lat.value, cpu: lat.cpu, unit: 'ms' })
    } catch (e) {
      emit({ workload: w, metric: 'infer_b1', system, threads, error: firstLine(e), unit: 'ms' })
    }
  }
}

function firstLine(e) {
  return String(e?.message ?? e).split('\n')[0]
}

async function sgemm() {
  for (const n of WORKLOADS.W5.sizes) {
    const metric = `gflops_${n}`
    try {
      const a = tf.randomUniform([n, n], -0.5, 0.5)
      const b = tf.randomUniform([n, n], -0.5, 0.5)
      const r = await measureGemm(() => {
        const c = tf.matMul(a, b)
        c.dataSync()
        c.dispose()
      }, n, budget)
      emit({ workload: 'W5', metric, system, threads, value: r.value, cpu: r.cpu, unit: 'GFLOPS' })
    } catch (e) {
      emit({ workload: 'W5', metric, system, threads, error: firstLine(e), unit: 'GFLOPS' })
    }
  }
}

if (workload === 'W5') await sgemm()
else await train(workload)
