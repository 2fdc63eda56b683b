/**
 * The optimizer paths at the top of their learning-rate sliders: a run that diverges is said in words (en, ko)
 * and its numbers are written in powers of ten, not as 1.0307550414640226e+48 running past the table.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { diverged, optimizerPath, GOLDEN_LR } from '../../../src-renderer/lib/lessons/optimizer-paths'
import { num } from '../../../src-renderer/lib/lessons/format'
import OptimizerPaths from '../../../src-renderer/components/explainers/OptimizerPaths.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('a diverging optimizer path', () => {
  it('is told apart from a converging one: plain SGD past learning rate 1 climbs out of the valley', () => {
    for (const [name, lr] of Object.entries(GOLDEN_LR)) expect(diverged(optimizerPath(name as 'SGD', lr, 100)), name).toBe(false)
    expect(diverged(optimizerPath('SGD', 1.1, 30))).toBe(true)
    expect(diverged(optimizerPath('SGD', 2, 100))).toBe(true)
  })

  it('writes huge and infinite numbers so a learner can read them', () => {
    expect(num(1.0307550414640226e48, 3)).toBe('1.031×10⁴⁸')
    expect(num(-2168326280187806000)).toBe('−2.17×10¹⁸')
    expect(num(Infinity)).toBe('∞')
    expect(num(123456.789, 2)).toBe('123456.79')
  })

  it('names the diverging runs under the plot, and only those (ko)', async () => {
    i18n.set('ko')
    render(OptimizerPaths)
    expect(screen.queryByTestId('opt-diverged')).toBeNull()
    await fireEvent.input(screen.getByLabelText('SGD 학습률'), { target: { value: '0.3' } })
    await fireEvent.input(screen.getByTestId('opt-steps'), { target: { value: '100' } })
    await flush()
    expect(screen.getByTestId('opt-diverged').textContent).toBe(
      '발산합니다: SGD (2). 한 걸음마다 가파른 y 방향 골짜기의 바닥을 지나쳐 반대편의 더 높은 곳에 떨어지므로, f가 0에 가까워지기는커녕 출발점의 값(6.45)\u2060보다 커집니다. 경로가 자리를 잡을 때까지 학습률을 낮춰 보세요.')
    const sgdRow = within(screen.getByTestId('opt-table')).getByText('SGD').closest('tr')!
    expect(sgdRow.textContent).not.toMatch(/e\+/)
    expect(sgdRow.textContent).toContain('×10')
  })
})
