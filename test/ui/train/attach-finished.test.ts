/**
 * A page loaded again after a run ENDED takes the run back when the host still holds its trained model (Q3's F6,
 * lib/attach-run.ts; CurrentRun.modelHeld from lab-host.ts currentRun): the host's runs listed, the last one current
 * and done, the form at its settings, Continue offered and sent as a continuation of that run; the page stays where it
 * was. A host that no longer holds the run's model (a project opened since), or a page whose draft is another network,
 * changes nothing. The old page took over live runs only: after F5 it showed "Ready · epoch 0", no runs, the form at its
 * defaults and no Continue, so the first test fails there.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import type { CurrentRun, MenuCommand, SavedRun } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab, type LabClient, type LabStatus } from '../../../src-renderer/lib/lab'
import { connection } from '../../../src-renderer/lib/connection.svelte'
import { attachRun } from '../../../src-renderer/lib/attach-run'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, flush } from './fake-lab'

const NET: NetSpec = { name: 'My network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Momentum', lr: 0.02, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const epoch = (n: number) => ({ epoch: n, trainLoss: 0.4, trainAcc: 0.9, testLoss: 0.35, testAcc: 0.905, seconds: 4 })
const xs = Array.from({ length: 30 }, (_, i) => (i + 1) / 10)
const run = (id: string, epochs: number): SavedRun => ({ id, specName: 'My network', settings: { ...SETTINGS, epochs }, state: 'done', batchX: xs.slice(0, epochs * 10), batchLoss: xs.slice(0, epochs * 10).map((x) => 1 / x), epochs: Array.from({ length: epochs }, (_, i) => epoch(i + 1)) })
const done: CurrentRun = {
  runId: 'run-b', state: 'done', spec: NET, settings: SETTINGS, lr: 0.02, lrChanges: [], stride: 1,
  last: { epoch: 3, batch: 10, batches: 10, loss: 0.3, examplesPerSec: 900 }, snapshot: null, modelHeld: true,
  history: { runs: [run('run-a', 1), run('run-b', 3)], currentId: 'run-b' }
}

class ReloadedLab extends FakeLab implements LabClient {
  transport = 'web' as const
  status: LabStatus = 'open'
  onStatus(l: (s: LabStatus) => void): () => void { l('open'); return () => {} }
  onMenu(_l: (c: MenuCommand) => void): () => void { return () => {} }
  close(): void {}
}

/** A page just loaded: the editor on `spec` (restored from the draft, say), nothing trained, no runs. */
function loaded(spec: NetSpec): void {
  project.spec = spec
  project.trained = false
  project.page = 'editor'
  trainLab.runs = []
  trainLab.currentId = null
  trainLab.modelRunId = null
  editor.reset()
}

describe('a page loaded again after a run ended', () => {
  const lab = new ReloadedLab()
  lab.handlers['train:current'] = () => ({ ok: true, value: done })
  setLab(lab)
  afterAll(() => setLab(null))

  it('lists the runs, the last one current with its settings, and offers Continue for its model', async () => {
    i18n.set('en')
    loaded(NET)
    const stop = connection.start(lab)
    for (let i = 0; i < 6; i++) await flush()
    stop()
    expect(trainLab.runs.map((r) => [r.id, r.state, r.index])).toEqual([['run-a', 'done', 1], ['run-b', 'done', 2]])
    expect(trainLab.current?.id).toBe('run-b')
    expect(trainLab.form).toMatchObject({ optimizer: 'Momentum', lr: 0.02, batchSize: 50, epochs: 3 })
    expect(project.trained).toBe(true)
    // nothing is going on: the page stays where it was
    expect(project.page).toBe('editor')

    render(TrainPage)
    await flush()
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 3 / 3')
    expect(screen.getByTestId('run-legend').textContent).toContain('#2 Momentum')
    const cont = screen.getByTestId('train-continue') as HTMLButtonElement
    expect(cont.disabled).toBe(false)
    await fireEvent.click(cont)
    await flush()
    expect(lab.calls.find((c) => c.channel === 'train:start')?.payload).toMatchObject({ spec: NET, from: 'model', epochOffset: 3 })
    expect(trainLab.current?.continues).toMatchObject({ runId: 'run-b', index: 2 })
  })

  it('changes nothing when the host no longer holds the run’s model, or the draft is another network', () => {
    // a project opened since (its own weights): the host's last run is not the model held
    loaded(NET)
    attachRun({ ...done, modelHeld: false }, true)
    expect(trainLab.runs).toEqual([])
    // an older host that does not say
    const { modelHeld: _, ...older } = done
    attachRun(older, true)
    expect(trainLab.runs).toEqual([])
    // a failed run: nothing to continue (its banner is the live page's)
    attachRun({ ...done, state: 'failed' }, true)
    expect(trainLab.runs).toEqual([])
    // the learner's own draft, another network, restored from storage: kept, and no runs of the other network listed
    const draft: NetSpec = { ...NET, layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    loaded(draft)
    editor.restored = true
    attachRun(done, true)
    expect(trainLab.runs).toEqual([])
    expect(project.spec).toBe(draft)
    // not the page's first connection (it reconnected): its runs and form are its own
    loaded(NET)
    attachRun(done, false)
    expect(trainLab.runs).toEqual([])
  })
})
