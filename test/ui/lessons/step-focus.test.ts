/**
 * An explainer's step button that its press disables hands the focus on (Q6's F3): at the convolution stepper's last
 * window "Next window" was disabled under the focus, which fell to the page (Chromium: no ring, Enter did nothing,
 * a screen reader said nothing); "Previous" likewise at the first, the backprop graph's "Backward one step" at its
 * 4th press and "Forward pass" at once. The focus now goes to the other button, and the stepper's line is a status.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import ConvStepper from '../../../src-renderer/components/explainers/ConvStepper.svelte'
import BackpropGraph from '../../../src-renderer/components/explainers/BackpropGraph.svelte'
import { flush } from '../train/fake-lab'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

async function press(el: HTMLElement): Promise<void> {
  el.focus()
  await fireEvent.click(el)
  await flush()
}

describe('a step button disabled by its own press', () => {
  it('gives the focus to the other button in the convolution stepper, whose step line is a status', async () => {
    render(ConvStepper)
    const next = screen.getByTestId('conv-next') as HTMLButtonElement
    const prev = screen.getByTestId('conv-prev') as HTMLButtonElement
    // 4×4 input, 3×3 filter: four windows
    for (let i = 0; i < 3; i++) await press(next)
    expect(next.disabled).toBe(true)
    expect(document.activeElement).toBe(prev)
    expect(screen.getByTestId('conv-step').getAttribute('role')).toBe('status')
    expect(screen.getByTestId('conv-step').textContent).toBe('Window 4 of 4: output row 2, column 2')
    // a press that does not reach the end keeps the focus where it is
    await press(prev)
    expect(document.activeElement).toBe(prev)
    await press(prev)
    await press(prev)
    expect(prev.disabled).toBe(true)
    expect(document.activeElement).toBe(next)
  })

  it('gives the focus to the other button in the backprop graph', async () => {
    render(BackpropGraph)
    const step = screen.getByTestId('bp-step') as HTMLButtonElement
    const forward = screen.getByTestId('bp-forward') as HTMLButtonElement
    for (let i = 0; i < 3; i++) await press(step)
    expect(document.activeElement).toBe(step)
    await press(step)
    expect(step.disabled).toBe(true)
    expect(document.activeElement).toBe(forward)
    await press(forward)
    expect(forward.disabled).toBe(true)
    expect(document.activeElement).toBe(step)
  })
})
