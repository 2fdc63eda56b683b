import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { Run } from '../../../src-renderer/lib/train.svelte'
import GeneratePanel from '../../../src-renderer/components/train/GeneratePanel.svelte'
import { FakeLab } from '../train/fake-lab'
import type { TrainSettings } from '../../../src-engine/protocol'

const SETTINGS: TrainSettings = { data: { kind: 'text', file: 'builtin' }, optimizer: 'Adam', lr: 0.003, batchSize: 32, epochs: 1, weightDecay: 0, seed: 1, threads: 1, clip: 5 }
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('the Generate panel (language models)', () => {
  const fake = new FakeLab()
  setLab(fake)
  afterAll(() => setLab(null))

  it('waits for a run, then sends prompt, length, temperature and seed to model:generate and shows prompt + text', async () => {
    i18n.set('en')
    fake.handlers['model:generate'] = (p) => {
      const q = p as { prompt: string; length: number }
      return { ok: true, value: { prompt: q.prompt, text: '는 좋다'.padEnd(q.length, '다'), ms: 3 } }
    }
    const run = new Run('r1', 0, SETTINGS, 'Character LSTM', 'language-model')
    const { rerender } = render(GeneratePanel, { run: null })
    expect((screen.getByTestId('generate-run') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId('generate-panel').textContent).toContain('Train the language model first')
    run.state = 'paused'
    await rerender({ run })
    const button = screen.getByTestId('generate-run') as HTMLButtonElement
    expect(button.disabled).toBe(false)
    await fireEvent.input(screen.getByTestId('generate-prompt'), { target: { value: '한국어' } })
    await fireEvent.input(screen.getByTestId('generate-length'), { target: { value: '12' } })
    await fireEvent.input(screen.getByTestId('generate-seed'), { target: { value: '7' } })
    await fireEvent.click(button)
    await tick()
    const call = fake.calls.filter((c) => c.channel === 'model:generate').at(-1)!
    expect(call.payload).toEqual({ prompt: '한국어', length: 12, temperature: 0.8, seed: 7 })
    const out = screen.getByTestId('generate-output')
    expect(out.textContent).toBe('한국어' + '는 좋다'.padEnd(12, '다'))
    expect(out.querySelector('.given')?.textContent).toBe('한국어')
  })

  it('says why generation failed, in Korean too', async () => {
    i18n.set('ko')
    const message = 'character "z" (U+007A) at position 0 is not in the vocabulary of 65'
    fake.handlers['model:generate'] = () => ({ ok: false, error: { code: 'bad-prompt', message, params: { case: 'char', char: 'z' } } })
    const run = new Run('r2', 0, SETTINGS, 'Character LSTM', 'language-model')
    run.state = 'done'
    render(GeneratePanel, { run })
    await fireEvent.click(screen.getByTestId('generate-run'))
    await tick()
    expect(screen.getByRole('alert').textContent).toBe('생성하지 못했습니다: 프롬프트에 모델이 배운 텍스트에 없던 문자가 있습니다("z"). 그 텍스트에 있는 문자만 쓰세요.')
    // editing the prompt takes the refusal away: it spoke of the prompt that was sent
    await fireEvent.input(screen.getByTestId('generate-prompt'), { target: { value: 'y' } })
    expect(screen.queryByRole('alert')).toBeNull()
    i18n.set('en')
  })

  it('names an emptied, zero or too large length and a bad seed in the page\'s language, and sends nothing until they are fixed', async () => {
    i18n.set('ko')
    fake.handlers['model:generate'] = (p) => ({ ok: true, value: { prompt: (p as { prompt: string }).prompt, text: 'x', ms: 1 } })
    const run = new Run('r3', 0, SETTINGS, 'Character LSTM', 'language-model')
    run.state = 'paused'
    render(GeneratePanel, { run })
    const before = fake.calls.filter((c) => c.channel === 'model:generate').length
    const button = screen.getByTestId('generate-run') as HTMLButtonElement
    const problems = (): string[] => screen.queryAllByTestId('generate-field-problem').map((e) => e.textContent ?? '')
    for (const bad of ['', '0', '5000', '2.5']) {
      await fireEvent.input(screen.getByTestId('generate-length'), { target: { value: bad } })
      expect(problems(), `length "${bad}"`).toEqual(['글자 수는 1에서 2000 사이의 정수여야 합니다.'])
      expect(screen.getByTestId('generate-length').getAttribute('aria-invalid')).toBe('true')
      expect(button.disabled).toBe(true)
      // Enter in a field submits the form: still nothing is sent
      await fireEvent.submit(button.closest('form')!)
      await tick()
    }
    await fireEvent.input(screen.getByTestId('generate-length'), { target: { value: '50' } })
    await fireEvent.input(screen.getByTestId('generate-seed'), { target: { value: '-1' } })
    expect(problems()).toEqual(['시드는 0에서 4294967295 사이의 정수여야 합니다.'])
    expect(fake.calls.filter((c) => c.channel === 'model:generate').length).toBe(before)
    await fireEvent.input(screen.getByTestId('generate-seed'), { target: { value: '3' } })
    expect(problems()).toEqual([])
    await fireEvent.click(button)
    await tick()
    expect(fake.calls.filter((c) => c.channel === 'model:generate').at(-1)!.payload).toEqual({ prompt: '', length: 50, temperature: 0.8, seed: 3 })
    i18n.set('en')
  })

  it('keeps the Generate button focusable while it works, and sends one request for presses meanwhile', async () => {
    i18n.set('en')
    let answer: (r: unknown) => void = () => {}
    fake.handlers['model:generate'] = () => new Promise((r) => (answer = r as (r: unknown) => void))
    const run = new Run('r4', 0, SETTINGS, 'Character LSTM', 'language-model')
    run.state = 'done'
    render(GeneratePanel, { run })
    const before = fake.calls.filter((c) => c.channel === 'model:generate').length
    const button = screen.getByTestId('generate-run') as HTMLButtonElement
    button.focus()
    await fireEvent.click(button)
    await tick()
    // a disabled button drops the keyboard focus to the page (Chromium): this one is off by aria-disabled
    expect(button.textContent).toBe('Writing…')
    expect(button.disabled).toBe(false)
    expect(button.getAttribute('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(button)
    await fireEvent.click(button)
    await tick()
    expect(fake.calls.filter((c) => c.channel === 'model:generate').length - before).toBe(1)
    answer({ ok: true, value: { prompt: 'a', text: 'bc', ms: 2 } })
    await tick()
    expect(button.getAttribute('aria-disabled')).toBe('false')
    expect(screen.getByTestId('generate-output').textContent).toBe('abc')
  })
})
