/**
 * The training accuracy a run's epochs carry since it is measured after the epoch in inference mode (trainEvalAcc,
 * src-engine/train/train-sample.ts) goes through a saved project and back, and a project file with something else
 * there is refused as a damaged history is.
 */
import { describe, expect, it } from 'vitest'
import { cleanHistory } from '../../../src-main/ipc/project-schemas'
import { trainAccuracy } from '../../../src-renderer/lib/train-accuracy'

const run = (epoch: Record<string, unknown>): unknown => ({
  id: 'r', specName: 'MLP', state: 'done', batchX: [1], batchLoss: [0.5],
  settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 50, epochs: 1, weightDecay: 0, seed: 1, threads: 1 },
  epochs: [{ epoch: 1, trainLoss: 0.3, trainAcc: 0.9, testLoss: 0.4, testAcc: 0.88, seconds: 1, ...epoch }]
})

describe('the training accuracy measured after the epoch, in a project file', () => {
  it('is kept, and shown rather than the running figure', () => {
    const h = cleanHistory(JSON.parse(JSON.stringify({ runs: [run({ trainEvalAcc: 0.97 })], currentId: 'r' })))
    const e = h!.runs[0].epochs[0] as Parameters<typeof trainAccuracy>[0]
    expect(trainAccuracy(e)).toBe(0.97)
    // an older file has none: no training accuracy, not the running figure under its name
    const old = cleanHistory(JSON.parse(JSON.stringify({ runs: [run({})], currentId: 'r' })))
    expect(trainAccuracy(old!.runs[0].epochs[0] as Parameters<typeof trainAccuracy>[0])).toBeNull()
  })

  it('refuses a history whose figure is not a number', () => {
    expect(cleanHistory({ runs: [run({ trainEvalAcc: '97%' })], currentId: 'r' })).toBeNull()
    expect(cleanHistory({ runs: [run({ trainEvalAcc: null })], currentId: 'r' })).not.toBeNull()
  })
})
