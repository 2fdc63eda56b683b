/**
 * A page loaded again while the host's autosave is failing hears of it from train:current (CurrentRun.autosaveFailed,
 * M31's note): the 'autosave' event went out before the reload, at the run's first failure, and is not sent again for
 * that run, so before the banner came back only at a later run's failure. Written again since (null): it goes. An older
 * host (no field) leaves the page's own state.
 */
import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import type { CurrentRun } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { attachRun } from '../../../src-renderer/lib/attach-run'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { flush } from './fake-lab'

const MLP: NetSpec = { name: 'My network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.05, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const failed = { file: 'recovery.bplab', case: 'data-read-only', folder: '/home/me/.config/backprop-lab', detail: 'EROFS: read-only file system' }
const cur = (autosaveFailed?: CurrentRun['autosaveFailed']): CurrentRun => ({
  runId: 'run-x', state: 'running', spec: MLP, settings: SETTINGS, lr: 0.05, lrChanges: [], stride: 1, last: null, snapshot: null,
  history: { runs: [{ id: 'run-x', specName: 'My network', settings: SETTINGS, state: 'running', batchX: [], batchLoss: [], epochs: [] }], currentId: 'run-x' },
  ...(autosaveFailed !== undefined ? { autosaveFailed } : {})
})

describe('the autosave failure after a reload', () => {
  it('comes back with train:current, goes when the host has written one since, and an older host changes nothing', async () => {
    trainLab.runs = []
    trainLab.autosaveFailed = null
    render(RecoveryBanner)
    attachRun(cur(failed), true)
    await flush()
    expect(trainLab.autosaveFailed).toMatchObject({ code: 'write-failed', params: failed })
    expect(screen.getByTestId('autosave-failed').textContent).toContain('Training is not being autosaved.')
    // an older host: no field, the banner stays
    attachRun(cur(), false)
    await flush()
    expect(screen.queryByTestId('autosave-failed')).not.toBeNull()
    // written since: the reconnected page's banner goes
    attachRun(cur(null), false)
    await flush()
    expect(trainLab.autosaveFailed).toBeNull()
    expect(screen.queryByTestId('autosave-failed')).toBeNull()
    trainLab.runs = []
  })
})
