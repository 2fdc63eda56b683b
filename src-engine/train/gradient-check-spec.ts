/**
 * Gradient check of a whole network described by a spec, for the UI's "check the gradients"
 * button and the CLI: build it from a seed, feed a small random batch with random targets that fit
 * its loss layer, and compare backprop with central differences on a sample of every array.
 */
import { Rng } from '../rng'
import { tensor, type Tensor } from '../tensor'
import type { NetSpec } from '../spec-types'
import type { LossLayer } from '../layers/layer'
import { buildNetwork } from '../layers/build'
import { MSE } from '../layers/mse'
import { checkNetworkGradients, type GradientReport } from './gradient-check'

export interface SpecCheckOptions {
  /** Seed for the weights, the batch and the sampled elements (default 1). */
  seed?: number
  /** Examples in the batch (default 2). */
  batch?: number
  /** Elements checked per array (default 10; each costs two forward passes). */
  samples?: number
  /** Perturbation (default 1e-3). */
  h?: number
  /** Asked before every forward pass; true stops the check with CheckCancelled (gradient-check.ts). */
  cancelled?: () => boolean
}

/** What was checked, besides the per-array results. */
export interface SpecGradientReport extends GradientReport {
  /** False when a Dropout made the forward pass random, so the check ran in evaluation mode. */
  train: boolean
  /** False for token inputs (ids are not differentiable, so "x" is not in the results). */
  inputChecked: boolean
}

/**
 * Builds `spec` and checks its gradients. A spec without a loss layer is closed with MSE against
 * random targets. Token inputs are drawn as ids in 0…vocab−1 and left out of the comparison.
 */
export function checkSpecGradients(spec: NetSpec, opts: SpecCheckOptions = {}): SpecGradientReport {
  const rng = new Rng(opts.seed ?? 1)
  const net = buildNetwork(spec, rng.fork())
  const N = opts.batch ?? 2
  const tokens = net.layers[0]?.type === 'TimeEmbedding'
  const x = tensor([N, ...spec.input])
  const vocab = spec.vocab ?? 1
  for (let i = 0; i < x.data.length; i++) x.data[i] = tokens ? rng.int(vocab) : rng.normal()
  // Dropout draws a new mask per forward pass, which would make the numeric gradient noise
  const train = !net.layers.some((l) => l.type === 'Dropout')
  let scores = x
  for (const l of net.layers) scores = l.forward(scores, train)
  const loss: LossLayer = net.loss ?? new MSE('check')
  const t = randomTargets(loss, scores, rng)
  const report = checkNetworkGradients(net.layers, loss, x, t, { h: opts.h, train, samples: opts.samples ?? 10, seed: opts.seed, skipInput: tokens, cancelled: opts.cancelled })
  return { ...report, train, inputChecked: !tokens }
}

/** Targets that fit the loss: class ids for softmax losses, 0/1 for sigmoid, Gaussian values for MSE. */
function randomTargets(loss: LossLayer, scores: Tensor, rng: Rng): Tensor {
  const shape = scores.shape
  switch (loss.type) {
    case 'SoftmaxWithLoss':
    case 'TimeSoftmaxWithLoss': {
      const classes = shape[shape.length - 1]
      const t = tensor(shape.slice(0, -1))
      for (let i = 0; i < t.data.length; i++) t.data[i] = rng.int(classes)
      return t
    }
    case 'SigmoidWithLoss': {
      const t = tensor(shape)
      for (let i = 0; i < t.data.length; i++) t.data[i] = rng.next() < 0.5 ? 0 : 1
      return t
    }
    default: {
      const t = tensor(shape)
      for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal()
      return t
    }
  }
}

