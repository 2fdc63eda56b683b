/**
 * The gradient-check table's value columns hold the two gradients of the element where they disagree most
 * (en "Numerical (worst)"), not a difference: the Korean headers said "(최대 차이)", "largest difference".
 */
import { afterAll, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import GradCheck from '../../../src-renderer/components/explainers/GradCheck.svelte'
import { CHECK_EXAMPLES } from '../../../src-renderer/lib/lessons/gradcheck'
import { explainGradients } from '../../../src-engine/train/gradcheck-run'
import { FakeLab } from '../train/fake-lab'
import { sci } from '../../../src-renderer/lib/lessons/format'

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('the gradient-check table in Korean', () => {
  const fake = new FakeLab()
  setLab(fake)
  afterAll(() => {
    setLab(null)
    i18n.set('en')
  })

  it('heads the two value columns as the worst element\'s gradients, not as a difference', async () => {
    i18n.set('ko')
    fake.handlers['model:gradcheck'] = () => ({ ok: true, value: { ...explainGradients(CHECK_EXAMPLES.cnn, 1, {}), ms: 1 } })
    render(GradCheck)
    await tick()
    const heads = [...screen.getByTestId('gc-table').querySelectorAll('th')].map((th) => th.textContent)
    expect(heads.slice(2, 4)).toEqual(['수치 미분 (가장 어긋난 원소)', '오차역전파 (가장 어긋난 원소)'])
    // the first row's two values are gradients of one element: the relative error is worked from them
    const row = screen.getAllByTestId('gc-row')[0].querySelectorAll('td')
    expect(row.length).toBe(7)
    // Q2's G9: beside them, that element's own relative error, then the whole array's (the verdict's), each headed so
    expect(heads.slice(4, 6)).toEqual(['상대 오차 (가장 어긋난 원소)', '상대 오차 (배열 전체)'])
    const rows = (explainGradients(CHECK_EXAMPLES.cnn, 1, {}) as { rows: { numeric: number; analytic: number; relError: number }[] }).rows
    const { numeric: a, analytic: b, relError } = rows[0]
    expect(row[4].textContent).toBe(sci(Math.abs(a - b) / (Math.abs(a) + Math.abs(b))))
    expect(row[5].textContent).toBe(sci(relError))
  })
})
