/**
 * The numerical-gradient explainer's two error models are straight lines on its log–log axes (truncation ≈ h²,
 * rounding ≈ ε/h) and are drawn as such, leaving the plot at its bottom, clipped. Before, each value below the
 * plot's 10⁻⁹ was laid on the bottom line, so the truncation model ran flat along it for every h below about 3·10⁻⁵:
 * "the truncation error stays at 10⁻⁹", which it does not.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import NumericalGradient from '../../../src-renderer/components/explainers/NumericalGradient.svelte'

const ys = (el: Element | null): number[] =>
  (el?.getAttribute('points') ?? '').trim().split(/\s+/).map((p) => Number(p.split(',')[1]))

describe('numerical-gradient chart', () => {
  afterEach(() => cleanup())

  it('draws the truncation and rounding models as straight lines, clipped to the plot', () => {
    i18n.set('en')
    const { container } = render(NumericalGradient)
    const plot = container.querySelector('[data-testid="ng-plot"]')!
    const trunc = ys(plot.querySelector('polyline.trunc'))
    const round = ys(plot.querySelector('polyline.round'))
    expect(trunc.length).toBeGreaterThan(40)
    // h grows left to right: the truncation error rises (y falls) at every step, the rounding error falls (y rises)
    for (let i = 1; i < trunc.length; i++) expect(trunc[i], `truncation point ${i}`).toBeLessThan(trunc[i - 1])
    for (let i = 1; i < round.length; i++) expect(round[i], `rounding point ${i}`).toBeGreaterThan(round[i - 1])
    // the part below the plot is cut off by the clip path, not drawn over the h axis's labels
    const clip = plot.querySelector('polyline.trunc')!.getAttribute('clip-path')
    expect(clip).toMatch(/^url\(#.+\)$/)
    expect(plot.querySelector(`clipPath${clip!.slice(4, -1)}`)).not.toBeNull()
  })
})
