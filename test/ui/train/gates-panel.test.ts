/** The LSTM gates panel names each heatmap once: "forget gate f", not "f forget gate f". */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import GatesPanel from '../../../src-renderer/components/train/GatesPanel.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

afterEach(() => i18n.set('en'))

describe('the gates panel', () => {
  it('captions each gate with its name and letter once, in both languages', async () => {
    const gates = ['f', 'i', 'o', 'g', 'c', 'h'].map((name) => ({ name, t: 3, h: 4, data: new Float32Array(12) }))
    i18n.set('ko')
    render(GatesPanel, { gates })
    const captions = (): string[] => [...screen.getByTestId('gates').querySelectorAll('figcaption')].map((c) => c.textContent!.trim())
    expect(captions()).toEqual(['망각 게이트 f', '입력 게이트 i', '출력 게이트 o', '후보 기억 g', '기억 셀 c', '은닉 상태 h'])
    i18n.set('en')
    await Promise.resolve()
    expect(captions()[0]).toBe('forget gate f')
  })
})
