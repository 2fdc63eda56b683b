/**
 * After a try-it button puts another network on the page with fresh weights, the progress card is that network's,
 * not trained yet, and no longer the previous network's finished run (Q8's F5: "Done · test MSE 0.0557" on a
 * character-LSTM page); with the weights kept, or the same network, the run is still the page's.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import type { TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, flush } from './fake-lab'

const ae = PRESETS.find((p) => p.id === 'ae-2d')!
const char = PRESETS.find((p) => p.id === 'char-lstm')!
const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }

function finishedAutoencoder(): void {
  const r = new Run('ae', 1, settings, ae.spec.name ?? '', 'autoencoder')
  r.spec = structuredClone(ae.spec)
  r.state = 'done'
  trainLab.runs = [r]
  trainLab.currentId = 'ae'
}

describe("the training page's run after the network is replaced", () => {
  setLab(new FakeLab())
  i18n.set('en')
  afterAll(() => setLab(null))
  afterEach(() => {
    cleanup()
    trainLab.runs = []
    trainLab.currentId = null
    project.weightsChoice = null
  })

  it("shows the new network untrained, not the autoencoder's finished run, once its weights are fresh", async () => {
    finishedAutoencoder()
    project.spec = structuredClone(char.spec)
    project.weightsChoice = 'fresh'
    render(TrainPage)
    await flush()
    const card = screen.getByTestId('progress-card').textContent ?? ''
    expect(card).not.toContain('Finished')
    expect(card).toContain('Ready')
  })

  it('still shows the run when its weights are kept, or the page holds its network', async () => {
    finishedAutoencoder()
    project.spec = structuredClone(char.spec)
    project.weightsChoice = 'keep'
    render(TrainPage)
    await flush()
    expect(screen.getByTestId('progress-card').textContent).toContain('Finished')
    cleanup()
    project.spec = structuredClone(ae.spec)
    project.weightsChoice = null
    render(TrainPage)
    await flush()
    expect(screen.getByTestId('progress-card').textContent).toContain('Finished')
  })
})
