/**
 * The run list keeps the last MAX_RUNS runs and says so (Q3's F9): its help names the limit, and a full list names the
 * run the next Start removes (the oldest, the same one launch then drops); removing a run (×) makes room, so an older
 * run the learner wants stays. Before, the list said nothing and the 7th run silently took #1 away: these fail there
 * (no runs-full line, no limit in the help, no nextDropped).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { catalogues, i18n } from '../../../src-renderer/i18n/index.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { MAX_RUNS, nextDropped, trainLab } from '../../../src-renderer/lib/train.svelte'
import RunLegend from '../../../src-renderer/components/train/RunLegend.svelte'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: 2 }

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the run list’s limit', () => {
  it('names the limit, names the run the next Start removes, and launch removes that one (en, ko)', async () => {
    expect(MAX_RUNS).toBe(6)
    const fake = new FakeLab()
    setLab(fake)
    const off = trainLab.connect(fake)
    await flush()
    try {
      // five runs, each a different learning rate so their names differ
      for (let i = 1; i <= 5; i++) await trainLab.start(SIMPLE_CONVNET, { ...settings, lr: i / 1000 })
      render(RunLegend)
      expect(screen.queryByTestId('runs-full')).toBeNull()
      expect(screen.getByTestId('run-legend').textContent).toContain('keeps the last 6 runs')
      await trainLab.start(SIMPLE_CONVNET, { ...settings, lr: 0.006 })
      flushSync()
      const first = trainLab.runs[0]
      expect(nextDropped(trainLab.runs)).toBe(first)
      expect(screen.getByTestId('runs-full').textContent).toBe('The list is full (6 runs): the next Start removes #1 Adam · lr 0.001 · mini-batch 100.')

      // removing a newer run makes room: #1 stays through the next Start
      const rows = within(screen.getByTestId('run-legend')).getAllByRole('listitem')
      await fireEvent.click(within(rows[2]).getByRole('button', { name: 'Remove' }))
      expect(screen.queryByTestId('runs-full')).toBeNull()
      await trainLab.start(SIMPLE_CONVNET, { ...settings, lr: 0.007 })
      expect(trainLab.runs.map((r) => r.index)).toEqual([1, 2, 4, 5, 6, 7])
      // full again: the one named is the one the next Start drops
      flushSync()
      expect(screen.getByTestId('runs-full').textContent).toContain('#1 ')
      await trainLab.start(SIMPLE_CONVNET, { ...settings, lr: 0.008 })
      expect(trainLab.runs.map((r) => r.index)).toEqual([2, 4, 5, 6, 7, 8])
      flushSync()
      expect(screen.getByTestId('runs-full').textContent).toContain('#2 ')

      i18n.set('ko')
      flushSync()
      const ko = catalogues.ko
      expect(screen.getByTestId('runs-full').textContent).toMatch(/^학습 기록이 가득 찼습니다\(6개\)\. 다음에 시작하면 #2 .* 기록이 지워집니다\.$/)
      expect(screen.getByTestId('run-legend').textContent).toContain(ko['train.runsKept'].replace('{max}', '6'))
    } finally {
      off()
      setLab(null)
    }
  })
})
