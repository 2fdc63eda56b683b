/**
 * The convolution stepper's bias field takes numbers up to ±1000: past 2^24 float32 (the engine's precision) has no
 * exact whole numbers, and a bias of −123456789 showed "= 7 + b −123456789 = −123456784" to a class.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => i18n.set('en'))

async function bias(value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('conv-bias'), { target: { value } })
  await flush()
}

describe('the convolution stepper\'s bias', () => {
  it('names a bias past ±1000 and computes with the limit, so every sum it shows is exact (ko)', async () => {
    i18n.set('ko')
    render(ConvStepper)
    // the course's first window: 1·2 + 2·0 + 3·1 + 0·0 + 1·1 + 2·2 + 3·1 + 0·0 + 1·2 = 15
    await bias('-123456789')
    expect(screen.getByTestId('conv-field-problem').textContent?.trim()).toBe('편향 b 칸에는 −1000부터 1000까지의 숫자를 넣으세요. 고칠 때까지 계산에 쓰는 값: −1000.')
    expect(screen.getByTestId('conv-bias').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('conv-sum').textContent).toContain('= 15 + b −1000 = −985')
    await bias('-1000')
    expect(screen.queryByTestId('conv-field-problem')).toBeNull()
    expect(screen.getByTestId('conv-sum').textContent).toContain('= 15 + b −1000 = −985')
    await bias('')
    expect(screen.getByTestId('conv-field-problem').textContent?.trim()).toBe('편향 b 칸에는 숫자를 넣으세요. 고칠 때까지 계산에 쓰는 값: 0.')
  })
})
