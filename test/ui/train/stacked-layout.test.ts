/**
 * Q6's F7: below 820 px (a 1024-px laptop at 150 %) the form stacks above the dashboard, and the progress card sat 829 px
 * under Start: a press changed nothing in view, a failure was two screens down. There the run's state, its failure and
 * the page's refusals come right under the run buttons; in two columns they stay at the head of the dashboard.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, msg } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, flush } from './fake-lab'

/** A window whose width the test sets: matchMedia('(max-width: 820px)') as the browser answers it. */
function fakeWidth(width: number): { set: (w: number) => void } {
  const listeners = new Set<() => void>()
  const query = {
    get matches() { return width <= 820 },
    addEventListener: (_: string, f: () => void) => listeners.add(f),
    removeEventListener: (_: string, f: () => void) => listeners.delete(f)
  }
  globalThis.matchMedia = ((q: string) => {
    expect(q).toBe('(max-width: 820px)')
    return query
  }) as never
  return { set: (w) => { width = w; for (const f of listeners) f() } }
}

describe('the training page in one column', () => {
  const fake = new FakeLab()
  setLab(fake)
  i18n.set('en')
  afterAll(() => {
    setLab(null)
    delete (globalThis as { matchMedia?: unknown }).matchMedia
  })

  it('puts the run\'s state and a refusal under the run buttons, and back at the dashboard\'s head in two columns', async () => {
    const win = fakeWidth(683)
    render(TrainPage)
    await flush()
    flushSync()
    const side = screen.getByTestId('train-side')
    const card = screen.getByTestId('progress-card')
    const start = screen.getByTestId('train-step')
    expect(side.contains(card)).toBe(true)
    // after the buttons (the last is "One mini-batch"), before the form's heading
    expect(start.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(card.compareDocumentPosition(screen.getByRole('heading', { level: 2 })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(card.className).toContain('inset')
    trainLab.error = msg('train.cpuSwitchFailed')
    flushSync()
    expect(side.contains(screen.getByTestId('train-error'))).toBe(true)

    win.set(1024)
    flushSync()
    const wide = screen.getByTestId('progress-card')
    expect(side.contains(wide)).toBe(false)
    expect(wide.className).toContain('card')
    expect(side.contains(screen.getByTestId('train-error'))).toBe(false)
    trainLab.error = null
  })
})
