/**
 * The draw page says the model's answer to a screen reader once per drawing change: when a stroke ends (here the
 * keyboard pen lifted; a pointer lifting ends a stroke the same way) or one is undone, after the answer to the whole
 * drawing is in, in a polite status region that is on the page before it speaks, not with every move of the pen
 * (en, ko). Before, the answer changed on the page in silence.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { Channel, LabApi, LabEvent, Result } from '../../../src-main/ipc/contract'
import { fakeCanvas, resetDrawPage, settle } from './helpers'

/** A host whose model answers 7 with the confidence `sure` holds when asked. */
class FakeModel implements LabApi {
  asked = 0
  sure = 0.931
  async request(channel: Channel): Promise<Result<never>> {
    if (channel !== 'model:predict') return { ok: false, error: { code: 'unexpected', message: channel } } as Result<never>
    this.asked++
    const probs = Array.from({ length: 10 }, (_, i) => (i === 7 ? this.sure : (1 - this.sure) / 9))
    return { ok: true, value: { probs, logits: probs, top: 7, ms: 1, engineMs: 0.5 } } as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
}

afterEach(resetDrawPage)

describe('the draw page says its answer', () => {
  it('once a stroke ends and its answer is in, not while drawing; again for the next stroke; en and ko', async () => {
    fakeCanvas()
    const api = new FakeModel()
    setLab(api)
    project.spec = { input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
    project.trained = true
    render(DrawPage)
    const said = screen.getByTestId('draw-spoken')
    expect(said.getAttribute('role')).toBe('status')
    expect(said.textContent).toBe('')

    const pad = screen.getByRole('application')
    pad.focus()
    await fireEvent.keyDown(pad, { key: ' ' }) // pen down: a dot
    await settle()
    await fireEvent.keyDown(pad, { key: 'ArrowDown' })
    await settle()
    await fireEvent.keyDown(pad, { key: 'ArrowDown' })
    await settle()
    // answered on the page as the pen moves, but nothing said yet
    expect(api.asked).toBeGreaterThanOrEqual(2)
    expect(screen.getByTestId('prediction').getAttribute('data-value')).toBe('7')
    expect(said.textContent).toBe('')
    await fireEvent.keyDown(pad, { key: ' ' }) // lifted: the stroke ends
    await settle()
    expect(said.textContent).toBe('The model says 7, 93.1% sure.')

    // the next stroke, with the same answer, is said again (the text changes by a trailing no-break space)
    await fireEvent.keyDown(pad, { key: 'Enter' })
    await fireEvent.keyDown(pad, { key: 'ArrowLeft' })
    await fireEvent.keyDown(pad, { key: 'Escape' })
    await settle()
    expect(said.textContent).toBe('The model says 7, 93.1% sure.\u00a0')

    api.sure = 0.5
    await fireEvent.click(screen.getByTestId('draw-undo'))
    await settle()
    expect(said.textContent).toBe('The model says 7, 50.0% sure.')
    i18n.set('ko')
    flushSync()
    expect(said.textContent).toBe('모델의 답은 7, 확신도는 50.0%입니다.')
    await fireEvent.click(screen.getByTestId('draw-clear'))
    await settle()
    expect(said.textContent).toBe('')
  })
})
