/**
 * A saved history's impossible values (Q4's B8: a file with testAcc 5, trainAcc −3, an epoch of 1e308 seconds, a
 * confusion matrix of 1000 classes holding 3 counts) become "no value", the runs and their other numbers kept; before,
 * they were taken as they were and shown as "Test accuracy 500.0%". Fails on the old schema (5 and −3 came through).
 */
import { describe, expect, it } from 'vitest'
import { cleanHistory } from '../../src-main/ipc/project-schemas'
import { validatePayload } from '../../src-main/ipc/validate'
import { LR_KEPT } from '../../src-engine/protocol'
import { LR_MAX } from '../../src-engine/settings-limits'
import { mutateJson, seeded } from '../engine/io/fuzz-mutate'
import { mlpSpec, settings } from './helpers'

const report = (over: Record<string, unknown>) => ({ epoch: 1, trainLoss: 1.9, trainAcc: 0.5, testLoss: 1.8, testAcc: 0.55, seconds: 1, ...over })
const history = (epochs: Record<string, unknown>[]) => ({
  runs: [{ id: 'r', specName: 'n', settings: settings(), state: 'done', batchX: [1], batchLoss: [2], epochs }], currentId: 'r'
})

describe('a saved history’s impossible values', () => {
  it('become no value; the run, its epochs and its other numbers are kept', () => {
    const h = cleanHistory(history([
      report({ testAcc: 5, trainAcc: -3, trainEvalAcc: 2, seconds: 1e308, confusion: { classes: 1000, counts: [1, 2, 3] } }),
      report({ epoch: 2, confusion: { classes: 2, counts: [5, 1, 0, 4] } })
    ]))!
    expect(h.runs[0].epochs[0]).toMatchObject({ testAcc: null, trainAcc: null, trainEvalAcc: null, seconds: null, trainLoss: 1.9, testLoss: 1.8 })
    expect(h.runs[0].epochs[0].confusion).toBeUndefined()
    expect(h.runs[0].epochs[1]).toMatchObject({ testAcc: 0.55, trainAcc: 0.5, seconds: 1, confusion: { classes: 2, counts: [5, 1, 0, 4] } })
  })
})

describe('a saved history’s impossible epochs and run settings (the form’s ranges, settings-limits.ts)', () => {
  it('leaves out an epoch numbered past any run, and a run whose settings Start refuses; the others are kept', () => {
    const run = (id: string, over: Record<string, unknown>, epochs = [report({})]) =>
      ({ id, specName: 'n', settings: { ...settings(), ...over }, state: 'done', batchX: [1], batchLoss: [2], epochs })
    const h = cleanHistory({
      runs: [
        run('ok', { lr: 10, batchSize: 4096, epochs: 1000 }, [report({}), report({ epoch: 1e15 }), report({ epoch: 2 })]),
        run('lr', { lr: -5 }), run('lr0', { lr: 0 }), run('batch', { batchSize: 1e12 }), run('half', { batchSize: 2.5 }), run('epochs', { epochs: 1001 })
      ],
      currentId: 'batch'
    })!
    expect(h.runs.map((r) => r.id)).toEqual(['ok'])
    expect(h.runs[0].epochs.map((e) => e.epoch)).toEqual([1, 2])
    // the current run was one left out: there is none
    expect(h.currentId).toBeNull()
    const kept = cleanHistory({ runs: [run('a', {}), run('b', { lr: -5 })], currentId: 'a' })!
    expect(kept.currentId).toBe('a')
    expect(kept.runs).toHaveLength(1)
  })
})

