/**
 * A saved history's impossible values (Q4's B8: a file with testAcc 5, trainAcc −3, an epoch of 1e308 seconds, a
 * confusion matrix of 1000 classes holding 3 counts) become "no value", the runs and their other numbers kept; before,
 * they were taken as they were and shown as "Test accuracy 500.0%". Fails on the old schema (5 and −3 came through).
 */
import { describe, expect, it } from 'vitest'
import { cleanHistory } from '../../src-main/ipc/project-schemas'
import { settings } from './helpers'

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
