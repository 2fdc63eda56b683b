import { describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { Rng } from '../../../src-engine/rng'
import { tensor } from '../../../src-engine/tensor'
import { PRESETS } from '../../../src-engine/models/presets'
import { withVocab } from '../../../src-engine/spec'
import { Sequential } from '../../../src-engine/models/sequential'
import type { NetSpec } from '../../../src-engine/spec-types'
import { exportOnnx } from '../../../src-engine/io/onnx'

const VOCAB = 23

function inputFor(spec: NetSpec, N: number, rng: Rng): Float32Array {
  const per = spec.input.reduce((a, b) => a * b, 1)
  const x = new Float32Array(N * per)
  for (let i = 0; i < x.length; i++) x[i] = spec.vocab ? rng.int(spec.vocab) : rng.next()
  return x
}

/** Trains a few steps so that weights (and batch-norm statistics) are not at their initial values. */
function nudge(model: Sequential, spec: NetSpec, rng: Rng): void {
  const N = 4
  for (let s = 0; s < 3; s++) {
    const x = model.inputTensor(inputFor(spec, N, rng), N)
    const scores = model.forward(x, true)
    const task = spec.task ?? 'classify'
    const K = scores.shape[scores.shape.length - 1]
    const t = task === 'reconstruct'
      ? tensor(scores.shape, x.data.slice())
      : tensor(scores.shape.slice(0, -1), Float32Array.from({ length: scores.data.length / K }, () => rng.int(K)))
    model.lossLayer!.forward(scores, t)
    model.backward()
    model.params.forEach((p, k) => {
      const g = model.grads[k].data
      for (let i = 0; i < p.data.length; i++) p.data[i] -= 0.05 * g[i]
    })
  }
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<{ scores: Float32Array; output: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes)
  const r = await session.run({ input: new ort.Tensor('float32', x, dims) })
  return { scores: r.scores.data as Float32Array, output: r.output.data as Float32Array }
}

describe('ONNX export runs in ONNX Runtime with the engine\'s numbers', () => {
  for (const preset of PRESETS) {
    it(`${preset.id}: outputs match within 1e-4`, async () => {
      const spec = preset.spec.vocab !== undefined || JSON.stringify(preset.spec).includes('"vocab"') ? withVocab(preset.spec, VOCAB) : preset.spec
      const rng = new Rng(42)
      const model = Sequential.fromSpec(spec, rng)
      nudge(model, spec, rng)
      const N = 3
      const x = inputFor(spec, N, rng)
      const xt = model.inputTensor(x, N)
      const scores = model.forward(xt, false).data.slice()
      const output = model.lossLayer ? model.lossLayer.predict(model.forward(xt, false)).data.slice() : scores
      const bytes = exportOnnx(spec, model.weights())
      const onnxOut = await runOnnx(bytes, x, [N, ...spec.input])
      expect(onnxOut.scores.length).toBe(scores.length)
      for (let i = 0; i < scores.length; i++) {
        if (Math.abs(onnxOut.scores[i] - scores[i]) > 1e-4 * Math.max(1, Math.abs(scores[i]))) {
          expect.fail(`scores[${i}]: ONNX ${onnxOut.scores[i]}, engine ${scores[i]}`)
        }
      }
      for (let i = 0; i < output.length; i++) {
        if (Math.abs(onnxOut.output[i] - output[i]) > 1e-4) expect.fail(`output[${i}]: ONNX ${onnxOut.output[i]}, engine ${output[i]}`)
      }
    })
  }
})
