/**
 * Start refused for its threads (the host's refuseThreads, path settings.threads) marks the Threads field and says
 * the fix beside it, as the form's own problems are, until the learner changes the box; and the refusals that
 * count MB group the figures as the page's other numbers ("7,638 MB", not "7638 MB"). On the old files the field
 * stayed unmarked (only the banner above the page said it) and the sizes read 7638. An edit of the network judges the
 * count again (spec-lint.ts threadsOver): before, the mark stayed as it was, naming the old count, until the box changed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import CostNote from '../../../src-renderer/components/editor/CostNote.svelte'
import { refusal } from '../../../src-renderer/lib/lab-errors'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { validateSpec } from '../../../src-engine/spec'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { LabError } from '../../../src-main/ipc/contract'
import { renderControls, resetControls, settle } from './controls'
import TrainControls from '../../../src-renderer/components/train/TrainControls.svelte'
import { defaultsFor } from '../../../src-renderer/lib/train.svelte'
import { FakeLab } from './fake-lab'

afterEach(() => {
  resetControls()
  trainLab.threadsRefused = null
  trainLab.error = null
})

/** The host's refusal of 6 threads, as lab-host.ts refuseThreads makes it (code, params and path). */
const REFUSED: LabError = {
  code: 'train-failed',
  message: 'Training did not start: on 6 threads the network needs about 7638 MB (…), more than the 2048 MB limit; set threads to 3 or fewer.',
  params: { case: 'threads', threads: 6, needs: 7638, limit: 2048, fits: 3 },
  path: 'settings.threads'
}

describe('the Threads field when Start is refused for its threads', () => {
  it('is marked and says the fix until the learner changes it (en, ko)', async () => {
    const fake = await renderControls()
    fake.handlers['train:start'] = () => ({ ok: false, error: REFUSED })
    const box = screen.getByTestId('train-threads') as HTMLInputElement
    await fireEvent.input(box, { target: { value: '6' } })
    await settle()
    expect(box.getAttribute('aria-invalid')).not.toBe('true')
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    expect(trainLab.current).toBeNull()
    expect(box.getAttribute('aria-invalid')).toBe('true')
    const ids = (box.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    expect(ids).toHaveLength(1)
    const said = document.getElementById(ids[0])!
    // said in the row right under the box's, across the form's width (under the half-width box it ran to five lines)
    expect(said.closest('.field')).toBe(box.closest('.field')!.nextElementSibling)
    expect(said.closest('.field')!.classList.contains('wide')).toBe(true)
    expect(said.textContent).toBe('Too many for this network’s memory. Set “Threads” to 3 or fewer and press Start again.')
    i18n.set('ko')
    await settle()
    expect(said.textContent).toBe('스레드가 너무 많아 이 신경망을 학습할 메모리가 모자랍니다. “스레드”를 3개 이하로 바꾼 뒤 다시 시작하세요.')
    // the learner takes the fix: the mark goes, and does not come back at the count refused before
    await fireEvent.input(box, { target: { value: '3' } })
    await settle()
    expect(box.getAttribute('aria-invalid')).not.toBe('true')
    expect(box.getAttribute('aria-describedby')).toBeNull()
    await fireEvent.input(box, { target: { value: '6' } })
    await settle()
    expect(box.getAttribute('aria-invalid')).not.toBe('true')
  })

  it('is judged again when the network changes: cleared once the count fits, the count that fits said anew (en, ko)', async () => {
    // a 784 → units → 10 network: 35000 hidden units fit on 3 threads of 6, 27000 on 5, 20000 on all 6 (spec-lint.ts threadsOver)
    const wide = (units: number): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    const fake = new FakeLab()
    trainLab.connect(fake)
    trainLab.runs = []
    await settle()
    trainLab.form = { ...defaultsFor(wide(35000), 2), threads: 6 }
    fake.handlers['train:start'] = () => ({ ok: false, error: { ...REFUSED, params: { case: 'threads', threads: 6, needs: 3140, limit: 2048, fits: 3 } } })
    const { rerender } = render(TrainControls, { spec: wide(35000), onstart: () => void trainLab.start(wide(35000)), oncontinue: () => {} })
    const box = screen.getByTestId('train-threads') as HTMLInputElement
    const said = (): string | null => document.getElementById('train-threads-refused')?.textContent ?? null
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    expect(said()).toBe('Too many for this network’s memory. Set “Threads” to 3 or fewer and press Start again.')
    // the learner narrows the hidden layer on the Architecture page, the Threads box untouched: 5 of the 6 fit now
    await rerender({ spec: wide(27000) })
    await settle()
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(said()).toBe('Too many for this network’s memory. Set “Threads” to 5 or fewer and press Start again.')
    i18n.set('ko')
    await settle()
    expect(said()).toBe('스레드가 너무 많아 이 신경망을 학습할 메모리가 모자랍니다. “스레드”를 5개 이하로 바꾼 뒤 다시 시작하세요.')
    i18n.set('en')
    // narrower still, all 6 fit: no mark, nothing said
    await rerender({ spec: wide(20000) })
    await settle()
    expect(box.getAttribute('aria-invalid')).not.toBe('true')
    expect(box.getAttribute('aria-describedby')).toBeNull()
    expect(said()).toBeNull()
    // back to the network refused (an equal copy, as an undo gives): refused again, in the host's words
    await rerender({ spec: wide(35000) })
    await settle()
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(said()).toBe('Too many for this network’s memory. Set “Threads” to 3 or fewer and press Start again.')
  })

  it('is not marked for a refusal tied to no field', async () => {
    const fake = await renderControls()
    fake.handlers['train:start'] = () => ({ ok: false, error: { code: 'busy', message: 'Run run-1 is still running.', params: { case: 'start', state: 'running' } } })
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    expect(trainLab.error).not.toBeNull()
    expect(screen.getByTestId('train-threads').getAttribute('aria-invalid')).not.toBe('true')
  })
})

describe('MB in the threads and memory refusals and the cost note', () => {
  it('are grouped in the page’s language (en, ko)', () => {
    const memory: LabError = { code: 'train-failed', message: 'host words', params: { case: 'memory', needs: '7638', limit: 2048 } }
    expect(tr(refusal(REFUSED))).toMatch(/^Training did not start: on 6 threads this network needs about 7,638 MB, .* the lab allows 2,048 MB\. Set “Threads” to 3 or fewer/)
    expect(tr(refusal(memory))).toMatch(/^The run ran out of engine memory: it needed 7,638 MB, and the engine can hold 2,048 MB\./)
    i18n.set('ko')
    expect(tr(refusal(REFUSED))).toContain('약 7,638 MB가 필요합니다. 실험실은 2,048 MB까지만 허용합니다.')
    expect(tr(refusal(memory))).toContain('7,638 MB가 필요했는데 엔진은 2,048 MB까지만')
  })

  it('the cost note groups them too', () => {
    // about 1.5 GiB on one thread: three threads' copies of its 71.6 M parameters pass 2 GiB
    const wide: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 90000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    render(CostNote, { props: { spec: wide, report: validateSpec(wide), names: [], threads: 3 } })
    expect(screen.getByTestId('cost-threads').textContent).toMatch(/needs about \d{1,3}(,\d{3})+ MB, .* allows 2,048 MB/)
  })
})
