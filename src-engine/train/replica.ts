/**
 * A replica thread of data-parallel training (see data-parallel.ts): it builds its own copy of the
 * network once, then for every step reads the parameters, trains its slice of the batch and writes its
 * gradients (those of the other threads' ranges, in split mode), loss and correct count back; for an
 * update it combines and updates its own range of the parameters. Runs until told to exit.
 */
import { Rng } from '../rng'
import { tensor, type Tensor } from '../tensor'
import { Sequential } from '../models/sequential'
import {
  CMD, CMD_EVAL, CMD_EXIT, CMD_UPDATE, ERROR_BYTES, EVAL_KINDS, EVAL_PER_IMAGE, GEN, MAX_SLOTS, inPlaceWord, PARAMS_PUBLISHED, PARAMS_STAGED, PhaseTrace,
  RESULT_WORDS, batchWord, evalWord, flatOffsets, masterViews, rangePieces, readRule, readSlices, readyWord, realWord, requireLoss, savedBuffers, sleepWord,
  slot, topWord, updateRange, type ReplicaInit, type TensorPlace
} from './data-parallel'
import { evalRows } from './evaluate'
import { SPIN_MS, sleepWhile, spin, wake } from './thread-sync'
import { correctCounter } from './metrics'
import { engineMemory, releaseKernelArray, useSharedMemory } from '../kernels/gemm'

/**
 * Points one of this replica's own tensors at other values (no copy). Only the replica does this, to its own
 * network: the layers read a param's or gradient's `data` at every call and keep no other reference to it.
 */
function bind(t: Tensor, data: Float32Array): void {
  ;(t as { data: Float32Array }).data = data
}

/** Classifier targets are class indices; other tasks reconstruct the input. */
export function targetFor(model: Sequential): (scores: Tensor, x: Tensor, t: Tensor) => Tensor {
  const task = model.spec.task ?? 'classify'
  return task === 'reconstruct' ? (scores, x) => tensor(scores.shape, x.data) : (_s, _x, t) => t
}

export function correctFor(model: Sequential): (scores: Tensor, t: Tensor) => number {
  // classifiers and language models (next-token accuracy) count hits; autoencoders have no classes
  return model.spec.task === 'reconstruct' ? () => 0 : correctCounter(model.spec.layers.at(-1)?.type)
}

