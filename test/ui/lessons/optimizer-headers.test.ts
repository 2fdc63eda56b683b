/** The optimizer table's headers are written as headers in both languages ("Learning rate", not "learning rate"). */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import OptimizerPaths from '../../../src-renderer/components/explainers/OptimizerPaths.svelte'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the optimizer table', () => {
  it('heads its columns with capitalised labels in English, and the same words in Korean', async () => {
    i18n.set('en')
    render(OptimizerPaths)
    const heads = (): string[] => [...screen.getByTestId('opt-table').querySelectorAll('th')].map((th) => th.textContent ?? '')
    expect(heads().slice(1, 3)).toEqual(['Optimizer', 'Learning rate'])
    // the slider keeps its spoken name, "SGD learning rate"
    expect(screen.getByLabelText('SGD learning rate')).toBeTruthy()
    i18n.set('ko')
    await Promise.resolve()
    expect(heads().slice(1, 3)).toEqual(['최적화 기법', '학습률'])
  })
})
