/**
 * The self-attention sentence a learner types: nothing but spaces or punctuation says there is no word (en, ko)
 * instead of leaving the explainer blank, and words past the eighth are named as left out, not dropped unsaid.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import SelfAttention from '../../../src-renderer/components/explainers/SelfAttention.svelte'
import { flush } from '../train/fake-lab'

async function type(value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('att-input'), { target: { value } })
  await flush()
}

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the self-attention sentence', () => {
  it('says there is no word to attend to when only spaces or punctuation are left (ko, en)', async () => {
    i18n.set('ko')
    render(SelfAttention)
    expect(screen.queryByTestId('att-problem')).toBeNull()
    await type('  !!! ... ')
    expect(screen.getByTestId('att-problem').textContent).toBe('주의를 기울일 단어가 없습니다. 단어를 하나 이상 입력하세요. 단어는 띄어쓰기로 나누고, 문장 부호는 세지 않습니다.')
    expect(screen.queryByTestId('att-row')).toBeNull()
    i18n.set('en')
    await flush()
    expect(screen.getByTestId('att-problem').textContent).toContain('No words to attend to')
    await type('hello')
    expect(screen.queryByTestId('att-problem')).toBeNull()
    expect(screen.getByTestId('att-row').textContent).toContain('hello')
  })

  it('names the words past the eighth that it leaves out', async () => {
    i18n.set('ko')
    render(SelfAttention)
    await type('하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 열')
    expect(screen.getByTestId('att-problem').textContent).toBe('입력한 단어 10개 중 앞의 8개만 씁니다. 빠진 단어: 아홉 열')
    await type('하나 둘 셋 넷 다섯 여섯 일곱 여덟')
    expect(screen.queryByTestId('att-problem')).toBeNull()
  })
})
