/**
 * The optimizer interface, as in the course: update(params, grads) walks the uniform lists and
 * changes params in place. Weight decay (L2) adds λ·W to each gradient before the rule
 * (the gradients themselves are not modified). All rules use eps 1e-7 like the course.
 */
import type { OptimizerName } from '../protocol'

/** Params and grads may be float32 (the engine) or float64 (exact paths in tests). */
export type FloatArray = Float32Array | Float64Array
export interface ParamLike { readonly data: FloatArray }

export const EPS = 1e-7

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
}

/**
 * Shared plumbing: checks the lists, allocates per-parameter slots (v, h, m…) lazily with the
 * params' array type, and exports/imports them as "<slot>.<index>".
 */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: OptimizerName
  protected slots: Record<string, FloatArray[]> = {}
  private pending: Record<string, Float32Array> | null = null

  constructor(public lr: number, public weightDecay = 0, private readonly slotNames: readonly string[] = []) {
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
    this.step(params, grads)
  }

  protected abstract step(params: readonly ParamLike[], grads: readonly ParamLike[]): void

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {}
    // loaded but not used yet: hand back what was loaded, so saving right after opening keeps it
    if (this.pending !== null) for (const [k, v] of Object.entries(this.pending)) out[k] = v.slice()
    for (const s of this.slotNames) (this.slots[s] ?? []).forEach((a, i) => { out[`${s}.${i}`] = Float32Array.from(a) })
    for (const [k, v] of Object.entries(this.scalars())) out[k] = Float32Array.of(v)
    return out
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
        const a = p.data instanceof Float64Array ? new Float64Array(p.data.length) : new Float32Array(p.data.length)
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
