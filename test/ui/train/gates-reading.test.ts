/**
 * The training page's LSTM gates say what they read and how to read them (Q5 F9): the probe digit picked under
 * "Feature maps", drawn small beside a line naming it (else the run's first held-out example, or the text's first
 * window), time-step ticks under each heatmap (1, the middle, the last), and the colour key on the panel itself
 * (f, i, o: dark 0 closed → yellow 1 open; g, h: blue −1 → red 1; c: ± its largest value, written — Q8's F2). Before, the panel had none of these
 * on the training page. The draw page's own lead line still replaces the reading line.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import GatesPanel from '../../../src-renderer/components/train/GatesPanel.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

afterEach(() => {
  cleanup()
  trainLab.samples = null
  trainLab.probeIndex = null
  i18n.set('en')
})

const gates = ['f', 'g', 'i', 'o', 'c', 'h'].map((name) => ({ name, t: 28, h: 4, data: new Float32Array(28 * 4) }))
const digits = { images: Array.from({ length: 3 }, () => new Array(784).fill(0.5)), labels: [7, 2, 1] }

describe('the gates panel on the training page', () => {
  it('names and shows the probe digit it reads, with time ticks and a colour key (en)', () => {
    trainLab.samples = digits
    trainLab.probeIndex = 1
    render(GatesPanel, { gates })
    const reading = screen.getByTestId('gates-reading')
    expect(reading.textContent).toContain('Reading the probe digit 2 (left), one row of the image per time step: 28 steps')
    // the digit itself, drawn small beside the line
    expect(reading.querySelector('canvas')).not.toBeNull()
    const ticks = screen.getAllByTestId('gates-ticks')
    expect(ticks).toHaveLength(6)
    expect([...ticks[0].querySelectorAll('span')].map((s) => [s.textContent, s.style.left])).toEqual([
      ['1', `${(0.5 / 28) * 100}%`], ['15', `${(14.5 / 28) * 100}%`], ['28', `${(27.5 / 28) * 100}%`]
    ])
    const key = screen.getByTestId('gates-key').textContent!.replace(/\s+/g, ' ')
    expect(key).toContain('f, i, o: 0 closed')
    expect(key).toContain('1 open')
    expect(key).toContain('g, h: −1')
    // c is all 0 here: its scale has nothing to span and runs over ±1, said so
    expect([...screen.getByTestId('gates-key-cell').querySelectorAll('span')].map((s) => s.textContent)).toEqual(['c: −1.00', '', '1.00'])
    // the gate bar runs from viridis's dark end to its yellow end
    const bars = [...screen.getByTestId('gates-key').querySelectorAll<HTMLElement>('.bar')].map((b) => b.style.background)
    expect(bars[0]).toMatch(/^linear-gradient\(to right, rgb\(68, ?1, ?84\) 0%.*rgb\(253, ?231, ?37\) 100%\)$/)
  })

  it('says it reads the first held-out example before a probe is picked, and the text window for a text (ko)', async () => {
    i18n.set('ko')
    trainLab.samples = digits
    render(GatesPanel, { gates })
    expect(screen.getByTestId('gates-reading').textContent).toContain('첫 번째 테스트 예제를 읽고 있습니다')
    expect(screen.getByTestId('gates-reading').querySelector('canvas')).toBeNull()
    cleanup()
    trainLab.samples = { images: [], labels: [] }
    render(GatesPanel, { gates })
    expect(screen.getByTestId('gates-reading').textContent).toContain('테스트 텍스트의 첫 번째 구간을 읽고 있습니다. 시각마다 한 글자씩, 모두 28개 시각입니다.')
    expect(screen.getByTestId('gates-key').textContent).toContain('0 닫힘')
  })

  it('keeps the draw page\'s lead line instead of a reading line', () => {
    trainLab.samples = digits
    trainLab.probeIndex = 0
    render(GatesPanel, { gates, lead: 'Each column is one row of the image.' })
    expect(screen.queryByTestId('gates-reading')).toBeNull()
    expect(screen.getByTestId('gates-lead').textContent).toBe('Each column is one row of the image.')
  })
})
