/**
 * The RNN/LSTM gradient chart stops at 10⁻⁸: when a curve falls below it (an LSTM with its forget gate biased
 * shut falls about 8-fold a step), the explainer says the flat bottom line means "further than shown".
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import RnnVsLstm from '../../../src-renderer/components/explainers/RnnVsLstm.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the RNN/LSTM gradient chart', () => {
  it('says when a curve lies below its 10⁻⁸ floor, and not when none does (ko)', async () => {
    i18n.set('ko')
    render(RnnVsLstm)
    const ranges = screen.getByTestId('explainer-rnn-vs-lstm').querySelectorAll('input[type="range"]')
    await fireEvent.input(ranges[0], { target: { value: '5' } })
    await flush()
    expect(screen.queryByTestId('rnn-below')).toBeNull()
    // the forget gate biased shut (f ≈ 0.12): the LSTM's gradient shrinks about 8-fold a step, below 10⁻⁸ within 20
    await fireEvent.input(ranges[2], { target: { value: '-2' } })
    await fireEvent.input(ranges[0], { target: { value: '20' } })
    await flush()
    expect(screen.getByTestId('rnn-below').textContent).toBe('10⁻⁸보다 작은 노름은 맨 아래 선에 붙여 그렸습니다. 그 선에 납작하게 붙은 곡선은 그래프에 보이는 것보다 더 많이 사라진 것입니다(실제 값은 위의 비를 보세요).')
  })
})
