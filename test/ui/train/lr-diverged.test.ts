/**
 * A rate raised live stays in the form: after it made the run diverge, Start would train at it again and diverge
 * again. Beside the field the form says at which rate and epoch the run diverged, and offers the engine's suggestion.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, screen } from '@testing-library/svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { renderControls, resetControls, settle } from './controls'

afterEach(resetControls)

describe('the learning rate after a divergence', () => {
  it('says the rate in the form diverged, offers the suggested one, and says nothing once it is lower', async () => {
    const fake = await renderControls()
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    const run = trainLab.current!
    run.addPoints([{ epoch: 1, batch: 10, batches: 600, loss: 0.5, examplesPerSec: 1000 }])
    // raised live to 8, which blows the loss up in epoch 2
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '8' } })
    await fireEvent.click(screen.getByTestId('train-apply-lr'))
    await settle()
    fake.emit({ type: 'error', runId: run.id, code: 'diverged', message: 'loss is NaN',
      divergence: { reason: 'not-finite', loss: 'NaN', epoch: 2, batch: 14, optimizer: 'Adam', lr: 8, suggestedLr: 0.001, kept: { from: 'run', epoch: 2, batch: 13, loss: 0.4 } } })
    await settle()
    expect(trainLab.form.lr).toBe(8)
    const note = screen.getByTestId('train-lr-diverged')
    expect(note.textContent).toBe('Run #1 diverged at epoch 2 with a learning rate of 8: a new run at a rate this high is likely to diverge too.')
    expect(screen.getByTestId('train-lr').getAttribute('aria-describedby')).toBe(note.id)
    i18n.set('ko')
    await settle()
    expect(note.textContent).toBe('#1 학습은 학습률 8에서 에폭 2에 발산했습니다. 이만큼 높은 학습률로 다시 시작하면 또 발산하기 쉽습니다.')
    expect(screen.getByTestId('train-lr-suggested').textContent).toBe('학습률 0.001 적용')
    await fireEvent.click(screen.getByTestId('train-lr-suggested'))
    await settle()
    expect(trainLab.form.lr).toBe(0.001)
    expect(screen.queryByTestId('train-lr-diverged')).toBeNull()
    expect(screen.getByTestId('train-lr').getAttribute('aria-describedby')).toBeNull()
    // typed back up to the rate that diverged: said again
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '10' } })
    await settle()
    expect(screen.getByTestId('train-lr-diverged')).not.toBeNull()
  })
})
