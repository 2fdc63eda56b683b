/**
 * "Continue training" after recovering the autosave of a run the lab lost mid-run goes on for the epochs the run had
 * left, as the banner promised ("continue where training stopped"): Q1 F2 killed the web shell in epoch 2 of a 4-epoch
 * run, recovered the autosave after epoch 1, and Continue ran "Epoch 2 / 5", four more. A run the learner stopped
 * keeps Continue's own meaning: the form's epochs more.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenedProject, SavedRun } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, SIMPLE_CONVNET, flush } from '../train/fake-lab'
import { FakeApi } from './fake-api'
import { forgetProject } from './forget-project'

const S: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 4, weightDecay: 0, seed: 1, threads: 1 }
const report = (epoch: number) => ({ epoch, trainLoss: 0.3, trainAcc: 0.9, testLoss: 0.3, testAcc: 0.91, seconds: 3 })
/** A 4-epoch run of the Simple ConvNet saved after `epochs` epochs, in `state`. */
const saved = (epochs: number, state: SavedRun['state']): SavedRun => ({
  id: 'r1', specName: 'Simple ConvNet', settings: S, state,
  batchX: Array.from({ length: epochs * 4 }, (_, i) => (i + 1) / 4), batchLoss: Array.from({ length: epochs * 4 }, () => 0.5),
  epochs: Array.from({ length: epochs }, (_, i) => report(i + 1))
})

async function reopened(run: SavedRun, from: 'recovery' | 'recent'): Promise<{ fake: FakeLab; files: FilesLab }> {
  const fake = new FakeLab()
  trainLab.connect(fake)
  await flush()
  const opened: OpenedProject = {
    fileName: 'net.bplab', savedAt: '', spec: SIMPLE_CONVNET, presetId: null, settings: S, hasWeights: true, epoch: run.epochs.length,
    history: { runs: [run], currentId: 'r1' }
  }
  const files = new FilesLab()
  files.connect(new FakeApi({ 'project:open': { ok: true, value: opened } }), false)
  expect(await files.open(from === 'recovery' ? { from: 'recovery' } : { from: 'recent', path: '/tmp/net.bplab' })).not.toBeNull()
  return { fake, files }
}

const started = (fake: FakeLab) => fake.calls.filter((c) => c.channel === 'train:start').at(-1)?.payload as { settings: TrainSettings; epochOffset?: number }

afterEach(forgetProject)

describe('continuing a run recovered after a crash', () => {
  it('trains the 3 epochs a 4-epoch run had left after epoch 1, shown as epoch 2 / 4, and the notice says so', async () => {
    const { fake, files } = await reopened(saved(1, 'running'), 'recovery')
    expect(trainLab.form.epochs).toBe(3)
    // the training page's own fill on opening keeps it (the editor filled the form for the opened network first)
    trainLab.prepareForm(project.spec, trainLab.presetFor(project.spec, null))
    expect(trainLab.form.epochs).toBe(3)
    expect(files.notice).toBe('Recovered the autosave (after epoch 1). Continue training goes on from its weights for the 3 epochs the run had left; Epochs is set to 3.')
    i18n.set('ko')
    expect(files.notice).toContain('남아 있던 3에폭')
    const next = await trainLab.continueRun(SIMPLE_CONVNET)
    expect(next).not.toBeNull()
    expect(started(fake)).toMatchObject({ settings: { epochs: 3 }, epochOffset: 1 })
    fake.emit({ type: 'batches', runId: next!.id, points: [{ epoch: 1, batch: 1, batches: 4, loss: 0.4, examplesPerSec: 100 }] })
    expect([next!.progress.epoch, next!.progress.epochs]).toEqual([2, 4])
  })

  it('a project saved while its run trained goes on the same way; a run the learner stopped trains the form\'s epochs more', async () => {
    await reopened(saved(2, 'paused'), 'recent')
    expect(trainLab.form.epochs).toBe(2)
    const { fake } = await reopened(saved(1, 'stopped'), 'recent')
    expect(trainLab.form.epochs).toBe(4)
    await trainLab.continueRun(SIMPLE_CONVNET)
    expect(started(fake)).toMatchObject({ settings: { epochs: 4 }, epochOffset: 1 })
  })
})