describe('a saved epoch’s learning rates (EpochReport.lr, M43)', () => {
  it('are kept when they are rates a run could train with, else dropped as not recorded, the epoch kept', () => {
    const full = [0.002, 0.001, 0.0009, 0.0008, 0.0007, 0.0006, 0.0005, 0.0004]
    const h = cleanHistory(history([
      report({ lr: [0.002, 0.0005] }),
      report({ epoch: 2, lr: full, lrLeftOut: 3 }),
      report({ epoch: 3 }),
      report({ epoch: 4, lr: 'fast' }),
      report({ epoch: 5, lr: [0.002, -5] }),
      report({ epoch: 6, lr: [1e308] }),
      report({ epoch: 7, lr: [] }),
      report({ epoch: 8, lr: Array(1000).fill(0.001) }),
      report({ epoch: 9, lr: [0.002, null] }),
      // a count of changes left out is a whole number beside a full list, else dropped
      report({ epoch: 10, lr: [0.002], lrLeftOut: 3 }),
      report({ epoch: 11, lr: full, lrLeftOut: -1 }),
      report({ epoch: 12, lrLeftOut: 2 })
    ]))!
    const es = h.runs[0].epochs
    expect(es.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(es.map((e) => e.lr)).toEqual([[0.002, 0.0005], full, undefined, undefined, undefined, undefined, undefined, undefined, undefined, [0.002], full, undefined])
    expect(es.map((e) => e.lrLeftOut)).toEqual([undefined, 3, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined])
    expect(es.every((e) => e.testAcc === 0.55 && e.trainLoss === 1.9)).toBe(true)
    expect('lrLeftOut' in es[9]).toBe(false)
  })
})

/** What a saved epoch report may not carry past the boundary: a number not finite, an object with a changed prototype
 * or a "__proto__" key, learning rates that are not 1 to LR_KEPT rates in (0, LR_MAX]. */
function badEpoch(e: Record<string, unknown>): string | null {
  const walk = (x: unknown, at: string): string | null => {
    if (typeof x === 'number') return Number.isFinite(x) ? null : `${at} is ${x}`
    if (typeof x !== 'object' || x === null) return null
    const proto = Object.getPrototypeOf(x)
    if (proto !== Object.prototype && proto !== Array.prototype) return `${at} has another prototype`
    if (Object.hasOwn(x, '__proto__')) return `${at} carries "__proto__"`
    for (const [k, y] of Object.entries(x)) {
      const bad = walk(y, `${at}.${k}`)
      if (bad) return bad
    }
    return null
  }
  const lr = e.lr
  if (lr !== undefined && !(Array.isArray(lr) && lr.length >= 1 && lr.length <= LR_KEPT && lr.every((x) => typeof x === 'number' && x > 0 && x <= LR_MAX))) return `lr ${JSON.stringify(lr)}`
  if (e.lrLeftOut !== undefined && !(Number.isInteger(e.lrLeftOut) && (e.lrLeftOut as number) > 0 && Array.isArray(lr) && lr.length === LR_KEPT)) return `lrLeftOut ${String(e.lrLeftOut)}`
  return walk(e, 'epoch')
}

describe('a saved history’s epochs, fuzzed at the IPC boundary (project:save) and in a file (cleanHistory)', () => {
  it('400 seeded near-misses of epochs with learning rates are refused, or pass with only sound values', () => {
    const full = [0.002, 0.001, 0.0009, 0.0008, 0.0007, 0.0006, 0.0005, 0.0004]
    const epochs = [report({ lr: [0.002, 0.0005] }), report({ epoch: 2, lr: full, lrLeftOut: 4, perplexity: 3.1 }), report({ epoch: 3, confusion: { classes: 2, counts: [5, 1, 0, 4] } })]
    const failures: string[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const m = mutateJson(epochs, seeded(seed))
      const save = validatePayload('project:save', { project: { spec: mlpSpec(), settings: settings(), history: history(m.value as Record<string, unknown>[]) }, to: 'download' })
      const file = cleanHistory(JSON.parse(JSON.stringify(history(m.value as Record<string, unknown>[]) ?? null)))
      for (const [where, h] of [['project:save', save.ok ? save.value.project.history : null], ['file', file]] as const) {
        for (const e of h?.runs[0]?.epochs ?? []) {
          const bad = badEpoch(e as Record<string, unknown>)
          if (bad) failures.push(`seed ${seed} (${m.what}) ${where}: ${bad}`)
        }
      }
    }
    expect(failures.slice(0, 8)).toEqual([])
  })
})
