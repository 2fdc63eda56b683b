/**
 * The recovery banner after a reload: (1) a run that FINISHED and was taken back from the host (attach-run.ts, the host
 * still holding its model) wrote this session's autosave, which the host does not name (projects.ts recovery; before,
 * the page compared the autosave's run with its own, files.takenBack), so the offer is the host's answer whatever runs
 * the page lists, whichever answer comes first: none for the run taken back, an earlier session's still shown; (2) a
 * preset's network is named by the preset's title in the page's language, not the engine's English spec name
 * ("Two-layer net" in a Korean sentence). The old banner wrote 'Two-layer net의 에폭 3 이후…'.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { RecoveryInfo, Result } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { files } from '../../../src-renderer/lib/files.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }
const autosave: RecoveryInfo = { savedAt: '2026-11-27T07:11:26Z', epoch: 3, specName: 'My network', runs: 2 }
const settle = async (): Promise<void> => {
  for (let k = 0; k < 4; k++) { await Promise.resolve(); flushSync() }
}
/** A run as attach-run.ts lists one it took back: ended, with the epochs the host tracked. */
function ended(id: string, epochs: number): Run {
  const r = new Run(id, 1, settings, 'My network', 'classifier')
  for (let e = 1; e <= epochs; e++) r.addEpoch({ epoch: e, trainLoss: 1, trainAcc: 0.8, testLoss: 1, testAcc: 0.8, seconds: 1 })
  r.state = 'done'
  return r
}
const offered = (info: RecoveryInfo | null): { 'project:recovery': Result<RecoveryInfo | null> } => ({ 'project:recovery': { ok: true, value: info } })

afterEach(() => {
  cleanup()
  files.recovery = null
  trainLab.runs = []
  trainLab.currentId = null
  i18n.lang = 'en'
})

describe('the recovery offer and the runs taken back after a reload', () => {
  it('offers nothing for the finished run taken back, whichever answer comes first', async () => {
    files.connect(new FakeApi(offered(null)), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    trainLab.runs = [ended('run-a', 1), ended('run-b', 3)]
    await settle()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()
    cleanup()
    trainLab.runs = [ended('run-b', 3)]
    await files.checkRecovery()
    render(RecoveryBanner)
    await settle()
    expect(screen.queryByTestId('recovery-banner')).toBeNull()
  })

  it("offers an earlier session's autosave the host names, whatever runs the page took back, whichever answer comes first", async () => {
    files.connect(new FakeApi(offered(autosave)), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    trainLab.runs = [ended('run-b', 3)]
    await settle()
    expect(screen.getByTestId('recovery-banner')).toBeTruthy()
    cleanup()
    trainLab.runs = [ended('run-b', 2)]
    await files.checkRecovery()
    render(RecoveryBanner)
    await settle()
    expect(screen.getByTestId('recovery-banner').textContent).toContain('My network after epoch 3')
  })

  it("names a preset's network by its title in the page's language, the learner's own name as it is", async () => {
    i18n.lang = 'ko'
    files.connect(new FakeApi(offered({ ...autosave, specName: 'Two-layer net' })), false)
    await files.checkRecovery()
    render(RecoveryBanner)
    const text = (): string => screen.getByTestId('recovery-banner').textContent ?? ''
    expect(text()).toContain('2층 신경망의 에폭 3 이후')
    expect(text()).not.toContain('Two-layer net')
    expect(text()).not.toContain('784')
    i18n.lang = 'en'
    flushSync()
    expect(text()).toContain('An autosave of Two-layer network after epoch 3')
    files.recovery = { ...autosave, specName: 'SimpleConvNet' }
    i18n.lang = 'ko'
    flushSync()
    expect(text()).toContain('간단한 합성곱 신경망 (책)\u2060의 에폭 3')
    files.recovery = { ...autosave, specName: '내 숫자 분류기' }
    flushSync()
    expect(text()).toContain('내 숫자 분류기의 에폭 3')
  })
})
