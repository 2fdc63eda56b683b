/**
 * The shopping graph's edge labels stay short whatever the prices: from 10,000 on in powers of ten with three figures.
 * An apple price of −123456789.5 wrote "−123456789.5" over the input's name and "−246913584" across the × node beside
 * it (seen at 1024 × 680); the sentence under the graph keeps the full numbers.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import BackpropGraph from '../../../src-renderer/components/explainers/BackpropGraph.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => cleanup())

const labels = (): string[] => [...screen.getByTestId('bp-graph').querySelectorAll('text.fwd, text.grad')].map((t) => t.textContent ?? '')

describe("the backprop graph's edge labels", () => {
  it('write a big value in powers of ten, at most nine characters, and keep small ones as they are', async () => {
    i18n.set('en')
    render(BackpropGraph)
    for (let i = 0; i < 4; i++) await fireEvent.click(screen.getByTestId('bp-step'))
    // the course's numbers: (100·2 + 150·3)·1.1 = 715
    expect(labels()).toContain('715')
    expect(labels()).toContain('650')
    for (const apple of ['-123456789.5', '-1e30']) {
      await fireEvent.input(screen.getByTestId('bp-apple'), { target: { value: apple } })
      await flush()
      for (const l of labels()) expect(l.length, l).toBeLessThanOrEqual(9)
    }
    // −1e30 · 2 apples, in float32
    expect(labels()).toContain('−2×10³⁰')
    await fireEvent.input(screen.getByTestId('bp-apple'), { target: { value: '-123456789.5' } })
    await flush()
    expect(labels()).toContain('−1.23×10⁸')
    expect(labels()).toContain('−2.47×10⁸')
  })
})
