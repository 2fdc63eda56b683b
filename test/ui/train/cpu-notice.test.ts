/** The host's `cpu` event: a running run that other programs leave no core is marked, and the page says why it stands still. */
import { afterAll, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { TrainLab, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 42, threads: 1 }

describe('a run starved of CPU', () => {
  it('is marked while running and starved, and unmarked when it trains again or stops', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    await lab.start(SIMPLE_CONVNET, settings)
    const run = lab.runs[0]
    fake.emit({ type: 'state', runId: run.id, state: 'running' })
    fake.emit({ type: 'cpu', runId: run.id, starved: true })
    expect(run.starved).toBe(true)
    fake.emit({ type: 'cpu', runId: run.id, starved: false })
    expect(run.starved).toBe(false)
    fake.emit({ type: 'cpu', runId: run.id, starved: true })
    fake.emit({ type: 'state', runId: run.id, state: 'stopped' })
    expect(run.starved).toBe(false)
    // a late report for a run that no longer runs marks nothing
    fake.emit({ type: 'cpu', runId: run.id, starved: true })
    expect(run.starved).toBe(false)
  })

  describe('on the training page', () => {
    const fake = new FakeLab()
    afterAll(() => {
      setLab(null)
      i18n.set('en')
    })

    it('says, in the page\'s language, that other programs use every core and training resumes by itself', async () => {
      document.body.innerHTML = ''
      setLab(fake)
      i18n.set('en')
      render(TrainPage)
      await flush()
      await trainLab.start(SIMPLE_CONVNET, settings)
      const runId = trainLab.runs[trainLab.runs.length - 1].id
      fake.emit({ type: 'state', runId, state: 'running' })
      await flush()
      expect(screen.queryByTestId('train-cpu-starved')).toBeNull()
      fake.emit({ type: 'cpu', runId, starved: true })
      await flush()
      expect(screen.getByTestId('train-cpu-starved').textContent).toContain('other programs are using every processor core')
      i18n.set('ko')
      await flush()
      expect(screen.getByTestId('train-cpu-starved').textContent).toContain('다른 프로그램들이 모든 프로세서 코어를 쓰고 있고')
      // the time left is not estimated from the speed it had before it stood still
      expect(screen.getByTestId('progress-time').textContent?.trim()).toBe('빈 코어를 기다리는 중')
      fake.emit({ type: 'cpu', runId, starved: false })
      await flush()
      expect(screen.queryByTestId('train-cpu-starved')).toBeNull()
      expect(screen.getByTestId('progress-time').textContent?.trim()).not.toBe('빈 코어를 기다리는 중')
    })
  })
})
