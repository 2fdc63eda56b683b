/**
 * A run out of engine memory (train-failed, params case 'memory' from the engine: train/errors.ts memoryFacts) is
 * worded in the page's language with both sizes and what to make smaller, instead of the memory's raw English.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import type { LabError } from '../../src-main/ipc/contract'
import type { TrainSettings } from '../../src-engine/protocol'
import { refusal } from '../../src-renderer/lib/lab-errors'
import { i18n, tr } from '../../src-renderer/i18n/index.svelte'
import DivergenceBanner from '../../src-renderer/components/train/DivergenceBanner.svelte'
import { Run } from '../../src-renderer/lib/train.svelte'

afterEach(() => i18n.set('en'))

const detail = 'engine memory: out of memory (needs 1194814784 bytes, limit 1140850688)'
const oom: LabError = { code: 'train-failed', message: detail, params: { detail, stage: 'training', case: 'memory', needs: 1140, limit: 1088 } }

describe('a run out of engine memory', () => {
  it('says so with the sizes in MB and what to change, in English and in Korean', () => {
    expect(tr(refusal(oom))).toBe('The run ran out of engine memory: it needed 1,140 MB, and the engine can hold 1,088 MB. ' +
      'Make the run smaller and press Start again: a smaller mini-batch size, fewer filters or hidden units, or “Threads” set to 1.')
    i18n.set('ko')
    expect(tr(refusal(oom))).toBe('엔진 메모리가 모자랐습니다. 1,140 MB가 필요했는데 엔진은 1,088 MB까지만 쓸 수 있습니다. ' +
      '미니배치 크기를 줄이거나, 필터 수나 은닉 크기를 줄이거나, “스레드”를 1로 바꿔 학습을 작게 만든 뒤 다시 시작하세요.')
    expect(tr(refusal(oom))).not.toContain('bytes')
  })

  it('falls back to the engine\'s English when a size is missing (an older engine)', () => {
    const { needs: _, ...partial } = oom.params as Record<string, string | number>
    expect(tr(refusal({ ...oom, params: partial }))).toBe(detail)
  })

  it('is the banner\'s sentence under the failed run, before its first batch and after some', () => {
    const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 2 }
    for (const batches of [0, 3]) {
      const r = new Run(`oom${batches}`, 1, settings, 'net', 'classifier')
      if (batches > 0) r.addPoints([1, 2, 3].map((batch) => ({ epoch: 1, batch, batches: 80, loss: 2, examplesPerSec: 800 })))
      r.failure = refusal({ ...oom, params: { ...oom.params, stage: batches > 0 ? 'training' : 'setup' } })
      r.state = 'failed'
      const { unmount } = render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
      const text = screen.getByTestId('train-diverged').textContent ?? ''
      expect(text).toContain('it needed 1,140 MB, and the engine can hold 1,088 MB')
      expect(text).not.toContain('bytes')
      unmount()
    }
  })

  it('in Korean, does not say that training stopped under the title that says it never started', () => {
    i18n.set('ko')
    const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 2 }
    const r = new Run('oom-ko', 1, settings, 'net', 'classifier')
    r.failure = refusal({ ...oom, params: { ...oom.params, stage: 'setup' } })
    r.state = 'failed'
    render(DivergenceBanner, { run: r, busy: false, onrestart: () => {} })
    const text = screen.getByTestId('train-diverged').textContent ?? ''
    expect(text).toContain('학습이 시작되지 않았습니다')
    expect(text).toContain('1,140 MB가 필요했는데')
    expect(text).not.toContain('멈췄습니다')
  })
})
