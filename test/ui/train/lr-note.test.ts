/** The note under the learning rate after "Apply now" speaks of the run whose rate changed, not of the next run. */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, screen } from '@testing-library/svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { renderControls, resetControls, settle } from './controls'

afterEach(resetControls)

describe('the live learning-rate note', () => {
  it('says the applied rate during that run and goes back to the plain hint when the next run starts', async () => {
    i18n.set('ko')
    await renderControls()
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '0.0005' } })
    await fireEvent.click(screen.getByTestId('train-apply-lr'))
    await settle()
    expect(screen.getByTestId('train-lr-note').textContent).toBe('학습률이 이제 0.0005입니다.')

    await fireEvent.click(screen.getByTestId('train-stop'))
    await settle()
    expect(screen.queryByTestId('train-lr-note')).toBeNull()
    // a second run at another rate, as when comparing two optimizers: the old run's rate is not its rate
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '0.1' } })
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    expect(trainLab.current?.lr).toBe(0.1)
    expect(screen.getByTestId('train-lr-note').textContent).toBe('학습 중인 모델은 다음 미니배치부터 새 학습률을 씁니다.')
  })
})
