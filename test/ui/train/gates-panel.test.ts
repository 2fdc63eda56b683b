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
    expect(captions()).toEqual(['망각 게이트 f', '입력 게이트 i', '출력 게이트 o', '후보 값 g', '기억 셀 c', '은닉 상태 h'])
    i18n.set('en')
    await Promise.resolve()
    expect(captions()[0]).toBe('forget gate f')
  })

  // the draw page's line on what the columns are (the drawing's rows) stood above the panel, outside its card
  it('shows a page\'s lead line inside its card, under the title', () => {
    const gates = ['f', 'i', 'o', 'g'].map((name) => ({ name, t: 3, h: 4, data: new Float32Array(12) }))
    render(GatesPanel, { gates, lead: 'Each column is one row of the image.' })
    const card = screen.getByTestId('gates')
    const lead = screen.getByTestId('gates-lead')
    expect(card.contains(lead)).toBe(true)
    expect(lead.textContent).toBe('Each column is one row of the image.')
    expect(lead.previousElementSibling?.tagName).toBe('H3')
  })
})
