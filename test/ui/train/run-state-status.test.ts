/**
 * A screen reader hears the run's state change (running, finished, stopped): the badge on the progress card is a
 * status region. Before, a learner who started a run from the keyboard heard nothing when it finished.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import ProgressPanel from '../../../src-renderer/components/train/ProgressPanel.svelte'
import { defaultsFor, Run } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the run state badge', () => {
  it('is a status region whose text says the run finished (en, ko)', async () => {
    const r = new Run('c', 1, settings, 'net', 'classifier')
    r.state = 'running'
    render(ProgressPanel, { run: r, form: defaultsFor(null, 1) })
    expect(screen.getByRole('status').textContent).toBe('Training')
    r.state = 'done'
    await tick()
    expect(screen.getByRole('status').textContent).toBe('Finished')
    i18n.set('ko')
    await tick()
    expect(screen.getByRole('status').textContent).toBe('완료')
  })
})
