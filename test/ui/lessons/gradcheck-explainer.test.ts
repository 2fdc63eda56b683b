/**
 * The gradient-check explainer asks the host (model:gradcheck) instead of checking on the page: it shows
 * "checking…" until the reply, the host's rows when it comes, the planted bug and the editor's network
 * (sampled) as options of the request, and a refusal worded in the learner's language.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import GradCheck from '../../../src-renderer/components/explainers/GradCheck.svelte'
import { CHECK_EXAMPLES } from '../../../src-renderer/lib/lessons/gradcheck'
import { explainGradients } from '../../../src-engine/train/gradcheck-run'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { Result } from '../../../src-main/ipc/contract'
import { FakeLab } from '../train/fake-lab'

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('the gradient-check explainer', () => {
  const fake = new FakeLab()
  setLab(fake)
  afterAll(() => setLab(null))

  it('asks the host, says "checking…" until it answers, then shows its rows', async () => {
    i18n.set('en')
    let answer: (r: Result<unknown>) => void = () => undefined
    fake.handlers['model:gradcheck'] = () => new Promise((resolve) => { answer = resolve })
    render(GradCheck)
    await tick()
    const first = fake.calls.filter((c) => c.channel === 'model:gradcheck')
    expect(first.map((c) => c.payload)).toEqual([{ spec: CHECK_EXAMPLES.cnn, seed: 1, bug: false }])
    const button = screen.getByTestId('gc-run') as HTMLButtonElement
    // aria-disabled, not disabled: a disabled button dropped the keyboard focus to the page (Q6's F3)
    expect(button.getAttribute('aria-disabled')).toBe('true')
    expect(button.disabled).toBe(false)
    expect(button.textContent).toBe('Checking…')
    expect(screen.queryByTestId('gc-table')).toBeNull()
    answer({ ok: true, value: { ...explainGradients(CHECK_EXAMPLES.cnn, 1, {}), ms: 12 } })
    await tick()
    expect(button.getAttribute('aria-disabled')).toBe('false')
    expect(screen.getAllByTestId('gc-row').map((r) => r.querySelector('.name')?.textContent)).toEqual(['x', 'conv1.W', 'conv1.b', 'affine1.W', 'affine1.b'])
    expect(screen.getByTestId('gc-verdict').className).toContain('good')
  })

  it('sends the planted bug and the editor network (sampled) with the request', async () => {
    i18n.set('en')
    fake.calls.length = 0
    const spec: NetSpec = { input: [4], layers: [{ type: 'Affine', units: 3 }, { type: 'Relu' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }] }
    project.spec = spec
    fake.handlers['model:gradcheck'] = (p) => {
      const q = p as { spec: NetSpec; seed: number; samples?: number; bug: boolean }
      return { ok: true, value: { ...explainGradients(q.spec, q.seed, { samples: q.samples, bug: q.bug }), ms: 1 } }
    }
    render(GradCheck)
    await tick()
    await fireEvent.click(screen.getByTestId('gc-bug'))
    await tick()
    expect(screen.getAllByTestId('gc-row').filter((r) => r.dataset.verdict === 'bad').length).toBe(3)
    const select = screen.getByTestId('gc-net') as HTMLSelectElement
    await fireEvent.change(select, { target: { value: 'editor' } })
    await tick()
    const asked = fake.calls.filter((c) => c.channel === 'model:gradcheck').map((c) => c.payload)
    expect(asked.at(-2)).toEqual({ spec: CHECK_EXAMPLES.cnn, seed: 1, bug: true })
    expect(asked.at(-1)).toEqual({ spec, seed: 1, samples: 10, bug: true })
    expect(screen.getAllByTestId('gc-row').map((r) => r.querySelector('.name')?.textContent)).toEqual(['x', 'affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
  })

  it('names the layers whose gradient vanished, with their size, and counts the arrays too small to compare (Q5 F6, en + ko)', async () => {
    i18n.set('en')
    // the course's "why does it not learn": Affine 100 (σ = 0.01) + Sigmoid five times
    const deep: NetSpec = {
      input: [784],
      layers: [...Array.from({ length: 5 }, () => [{ type: 'Affine' as const, units: 100, init: 'std' as const }, { type: 'Sigmoid' as const }]).flat(), { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
    }
    project.spec = deep
    fake.handlers['model:gradcheck'] = (p) => {
      const q = p as { spec: NetSpec; seed: number; samples?: number; bug: boolean }
      return { ok: true, value: { ...explainGradients(q.spec, q.seed, { samples: q.samples, bug: q.bug }), ms: 1 } }
    }
    render(GradCheck)
    await tick()
    await fireEvent.change(screen.getByTestId('gc-net') as HTMLSelectElement, { target: { value: 'editor' } })
    await tick()
    const rows = screen.getAllByTestId('gc-row')
    const small = rows.filter((r) => r.dataset.verdict === 'small').length
    expect(small).toBeGreaterThanOrEqual(5)
    const verdict = screen.getByTestId('gc-verdict')
    // not "Every gradient agrees": the arrays it could not judge are counted, and the verdict is not the green one
    expect(verdict.className).toContain('problem')
    expect(verdict.textContent).toContain(`The ${rows.length - small} arrays that could be compared agree`)
    expect(verdict.textContent).toContain(`The other ${small} have gradients at the level of float32’s rounding noise`)
    const vanishing = screen.getByTestId('gc-vanishing').textContent ?? ''
    expect(vanishing).toMatch(/^The gradient vanishes on its way back: in affine1 \([\d.]+×10⁻[⁰-⁹]+\), affine2 \(.+\), affine3 \(.+\), the mean \|gradient\| is less than a thousandth of affine6’s/)
    expect(screen.getByTestId('gc-layers').textContent).toMatch(/affine1 .+, affine2 .+, affine3 .+, affine4 .+, affine5 .+, affine6 /)
    // the backprop column shows a vanished gradient in powers of ten, not as 0.000000
    const affine1 = rows.find((r) => r.querySelector('.name')?.textContent === 'affine1.W')!
    expect(affine1.children[3].textContent).toMatch(/×10⁻/)
    // and a both-(near-)zero worst element is not a 100 % error
    for (const r of rows) expect(r.children[4].textContent).not.toBe('1×10⁰')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('gc-vanishing').textContent).toContain('기울기 소실')
    expect(verdict.textContent).toContain(`나머지 ${small}개는`)
  })

  afterEach(() => { vi.useRealTimers() })

  it('offers Cancel only once a check has run for a moment (300 ms): a quick check never flashes it', async () => {
    i18n.set('en')
    vi.useFakeTimers()
    let answer: (r: Result<unknown>) => void = () => undefined
    fake.handlers['model:gradcheck'] = () => new Promise((resolve) => { answer = resolve })
    render(GradCheck)
    await vi.advanceTimersByTimeAsync(250)
    expect(screen.getByTestId('gc-run').getAttribute('aria-disabled')).toBe('true')
    expect(screen.queryByTestId('gc-cancel')).toBeNull()
    answer({ ok: true, value: { ...explainGradients(CHECK_EXAMPLES.cnn, 1, {}), ms: 240 } })
    await vi.advanceTimersByTimeAsync(1000)
    expect(screen.getAllByTestId('gc-row').length).toBe(5)
    expect(screen.queryByTestId('gc-cancel')).toBeNull()
  })

  it('cancels a check under way: the host is asked to stop it, the page says so at once and can check again', async () => {
    i18n.set('ko')
    vi.useFakeTimers()
    fake.calls.length = 0
    let answer: (r: Result<unknown>) => void = () => undefined
    // a slow check: no answer until it is cancelled
    fake.handlers['model:gradcheck'] = () => new Promise((resolve) => { answer = resolve })
    fake.handlers['model:gradcheck-cancel'] = () => ({ ok: true, value: { cancelled: true } })
    render(GradCheck)
    await vi.advanceTimersByTimeAsync(299)
    expect(screen.queryByTestId('gc-cancel')).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()
    const cancel = screen.getByTestId('gc-cancel')
    expect(cancel.textContent).toBe('취소')
    await fireEvent.click(cancel)
    await tick()
    expect(fake.channels()).toEqual(['model:gradcheck', 'model:gradcheck-cancel'])
    expect(screen.queryByTestId('gc-cancel')).toBeNull()
    const button = screen.getByTestId('gc-run') as HTMLButtonElement
    expect(button.getAttribute('aria-disabled')).toBe('false')
    expect(screen.getByTestId('gc-problem').textContent).toContain('확인을 취소했습니다')
    i18n.set('en')
    await tick()
    expect(screen.getByTestId('gc-problem').textContent?.trim()).toBe('The check was cancelled. Choose “Check again” to run it.')
    // the host's late answer (cancelled) changes nothing; checking again shows the rows
    answer({ ok: true, value: { ok: false, reason: 'cancelled', ms: 3 } })
    fake.handlers['model:gradcheck'] = () => ({ ok: true, value: { ...explainGradients(CHECK_EXAMPLES.cnn, 1, {}), ms: 12 } })
    await fireEvent.click(button)
    await tick()
    expect(screen.getAllByTestId('gc-row').length).toBe(5)
    expect(fake.channels()).toEqual(['model:gradcheck', 'model:gradcheck-cancel', 'model:gradcheck'])
  })

  it('stops the check under way when the learner asks for another (another network) before it answers', async () => {
    i18n.set('en')
    fake.calls.length = 0
    fake.handlers['model:gradcheck'] = () => new Promise(() => undefined)
    render(GradCheck)
    await tick()
    await fireEvent.change(screen.getByTestId('gc-net') as HTMLSelectElement, { target: { value: 'mlp' } })
    await tick()
    expect(fake.channels()).toEqual(['model:gradcheck', 'model:gradcheck-cancel', 'model:gradcheck'])
  })

  it('stops the check under way when the lesson is left before it answers; a check already answered is left alone', async () => {
    i18n.set('en')
    fake.handlers['model:gradcheck-cancel'] = () => ({ ok: true, value: { cancelled: true } })
    fake.handlers['model:gradcheck'] = () => ({ ok: true, value: { ...explainGradients(CHECK_EXAMPLES.cnn, 1, {}), ms: 1 } })
    fake.calls.length = 0
    const answered = render(GradCheck)
    await tick()
    answered.unmount()
    expect(fake.channels()).toEqual(['model:gradcheck'])
    fake.handlers['model:gradcheck'] = () => new Promise(() => undefined)
    fake.calls.length = 0
    const pending = render(GradCheck)
    await tick()
    pending.unmount()
    expect(fake.channels()).toEqual(['model:gradcheck', 'model:gradcheck-cancel'])
  })

  it('words the host\'s refusal in Korean (a run is training)', async () => {
    i18n.set('ko')
    fake.handlers['model:gradcheck'] = () => ({ ok: false, error: { code: 'busy', message: 'Run r1 is running: …', params: { case: 'gradcheck', state: 'running' } } })
    render(GradCheck)
    await tick()
    expect(screen.getByTestId('gc-problem').textContent).toContain('학습이 진행 중이고 기울기 확인은 학습과 같은 스레드에서 돌아갑니다')
    // in English the host's sentence follows the lead as a sentence of its own
    i18n.set('en')
    await tick()
    expect(screen.getByTestId('gc-problem').textContent?.trim()).toMatch(/^The check could not run\. A training run is in progress/)
  })
})
