/**
 * Training the page could lose without a word (Q4's B3, B6):
 * - the host's 'autosave' event (an autosave that could not be written) is shown where the recovery offer lives, in
 *   en and ko: a crash now loses the training, save the project, and why (the data folder, BACKPROP_LAB_DATA_DIR);
 *   it goes when an autosave is written again. The old page had no such event (lab.ts refused it as a bad frame) and
 *   no line: this fails there.
 * - Starts that fail before their first mini-batch do not push a trained run out of the six-run list: the old list
 *   dropped #1 (the only trained run) at the sixth failed Start.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { nextDropped, trainLab } from '../../../src-renderer/lib/train.svelte'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { FakeLab, SIMPLE_CONVNET, connected, flush } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 42, threads: 2 }

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('an autosave that could not be written', () => {
  it('is said where the recovery offer lives, in en and ko, and goes when one is written', async () => {
    const fake = new FakeLab()
    fake.handlers['project:recovery'] = () => ({ ok: true, value: null })
    setLab(fake)
    const off = trainLab.connect(fake)
    await flush()
    try {
      const run = await trainLab.start(SIMPLE_CONVNET, settings)
      const failed = { file: 'recovery.bplab', case: 'data-read-only', folder: '/tmp/ro', detail: "EROFS: read-only file system, open '/tmp/ro/x'" }
      fake.emit({ type: 'autosave', runId: run!.id, failed })
      render(RecoveryBanner)
      flushSync()
      const note = screen.getByTestId('autosave-failed')
      expect(note.getAttribute('role')).toBe('alert')
      expect(note.textContent).toContain('Training is not being autosaved.')
      // the menu's item as this page shows it: the web shell (this test's page) has 'Download project (.bplab)', no 'Save project'
      expect(note.textContent).toContain('If the lab stops now, this training is lost: keep it with Model & project → Download project (.bplab).')
      expect(note.textContent).toContain('recovery.bplab could not be written: the lab’s data folder (/tmp/ro) is read-only.')
      expect(note.textContent).toContain('BACKPROP_LAB_DATA_DIR')
      i18n.set('ko')
      flushSync()
      const ko = screen.getByTestId('autosave-failed').textContent ?? ''
      expect(ko).toContain('학습이 자동 저장되지 않고 있습니다.')
      expect(ko).toContain('지금 실험실이 멈추면 이 학습은 사라집니다. 모델·프로젝트 메뉴의 “프로젝트 내려받기 (.bplab)” 항목으로 저장해 두세요.')
      expect(ko).toContain('실험실의 데이터 폴더(/tmp/ro)\u2060가 읽기 전용이라 recovery.bplab 파일을 쓰지 못했습니다.')
      expect(ko).not.toMatch(/EROFS/)
      // written again: the note goes
      fake.emit({ type: 'autosave', runId: run!.id, failed: null })
      flushSync()
      expect(screen.queryByTestId('autosave-failed')).toBeNull()
      // told again, and dismissed by the learner
      fake.emit({ type: 'autosave', runId: run!.id, failed: { ...failed, case: 'data-no-space' } })
      flushSync()
      expect(screen.getByTestId('autosave-failed').textContent).toContain('공간')
      await fireEvent.click(screen.getByTestId('autosave-failed-ok'))
      expect(screen.queryByTestId('autosave-failed')).toBeNull()
    } finally {
      off()
      setLab(null)
    }
  })
})

describe('Starts that fail before a mini-batch', () => {
  it('never push the trained run out of the list, and stay listed until a later Start needs their place', async () => {
    const { lab, fake } = await connected()
    const trained = (await lab.start(SIMPLE_CONVNET, settings))!
    fake.emit({ type: 'batches', runId: trained.id, points: [{ epoch: 1, batch: 1, batches: 10, loss: 2, examplesPerSec: 100 }] })
    fake.emit({ type: 'state', runId: trained.id, state: 'done' })
    for (let i = 0; i < 6; i++) {
      const run = (await lab.start(SIMPLE_CONVNET, { ...settings, lr: (i + 2) / 1000 }))!
      fake.emit({ type: 'error', runId: run.id, code: 'train-failed', message: 'The training data could not be loaded.', params: { case: 'idx-not-idx', stage: 'data' } })
      fake.emit({ type: 'state', runId: run.id, state: 'failed', message: 'The training data could not be loaded.' })
      // the failure is still there to read
      expect(lab.runs.at(-1)!.failure).not.toBeNull()
    }
    expect(lab.runs).toHaveLength(6)
    expect(lab.runs[0]).toBe(trained)
    expect(lab.runs.map((r) => r.index)).toEqual([1, 3, 4, 5, 6, 7])
    // the full list names a failed run as the next to go, not the trained one
    expect(nextDropped(lab.runs)?.index).toBe(3)
  })
})
