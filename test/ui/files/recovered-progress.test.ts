/**
 * A run restored from the autosave says how far it trained (Q1's F2): the autosave is written at an epoch's end, before
 * the run's own end, so a 3-epoch run kept after epoch 3 was listed 'Stopped' and its progress read 'epoch 0 / 3' beside
 * its epoch-3 tiles. Now it is done, 3 / 3; one kept after epoch 1 is stopped at 1 / 3, a continuation counts on.
 */
import { describe, expect, it } from 'vitest'
import type { SavedRun } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import { restoredRuns } from '../../../src-renderer/lib/files.svelte'

const S: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }
const report = (epoch: number) => ({ epoch, trainLoss: 0.3, trainAcc: 0.9, testLoss: 0.3, testAcc: 0.91, seconds: 3 })
const saved = (id: string, epochs: number, over: Partial<SavedRun> = {}): SavedRun => ({
  id, specName: 'My network', settings: S, state: 'running',
  batchX: Array.from({ length: epochs * 4 }, (_, i) => (i + 1) / 4), batchLoss: Array.from({ length: epochs * 4 }, () => 0.5),
  epochs: Array.from({ length: epochs }, (_, i) => report(i + 1)), ...over
})

describe('a run restored from the autosave', () => {
  it('kept after its last epoch is done, 3 / 3; kept after epoch 1 is stopped at 1 / 3; a continuation counts on', () => {
    const [done, part, cont] = restoredRuns([
      saved('a', 3),
      saved('b', 1),
      // continues 'a' after its 3 epochs: 1 of its own 3 trained, numbered 4
      { ...saved('c', 0), batchX: [3.25, 3.5, 3.75, 4], batchLoss: [0.4, 0.4, 0.4, 0.4], epochs: [report(4)], continues: { runId: 'a', epochOffset: 3 } }
    ], 'classifier')
    expect([done.state, done.progress.epoch, done.progress.epochs, done.progress.fraction]).toEqual(['done', 3, 3, 1])
    expect([part.state, part.progress.epoch, part.progress.epochs]).toEqual(['stopped', 1, 3])
    expect(part.progress.fraction).toBeCloseTo(1 / 3, 9)
    expect([cont.state, cont.progress.epoch, cont.progress.epochs]).toEqual(['stopped', 4, 6])
  })
})