/** The replica's loop; `ready` is called once the network is built. Blocks between commands. */
export function runReplica(init: ReplicaInit, ready: () => void): void {
  const control = new Int32Array(init.control)
  const shared = new Float32Array(init.params)
  const results = new Float64Array(init.results)
  const errors = new Uint8Array(init.errors)
  const stepBuf = new Float64Array(init.step)
  const k = init.index
  // the state and the threads' gradients in the training thread's engine memory (MasterLayout.memory)
  const mm = init.master?.memory ?? null
  // and this thread's kernels and layers too, in its arena there (before the network is built): they then read
  // the training thread's parameters and write their gradients at mm.grads[k] in place, no copies
  const inPlace = mm !== null && mm.wasm !== null && mm.arenas !== null && useSharedMemory(mm.wasm, mm.arenas[k - 1])
  // Its own random stream (dropout) derived from the seed and the thread index: reproducible per thread count.
  const model = Sequential.fromSpec(init.spec, new Rng(init.seed * 7919 + k))
  const P = model.paramCount
  // views on the memory as this thread's allocator knows it (owns()), so that its kernels take them in place
  const mbuf = inPlace ? engineMemory()!.buffer : mm?.buffer ?? null
  const gradsAll = (t: number): Float32Array => (mm ? new Float32Array(mbuf!, mm.grads[t], P) : new Float32Array(init.grads, t * P * 4, P))
  const grads = gradsAll(k)
  const { xPer, tPer, maxSlice } = init
  const xAll = new Float32Array(init.x)
  const tAll = new Float32Array(init.t)
  const xBase = (k - 1) * maxSlice * xPer
  const tBase = (k - 1) * maxSlice * tPer
  const target = targetFor(model)
  const correctOf = correctFor(model)
  // split updates: this thread's range, and the training thread's tensors where it can see them in place
  const sizes = model.params.map((p) => p.data.length)
  const offs = flatOffsets(sizes)
  const pieces = rangePieces(sizes, init.threads)
  const own = model.grads.map((g) => g.data)
  // in engine memory this thread's own gradient is read from its copy there, else in place
  const flatG = Array.from({ length: init.threads }, (_, t) => (t === 0 || (t === k && !mm) ? null : gradsAll(t)))
  const source = (t: number, p: number): { a: Float32Array; base: number } => (t === k && !mm ? { a: own[p], base: 0 } : { a: flatG[t]!, base: offs[p] })
  const state = mm ? mm.state.map((a) => new Float32Array(mbuf!, a, P)) : init.master ? Array.from({ length: MAX_SLOTS }, (_, s) => new Float32Array(init.state, s * P * 4, P)) : []
  const inMemory = (places: readonly TensorPlace[]): Float32Array[] => places.map((p, i) => new Float32Array(mbuf!, p![1], sizes[i]))
  const masterW = init.master ? (inPlace ? inMemory(init.master.params) : masterViews(init.master.params, init.master.buffers, sizes, shared)) : null
  const masterG = init.master ? (inPlace ? inMemory(init.master.grads) : masterViews(init.master.grads, init.master.buffers, sizes, gradsAll(0))) : null
  // in place: the backward writes the gradients straight into this thread's flat gradient (its own arrays are
  // given back), and a step reads the parameters from the training thread's tensors or, published, from its own
  const ownW = model.params.map((p) => p.data)
  if (inPlace) {
    model.grads.forEach((g, i) => {
      releaseKernelArray(g.data)
      bind(g, grads.subarray(offs[i], offs[i] + sizes[i]))
    })
  }
  const R = readyWord(init.threads)
  // where this thread says it is about to sleep, and where the training thread does (sleepWhile, wake)
  const me = sleepWord(init.threads, k)
  const trainer = [sleepWord(init.threads, 0)]
  const tr = init.trace ? new PhaseTrace(init.trace, k) : null
  /** A staged step: waits until the training thread has updated `count` params (data-parallel.ts update(…, next)). */
  const awaitReady = (count: number): void => {
    if (Atomics.load(control, R) >= count) return
    const t0 = tr ? PhaseTrace.now() : 0
    // the next param is usually updated within a millisecond: spin first, as for a command (SPIN_MS)
    spin(() => Atomics.load(control, R) < count, SPIN_MS)
    for (let r = Atomics.load(control, R); r < count; r = Atomics.load(control, R)) sleepWhile(control, me, R, r)
    tr?.add('ready-wait', t0)
  }
  /** This step's parameters: the training thread's in place (`split`), or as it published them. */
  const readParams = (split: boolean): void => {
    let off = 0
    if (inPlace) {
      model.params.forEach((p, i) => bind(p, split ? masterW![i] : ownW[i]))
      if (!split) ownW.forEach((w) => { w.set(shared.subarray(off, off + w.length)); off += w.length })
      return
    }
    model.params.forEach((p, i) => {
      p.data.set(split ? masterW![i] : shared.subarray(off, off + p.data.length))
      off += p.data.length
    })
  }
  const kept = new Float32Array(init.kept)
  const outAll = new Float32Array(init.out)
  if (inPlace) Atomics.add(control, inPlaceWord(init.threads), 1)
  // how far this thread has used its arena of the training thread's memory (topWord): that memory keeps those pages
  const tellTop = (): void => { if (inPlace) Atomics.store(control, topWord(init.threads, k), Math.ceil(engineMemory()!.reservedBytes / 64)) }
  tellTop()
  // Read the generation before announcing readiness: the first command may be posted the moment we do.
  let seen = Atomics.load(control, GEN)
  ready()
  for (;;) {
    // a moment's spin first: the next command usually follows within a few milliseconds, and waking from
    // Atomics.wait took 0.1–1.7 ms on the build machine (a VM; see SPIN_MS)
    spin(() => Atomics.load(control, GEN) === seen, SPIN_MS)
    while (Atomics.load(control, GEN) === seen) sleepWhile(control, me, GEN, seen)
    seen = Atomics.load(control, GEN)
    const cmd = Atomics.load(control, CMD)
    if (cmd === CMD_EXIT) return
    try {
      if (cmd === CMD_UPDATE) {
        const { rule, rule2, numbers } = readRule(stepBuf)
        updateRange(pieces[k], offs, masterW!, masterG!, source, readSlices(stepBuf), rule, state, numbers, rule2)
      } else if (cmd === CMD_EVAL) {
        // held-out evaluation of this thread's slice of a chunk (DataParallel.evaluate): its real rows' totals, and
        // for an image classifier their outputs; with the training thread's parameters and saved buffers
        const n = Atomics.load(control, slot(k, 0))
        const real = Atomics.load(control, realWord(init.threads, k))
        if (real > 0) {
          readParams(Atomics.load(control, slot(k, 3)) !== PARAMS_PUBLISHED)
          let off = 0
          for (const b of savedBuffers(model)) {
            b.set(kept.subarray(off, off + b.length))
            off += b.length
          }
          const flags = Atomics.load(control, evalWord(init.threads))
          const work = { perImage: (flags & EVAL_PER_IMAGE) !== 0, kind: EVAL_KINDS[flags >> 1] }
          const x = model.inputTensor(xAll.subarray(xBase, xBase + n * xPer), n)
          const t = { shape: [n, ...(tPer > 1 ? [tPer] : [])], data: tAll.subarray(tBase, tBase + n * tPer) }
          const { totals, probs } = evalRows(model, x, t, real, work)
          results.set([totals.loss, totals.correct, totals.targets, totals.sq], RESULT_WORDS * k)
          if (probs !== null) outAll.set(probs, (k - 1) * init.maxSlice * init.outPer)
        }
      } else {
        const n = Atomics.load(control, slot(k, 0))
        const mode = Atomics.load(control, slot(k, 3))
        // the whole batch's size: this slice's backward averages over it, so its gradient is its share (data-parallel.ts)
        const batch = Atomics.load(control, batchWord(init.threads))
        const split = mode !== PARAMS_PUBLISHED
        const staged = mode === PARAMS_STAGED
        if (n > 0) {
          let off = 0
          // in place the tensors are pointed at the training thread's, which a staged step reads as they are updated
          if (inPlace || !staged) readParams(split)
          const x = model.inputTensor(xAll.subarray(xBase, xBase + n * xPer), n)
          const t = { shape: [n, ...(tPer > 1 ? [tPer] : [])], data: tAll.subarray(tBase, tBase + n * tPer) }
          let scores = x
          let t0 = tr ? PhaseTrace.now() : 0
          if (staged) {
            // each layer as soon as the training thread has updated its parameters (they come in order)
            let i = 0
            for (const layer of model.layers) {
              for (const p of layer.params) {
                awaitReady(i + 1)
                if (!inPlace) p.data.set(masterW![i])
                i++
              }
              scores = layer.forward(scores, true)
            }
            // every param updated: the update has read this thread's last gradient, which may now be overwritten
            awaitReady(model.params.length)
          } else {
            scores = model.forward(x, true)
          }
          results[RESULT_WORDS * k] = requireLoss(model).forward(scores, target(scores, x, t))
          results[RESULT_WORDS * k + 1] = correctOf(scores, t)
          if (tr) { tr.add('forward', t0); t0 = PhaseTrace.now() }
          model.backward(batch)
          if (tr) { tr.add('backward', t0); t0 = PhaseTrace.now() }
          if (inPlace) {
            // the gradients are already where the training thread reads them
          } else if (split && !mm) {
            // the other threads read this thread's gradients of their ranges here; its own range stays in place
            for (let j = 0; j < init.threads; j++) {
              if (j === k) continue
              for (const [p, a, b] of pieces[j]) grads.set(own[p].subarray(a, b), offs[p] + a)
            }
          } else {
            off = 0
            for (const g of own) {
              grads.set(g, off)
              off += g.length
            }
          }
          tr?.add('copy', t0)
        }
      }
    } catch (e) {
      const msg = new TextEncoder().encode(`kernel thread ${k}: ${e instanceof Error ? e.message : String(e)}`).subarray(0, ERROR_BYTES - 1)
      errors.fill(0, k * ERROR_BYTES, (k + 1) * ERROR_BYTES)
      errors.set(msg, k * ERROR_BYTES)
      Atomics.store(control, slot(k, 2), 1)
    }
    tellTop()
    Atomics.store(control, slot(k, 1), seen)
    wake(control, slot(k, 1), trainer)
  }
}
