/**
 * A replica thread of data-parallel training (see data-parallel.ts): it builds its own copy of the
 * network once, then for every step reads the shared parameters, trains its slice of the batch and
 * writes its gradients, loss and correct count back. Runs until told to exit.
 */
import { Rng } from '../rng'
import { tensor, type Tensor } from '../tensor'
import { Sequential } from '../models/sequential'
import { CMD, CMD_EXIT, ERROR_BYTES, GEN, requireLoss, slot, type ReplicaInit } from './data-parallel'
import { countCorrect } from './trainer'

/** Classifier targets are class indices; other tasks reconstruct the input. */
export function targetFor(model: Sequential): (scores: Tensor, x: Tensor, t: Tensor) => Tensor {
  const task = model.spec.task ?? 'classify'
  return task === 'reconstruct' ? (scores, x) => tensor(scores.shape, x.data) : (_s, _x, t) => t
}

export function correctFor(model: Sequential): (scores: Tensor, t: Tensor) => number {
  // classifiers and language models (next-token accuracy) count hits; autoencoders have no classes
  return model.spec.task === 'reconstruct' ? () => 0 : countCorrect
}

/** The replica's loop; `ready` is called once the network is built. Blocks between steps. */
export function runReplica(init: ReplicaInit, ready: () => void): void {
  const control = new Int32Array(init.control)
  const params = new Float32Array(init.params)
  const results = new Float64Array(init.results)
  const errors = new Uint8Array(init.errors)
  const k = init.index
  // Its own random stream (dropout) derived from the seed and the thread index: reproducible per thread count.
  const model = Sequential.fromSpec(init.spec, new Rng(init.seed * 7919 + k))
  const P = model.paramCount
  const grads = new Float32Array(init.grads, (k - 1) * P * 4, P)
  const { xPer, tPer, maxSlice } = init
  const xAll = new Float32Array(init.x)
  const tAll = new Float32Array(init.t)
  const xBase = (k - 1) * maxSlice * xPer
  const tBase = (k - 1) * maxSlice * tPer
  const target = targetFor(model)
  const correctOf = correctFor(model)
  // Read the generation before announcing readiness: the first step may be posted the moment we do.
  let seen = Atomics.load(control, GEN)
  ready()
  for (;;) {
    Atomics.wait(control, GEN, seen)
    seen = Atomics.load(control, GEN)
    if (Atomics.load(control, CMD) === CMD_EXIT) return
    const n = Atomics.load(control, slot(k, 0))
    try {
      if (n > 0) {
        let off = 0
        for (const p of model.params) {
          p.data.set(params.subarray(off, off + p.data.length))
          off += p.data.length
        }
        const x = model.inputTensor(xAll.subarray(xBase, xBase + n * xPer), n)
        const t = { shape: [n, ...(tPer > 1 ? [tPer] : [])], data: tAll.subarray(tBase, tBase + n * tPer) }
        const scores = model.forward(x, true)
        results[2 * k] = requireLoss(model).forward(scores, target(scores, x, t))
        results[2 * k + 1] = correctOf(scores, t)
        model.backward()
        off = 0
        for (const g of model.grads) {
          grads.set(g.data, off)
          off += g.data.length
        }
      }
    } catch (e) {
      const msg = new TextEncoder().encode(`kernel thread ${k}: ${e instanceof Error ? e.message : String(e)}`).subarray(0, ERROR_BYTES - 1)
      errors.fill(0, k * ERROR_BYTES, (k + 1) * ERROR_BYTES)
      errors.set(msg, k * ERROR_BYTES)
      Atomics.store(control, slot(k, 2), 1)
    }
    Atomics.store(control, slot(k, 1), seen)
    Atomics.notify(control, slot(k, 1))
  }
}
