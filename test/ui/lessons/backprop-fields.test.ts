/**
 * The shopping graph and logistic regression name an empty or non-numeric field beside it (en, ko) and
 * keep their last good result instead of reading the field as 0.
 */
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import BackpropGraph from '../../../src-renderer/components/explainers/BackpropGraph.svelte'
import { flush } from '../train/fake-lab'

async function type(testid: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } })
  await flush()
}

describe('the backprop graph’s fields', () => {
  it('keeps the last good price while the apple count is empty, and says so beside the field', async () => {
    i18n.set('en')
    const { unmount } = render(BackpropGraph)
    const says = screen.getByTestId('bp-explain')
    // the course's numbers: (100·2 + 150·3)·1.1 = 715
    expect(says.textContent).toContain('715')
    await type('bp-appleCount', '3')
    expect(says.textContent).toContain('825')
    await type('bp-appleCount', '')
    expect(says.textContent).toContain('825')
    expect(screen.getByTestId('bp-appleCount').getAttribute('aria-invalid')).toBe('true')
    const problem = screen.getAllByTestId('bp-field-problem')
    expect(problem.map((p) => p.textContent)).toEqual(['Enter a number. Until then: 3'])
    // the message sits in the field's own label, beside the input
    expect(problem[0].closest('label')?.contains(screen.getByTestId('bp-appleCount'))).toBe(true)
    await type('bp-appleCount', '0')
    expect(says.textContent).toContain('495')
    expect(screen.queryByTestId('bp-field-problem')).toBeNull()
    unmount()
  })

  it('keeps the last good logistic regression result while a weight is empty (in Korean too)', async () => {
    i18n.set('ko')
    const { unmount } = render(BackpropGraph)
    const result = screen.getByTestId('lr-result')
    const before = result.textContent
    await type('lr-w1', '')
    expect(result.textContent).toBe(before)
    expect(screen.getByTestId('lr-field-problem').textContent).toBe('숫자를 넣으세요. 고칠 때까지 쓰는 값: 0.4')
    await type('lr-w1', '1')
    expect(result.textContent).not.toBe(before)
    expect(screen.queryByTestId('lr-field-problem')).toBeNull()
    unmount()
    i18n.set('en')
  })
})
