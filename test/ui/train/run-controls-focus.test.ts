/**
 * Keyboard focus on the training buttons: a press that disables or swaps the pressed button hands the focus to
 * the control that took its place (Start → Pause → Resume → Pause, Step stays, Stop → Start), never to <body>.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, screen } from '@testing-library/svelte'
import { nextControl } from '../../../src-renderer/components/train/TrainControls.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { renderControls, resetControls, settle } from './controls'

/** Presses the focused button as Enter would (the click lands on the button that has the focus). */
const press = async (): Promise<void> => {
  await fireEvent.click(document.activeElement as HTMLElement)
  await settle()
}

const focusedId = (): string | null => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName ?? null

afterEach(resetControls)

describe('focus on the run controls', () => {
  it('follows each press to the control that took its place, through a whole run', async () => {
    const fake = await renderControls()

    screen.getByTestId('train-start').focus()
    await press()
    expect(trainLab.current?.state).toBe('running')
    expect(focusedId()).toBe('train-pause')

    await press()
    expect(trainLab.current?.state).toBe('paused')
    expect(focusedId()).toBe('train-resume')

    screen.getByTestId('train-step').focus()
    await press()
    expect(fake.channels()).toContain('train:step')
    expect(focusedId()).toBe('train-step')

    screen.getByTestId('train-resume').focus()
    await press()
    expect(focusedId()).toBe('train-pause')

    screen.getByTestId('train-stop').focus()
    await press()
    expect(trainLab.current?.state).toBe('stopped')
    expect(focusedId()).toBe('train-start')
  })

  it('gives Start the focus when the run ends by itself under it, and leaves a focus that moved elsewhere', async () => {
    const fake = await renderControls()
    screen.getByTestId('train-start').focus()
    await press()
    expect(focusedId()).toBe('train-pause')
    fake.emit({ type: 'state', runId: trainLab.current!.id, state: 'done' })
    await settle()
    expect(focusedId()).toBe('train-start')

    // a learner who moved on to the form keeps the focus there when the next run ends
    await press()
    expect(focusedId()).toBe('train-pause')
    const lr = screen.getByTestId('train-lr')
    lr.focus()
    fake.emit({ type: 'state', runId: trainLab.current!.id, state: 'done' })
    await settle()
    expect(document.activeElement).toBe(lr)
  })

  it('names the next control for each state', () => {
    expect(nextControl('start', 'running')).toBe('pause')
    expect(nextControl('continue', 'running')).toBe('pause')
    expect(nextControl('pause', 'paused')).toBe('resume')
    expect(nextControl('step', 'paused')).toBe('step')
    expect(nextControl('resume', 'running')).toBe('pause')
    expect(nextControl('stop', 'stopped')).toBe('start')
    expect(nextControl('pause', 'failed')).toBe('start')
    expect(nextControl('continue', 'done')).toBe('continue')
  })
})
