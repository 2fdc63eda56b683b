/**
 * The optimizer interface, as in the course: update(params, grads) walks the uniform lists and
 * changes params in place. Weight decay (L2) adds λ·W to each gradient before the rule
 * (the gradients themselves are not modified). All rules use eps 1e-7 like the course.
 *
 * Each optimizer is a Rule (a pure element-wise update of one run of values) plus the numbers of a
 * step (lr, Adam's bias-corrected lr_t…). Data-parallel training (train/data-parallel.ts) runs the
 * same rule on disjoint ranges of one step in several threads, with the state in shared memory
 * (beginFlatStep), and so computes exactly what update() would.
 */
import type { OptimizerName } from '../protocol'
import { kernelArray } from '../kernels/gemm'

/** Params and grads may be float32 (the engine) or float64 (exact paths in tests). */
export type FloatArray = Float32Array | Float64Array
export interface ParamLike { readonly data: FloatArray }

export const EPS = 1e-7

/**
 * One step of an update rule over one run of values: W and g of equal length, the state slots s (one
 * array per slot name, same length) and the step's numbers h (BaseOptimizer.numbers). Changes W and s.
 */
export type Rule = (W: FloatArray, g: FloatArray, s: readonly FloatArray[], h: readonly number[]) => void

/**
 * A Rule whose gradient is the sum of two threads' gradients, fround(g0[i] + g1[i]) (what summing them into a
 * float32 array gives), in the same pass: data-parallel updates on two threads, where a separate combining
 * pass would cost as much as the rule. (Each thread's gradient is already its share of the batch's.)
 */
export type Rule2 = (W: Float32Array, g0: Float32Array, g1: Float32Array, s: readonly Float32Array[], h: readonly number[]) => void

export interface Optimizer {
  readonly name: OptimizerName
  /** Learning rate; may be changed between steps (schedules, the UI's slider). */
  lr: number
  /** L2 weight-decay coefficient λ (0 = off). */
  weightDecay: number
  update(params: readonly ParamLike[], grads: readonly ParamLike[]): void
  /** A copy of the optimizer's state (moments, step count) for project files. */
  state(): Record<string, Float32Array>
  /** Restores state(); throws if it does not fit the next update's params. */
  loadState(state: Record<string, Float32Array>): void
  /**
   * How many values its per-parameter state holds (every slot of every parameter: Adam's m and v, 2 a parameter),
   * counting state loaded but not yet used; none before the first update. No copy is made (train/retire.ts).
   */
  stateValues(): number
}

/**
 * Shared plumbing: checks the lists, allocates per-parameter slots (v, h, m…) lazily with the
 * params' array type, and exports/imports them as "<slot>.<index>".
 */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: OptimizerName
  /** The element-wise update (shared with data-parallel threads, which look it up by name). */
  protected abstract readonly rule: Rule
  protected slots: Record<string, FloatArray[]> = {}
  private pending: Record<string, Float32Array> | null = null
  /** The arrays beginFlatStep's slots are views of, held so that engine memory keeps their blocks. */
  private flat: readonly Float32Array[] = []

  constructor(public lr: number, public weightDecay = 0, readonly slotNames: readonly string[] = []) {
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`optimizer: learning rate must be a finite number ≥ 0, got ${lr}`)
    if (!(weightDecay >= 0)) throw new Error(`optimizer: weight decay must be ≥ 0, got ${weightDecay}`)
  }

  update(params: readonly ParamLike[], grads: readonly ParamLike[]): void {
    if (params.length !== grads.length) throw new Error(`${this.name}: ${params.length} params but ${grads.length} grads`)
    for (let k = 0; k < params.length; k++) {
      if (params[k].data.length !== grads[k].data.length) {
        throw new Error(`${this.name}: param ${k} has ${params[k].data.length} values but its gradient ${grads[k].data.length}`)
      }
    }
    this.prepare(params)
    const h = this.numbers()
    for (let k = 0; k < params.length; k++) this.rule(params[k].data, grads[k].data, this.slotNames.map((s) => this.slots[s][k]), h)
  }

  /** The numbers of the next step, in the rule's order; advances step counters (so: once per step). */
  protected abstract numbers(): number[]

  /**
   * For data-parallel updates: keeps the state in `flat` from now on (one array per slot name holding
   * every param's values, params in order; the current state is copied in unless it is there already)
   * and begins a step. The caller then runs ruleOf(name) over ranges with the returned numbers.
   */
  beginFlatStep(params: readonly ParamLike[], flat: readonly Float32Array[]): number[] {
    if (flat.length !== this.slotNames.length) throw new Error(`${this.name}: ${this.slotNames.length} state arrays needed, got ${flat.length}`)
    this.prepare(params)
    this.slotNames.forEach((s, j) => {
      let off = 0
      const have = this.slots[s]
      for (let k = 0; k < params.length; k++) {
        const n = params[k].data.length
        const a = have[k]
        if (!(a.buffer === flat[j].buffer && a.byteOffset === flat[j].byteOffset + off * 4 && a instanceof Float32Array)) {
          const view = flat[j].subarray(off, off + n)
          view.set(a)
          have[k] = view
        }
        off += n
      }
      if (off !== flat[j].length) throw new Error(`${this.name}: state array ${s} holds ${flat[j].length} values for ${off} parameters`)
    })
    this.flat = flat
    return this.numbers()
  }

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {}
    // loaded but not used yet: hand back what was loaded, so saving right after opening keeps it
    if (this.pending !== null) for (const [k, v] of Object.entries(this.pending)) out[k] = v.slice()
    for (const s of this.slotNames) (this.slots[s] ?? []).forEach((a, i) => { out[`${s}.${i}`] = Float32Array.from(a) })
    for (const [k, v] of Object.entries(this.scalars())) out[k] = Float32Array.of(v)
    return out
  }

  stateValues(): number {
    let n = 0
    if (this.pending !== null) {
      for (const [k, v] of Object.entries(this.pending)) if (this.slotNames.includes(k.slice(0, k.indexOf('.')))) n += v.length
    }
    for (const s of this.slotNames) for (const a of this.slots[s] ?? []) n += a.length
    return n
  }

  loadState(state: Record<string, Float32Array>): void {
    this.pending = state
    this.slots = {}
    const sc: Record<string, number> = {}
    for (const k of Object.keys(this.scalars())) if (state[k] !== undefined) sc[k] = state[k][0]
    this.setScalars(sc)
  }

  /** Step counters and the like, saved beside the slots. */
  protected scalars(): Record<string, number> { return {} }
  protected setScalars(_s: Record<string, number>): void {}

  private prepare(params: readonly ParamLike[]): void {
    for (const s of this.slotNames) {
      const have = this.slots[s]
      if (have !== undefined && have.length === params.length && have.every((a, i) => a.length === params[i].data.length)) continue
      if (have !== undefined && this.pending === null) {
        throw new Error(`${this.name}: the parameters changed shape between steps; make a new optimizer for a new network`)
      }
      this.slots[s] = params.map((p, i) => {
        // float32 state beside the weights in engine memory, where the rules run as WebAssembly
        const a = p.data instanceof Float64Array ? new Float64Array(p.data.length) : kernelArray(p.data.length)
        const saved = this.pending?.[`${s}.${i}`]
        if (saved !== undefined) {
          if (saved.length !== a.length) throw new Error(`${this.name}: saved state ${s}.${i} has ${saved.length} values but the param has ${a.length}`)
          a.set(saved)
        }
        return a
      })
    }
    this.pending = null
  }
}
