/**
 * The worker's `gradcheck` command: build the spec with a seed, draw a tiny batch, and compare
 * backprop with central differences for the input and every parameter (gradient-check.ts).
 * Every parameter costs two forward passes, so only small networks are checked.
 */
import { Rng } from '../rng'
import { sizeOf, tensor } from '../tensor'
import type { NetSpec } from '../spec-types'
import { Sequential } from '../models/sequential'
import { checkNetworkGradients, type GradientReport } from './gradient-check'

/** Largest network (learnable values) the check accepts; larger ones would take minutes. */
export const GRADCHECK_MAX_PARAMS = 20_000

export interface GradcheckResult extends GradientReport { params: number; batch: number; ok: boolean }

/** Checks `spec` on 2 random examples; ok when every relative error is below 1e-2 (float32). */
export function runGradcheck(spec: NetSpec, seed: number): GradcheckResult {
  const rng = new Rng(seed)
  const model = Sequential.fromSpec(spec, rng.fork())
  if (!model.lossLayer) throw new Error('gradient checking needs a loss layer at the end of the network')
  if (model.paramCount > GRADCHECK_MAX_PARAMS) {
    throw new Error(`this network has ${model.paramCount} parameters; gradient checking compares each one by central differences, so it is limited to ${GRADCHECK_MAX_PARAMS} — check a smaller version of it`)
  }
  const N = 2
  const x = tensor([N, ...spec.input])
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
  const scores = model.forward(x, true)
  const perExample = sizeOf(scores.shape) / N
  const classify = (spec.task ?? 'classify') === 'classify'
  const t = classify ? tensor([N]) : tensor(scores.shape)
  for (let i = 0; i < t.data.length; i++) t.data[i] = classify ? rng.int(perExample) : rng.next()
  // Dropout draws a new mask on every forward, which central differences cannot follow: check in inference mode then.
  const train = !model.layers.some((l) => l.type === 'Dropout')
  const report = checkNetworkGradients(model.layers, model.lossLayer, x, t, { train })
  return { ...report, params: model.paramCount, batch: N, ok: report.maxRelError < 1e-2 }
}
