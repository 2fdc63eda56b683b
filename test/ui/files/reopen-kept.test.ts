/**
 * A continuation from weights kept part-way through an epoch (Continues.xOffset: its curve goes on from the kept batch,
 * its held-out losses sit where its epochs' batches end) saved in a project and reopened: the link lost xOffset, so the
 * reopened chart put the held-out dots a fraction of an epoch early, off the curve they belong to, and the run counted
 * one epoch more than it trained (a later Continue numbered after an epoch never trained).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { SavedHistory, SavedRun } from '../../../src-main/ipc/contract'
import { cleanHistory } from '../../../src-main/ipc/project-schemas'
import type { BatchPoint, TrainSettings } from '../../../src-engine/protocol'
import { restoredRuns, savedRun } from '../../../src-renderer/lib/files.svelte'
import { epochsTrained, type Run } from '../../../src-renderer/lib/train.svelte'
import { lossSeries } from '../../../src-renderer/components/train/series'
import { project } from '../../../src-renderer/lib/project.svelte'
import { SIMPLE_CONVNET, connected } from '../train/fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number, loss: number): BatchPoint => ({ epoch, batch, batches: 4, loss, examplesPerSec: 1000 })
const report = (epoch: number, testLoss: number) => ({ epoch, trainLoss: 1, trainAcc: null, testLoss, testAcc: 0.9, seconds: 1 })
const throughFile = (runs: SavedRun[], currentId: string | null): SavedHistory => cleanHistory(JSON.parse(JSON.stringify({ runs, currentId }))) as SavedHistory
const testDots = (runs: Run[], id: string): number[] =>
  lossSeries(runs, 0, new Map(), { run: () => '', test: 'test', train: 'train' }).find((s) => s.key === `${id}:test`)!.points.map((p) => p.x)

afterEach(() => { project.trained = false; project.weightsChoice = null; project.spec = null })

describe('a continuation from weights kept mid-epoch, saved and reopened', () => {
  it('keeps its place on the curve: the held-out dots where its epochs end, its epochs trained counted as before', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    for (let e = 1; e <= 3; e++) {
      fake.emit({ type: 'batches', runId: 'run-1', points: [1, 2, 3, 4].map((b) => pt(e, b, 2 - e * 0.3)) })
      fake.emit({ type: 'epoch', runId: 'run-1', report: report(e, 1) })
    }
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(4, 1, 0.9), pt(4, 2, 40)] })
    fake.emit({ type: 'error', runId: 'run-1', code: 'diverged', message: 'loss is NaN',
      divergence: { reason: 'not-finite', loss: 'NaN', epoch: 4, batch: 2, optimizer: 'Adam', lr: 3, suggestedLr: 0.001, kept: { from: 'run', epoch: 4, batch: 1, loss: 0.9 } } })
    const next = (await lab.continueFromKept(SIMPLE_CONVNET))!
    expect(next.continues).toMatchObject({ epochOffset: 3, xOffset: 3.25 })
    fake.emit({ type: 'batches', runId: 'run-2', points: [1, 2, 3, 4].map((b) => pt(1, b, 0.8)) })
    fake.emit({ type: 'epoch', runId: 'run-2', report: report(1, 0.8) })
    fake.emit({ type: 'batches', runId: 'run-2', points: [1, 2, 3, 4].map((b) => pt(2, b, 0.7)) })
    fake.emit({ type: 'epoch', runId: 'run-2', report: report(2, 0.7) })
    fake.emit({ type: 'state', runId: 'run-2', state: 'done' })
    const dots = testDots(lab.runs, 'run-2')
    const trained = epochsTrained(next)
    expect(dots).toEqual([3, 4.25, 5.25]) // the bridge from #1's epoch 3, then epochs 4 and 5 where their batches end
    expect(trained).toBe(5)

    const runs = restoredRuns(throughFile(lab.runs.map(savedRun), 'run-2').runs, 'classifier')
    expect(runs[1].batchX).toEqual(next.batchX)
    expect(testDots(runs, 'run-2')).toEqual(dots)
    expect(epochsTrained(runs[1])).toBe(trained)
  })
})
