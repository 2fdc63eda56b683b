/**
 * Average pooling on values a learner types: the outputs are written like every other explainer number (a real
 * minus sign, two decimals rounded half away from zero), −2.375 as “−2.38”, not “-2.37”.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import PoolingExplainer from '../../../src-renderer/components/explainers/PoolingExplainer.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => cleanup())

describe('the pooling explainer', () => {
  it('writes an average of typed values with a real minus sign', async () => {
    render(PoolingExplainer)
    await fireEvent.click(screen.getByTestId('pool-avg'))
    const first = screen.getByTestId('explainer-pooling').querySelector<HTMLInputElement>('input[data-cell]')!
    // the course's first window is 1, 2 / 0, 1: with −12.5 in place of the 1, the average is −2.375
    await fireEvent.change(first, { target: { value: '-12.5' } })
    await flush()
    expect(screen.getAllByTestId('pool-out')[0].textContent).toBe('−2.38')
    // and the cell typed into says it as the grids do
    expect(first.value).toBe('−12.5')
  })
})
