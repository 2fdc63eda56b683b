/**
 * The recovery offer goes while a run trains (it rewrites the autosave after each epoch) and, once none does, is what
 * the host names: the earlier session's autosave when the run ended before its first epoch (a run started by mistake
 * and stopped at once lost the offer for good, before b98f51b), or when the run's own autosave could not be written
 * (the page dropped it on the epoch reported, though the earlier work was still the file on disk); nothing once the
 * run's autosave replaced it (the host never names this session's own: projects.ts recovery).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { RecoveryInfo, Result } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { files } from '../../../src-renderer/lib/files.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { FakeApi } from './fake-api'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const crashed: RecoveryInfo = { savedAt: '2026-11-27T07:11:26Z', epoch: 3, specName: 'My network', runs: 1 }
const settle = async (): Promise<void> => {
  for (let k = 0; k < 4; k++) { await Promise.resolve(); flushSync() }
}

afterEach(() => {
  cleanup()
  trainLab.runs = []
  trainLab.currentId = null
  files.recovery = null
})

describe('the recovery offer and a run started by mistake', () => {
  it('comes back when the run stopped before its first epoch, not after one (the autosave is then this session\'s)', async () => {
    const answers: { 'project:recovery': Result<RecoveryInfo | null> } = { 'project:recovery': { ok: true, value: crashed } }
    files.connect(new FakeApi(answers), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    expect(screen.getByTestId('recovery-banner')).toBeTruthy()
    // Start by mistake: the offer goes while the run trains
    const a = new Run('a', 1, settings, 'net', 'classifier')
    a.state = 'running'
    trainLab.runs = [a]
    await settle()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()
    // and it is said that the autosave is kept until the run's first epoch ends
    expect(screen.getByTestId('recovery-kept').textContent).toMatch(/^The unsaved training autosaved at .* is still kept until this run’s first epoch ends/)
    // stopped before its first epoch: the autosave is the crashed session's still, and the offer is back
    a.state = 'stopped'
    await settle()
    expect(screen.getByTestId('recovery-banner').textContent).toContain('My network')
    expect(screen.queryByTestId('recovery-kept')).toBeNull()
    // a run that reports an epoch replaces the autosave: once it stops, the offer stays gone
    const b = new Run('b', 2, settings, 'net', 'classifier')
    b.state = 'running'
    trainLab.runs = [a, b]
    await settle()
    expect(screen.getByTestId('recovery-kept')).toBeTruthy()
    b.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.8, testLoss: 1, testAcc: 0.8, seconds: 1 })
    flushSync()
    // its first epoch replaced the autosave: nothing is kept any more
    expect(screen.queryByTestId('recovery-kept')).toBeNull()
    // the autosave on disk is this session's own now: the host names none
    answers['project:recovery'] = { ok: true, value: null }
    b.state = 'stopped'
    await settle()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()
  })

  it("comes back after a run that reported an epoch when the host still has the earlier autosave (the run's could not be written)", async () => {
    const answers: { 'project:recovery': Result<RecoveryInfo | null> } = { 'project:recovery': { ok: true, value: crashed } }
    files.connect(new FakeApi(answers), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    const a = new Run('a', 1, settings, 'net', 'classifier')
    a.state = 'running'
    trainLab.runs = [a]
    await settle()
    a.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.8, testLoss: 1, testAcc: 0.8, seconds: 1 })
    a.state = 'stopped'
    await settle()
    expect(screen.getByTestId('recovery-banner').textContent).toContain('My network')
  })

  it('stays gone when the host no longer has the same autosave', async () => {
    const answers: { 'project:recovery': Result<RecoveryInfo | null> } = { 'project:recovery': { ok: true, value: crashed } }
    files.connect(new FakeApi(answers), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    const a = new Run('a', 1, settings, 'net', 'classifier')
    a.state = 'running'
    trainLab.runs = [a]
    await settle()
    answers['project:recovery'] = { ok: true, value: null }
    a.state = 'stopped'
    await settle()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()
  })
})
