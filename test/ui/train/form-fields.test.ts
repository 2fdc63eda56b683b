/** The training form marks each field its problem list names, so the learner sees which field a line means. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import TrainControls from '../../../src-renderer/components/train/TrainControls.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { SIMPLE_CONVNET, flush } from './fake-lab'

afterEach(() => {
  trainLab.form = defaultsFor(null, 1)
})

describe('the training form', () => {
  it('marks an emptied learning rate and a zero epoch count, and no other field', async () => {
    trainLab.runs = []
    trainLab.form = defaultsFor(null, 1)
    render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => undefined, oncontinue: () => undefined })
    const invalid = (): string[] => [...document.querySelectorAll('input[aria-invalid="true"]')].map((e) => e.getAttribute('data-testid') ?? '?')
    expect(invalid()).toEqual([])
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '' } })
    await fireEvent.input(screen.getByTestId('train-epochs'), { target: { value: '0' } })
    await flush()
    expect(invalid()).toEqual(['train-lr', 'train-epochs'])
    // each message is said beside its field, none in a list at the form's foot
    expect(screen.getAllByTestId('train-field-error')).toHaveLength(2)
    expect(document.querySelector('ul.problems')).toBeNull()
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '0.01' } })
    await flush()
    expect(invalid()).toEqual(['train-epochs'])
  })

  it('says why a learning rate of 50 is refused beside the field, where the learner typed it (K4 at 1024 × 680)', async () => {
    trainLab.runs = []
    trainLab.form = defaultsFor(null, 1)
    render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => undefined, oncontinue: () => undefined })
    // the card's heading is the level after the page's h1 (axe heading-order: an h3 skipped one)
    expect(screen.getByRole('heading', { name: 'Hyperparameters' }).tagName).toBe('H2')
    const lr = screen.getByTestId('train-lr')
    expect(lr.getAttribute('aria-describedby')).toBeNull()
    await fireEvent.input(lr, { target: { value: '50' } })
    await flush()
    const ids = (lr.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    expect(ids).toHaveLength(1)
    const said = document.getElementById(ids[0])!
    expect(said.textContent).toContain('at most 10')
    // in the learning rate's own field, not at the foot of the form
    expect(said.closest('.field')).toBe(lr.closest('.field'))
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('train-batch'), { target: { value: '0' } })
    await flush()
    const batch = screen.getByTestId('train-batch')
    expect(document.getElementById(batch.getAttribute('aria-describedby') ?? '')?.closest('.field')).toBe(batch.closest('.field'))
    await fireEvent.input(lr, { target: { value: '0.01' } })
    await flush()
    expect(lr.getAttribute('aria-describedby')).toBeNull()
  })

  it('holds a field\'s message while the learner is still typing into it: 0.001 passes through 0 (V5\'s side effect)', async () => {
    trainLab.runs = []
    trainLab.form = defaultsFor(null, 1)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => undefined, oncontinue: () => undefined })
      const lr = screen.getByTestId('train-lr') as HTMLInputElement
      // one key as Chromium reports it: the box's value after it, then an InputEvent with inputType
      const key = async (value: string, data: string): Promise<void> => {
        lr.value = value
        lr.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data }))
        await tick()
      }
      await key('0', '0')
      await key('0.', '.')
      expect(lr.getAttribute('aria-invalid')).not.toBe('true')
      expect(screen.queryAllByTestId('train-field-error')).toHaveLength(0)
      // Start is still refused meanwhile: the form's problem is only not said yet
      expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true)
      await key('0.0', '0')
      await key('0.00', '0')
      await key('0.001', '1')
      vi.advanceTimersByTime(600)
      await tick()
      expect(screen.queryAllByTestId('train-field-error')).toHaveLength(0)
      expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(false)
      // a value that stays wrong is said after the pause …
      await key('0', '0')
      vi.advanceTimersByTime(600)
      await tick()
      expect(lr.getAttribute('aria-invalid')).toBe('true')
      expect(screen.getAllByTestId('train-field-error')).toHaveLength(1)
      // … or at once when the box is left
      await key('5', '5')
      await key('50', '0')
      expect(screen.queryAllByTestId('train-field-error')).toHaveLength(0)
      await fireEvent.focusOut(lr)
      await tick()
      expect(screen.getByTestId('train-field-error').textContent).toContain('at most 10')
    } finally {
      vi.useRealTimers()
    }
  })

  it('names each field by its label alone and gives its message as the description (en, ko)', async () => {
    trainLab.runs = []
    trainLab.form = defaultsFor(null, 1)
    render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => undefined, oncontinue: () => undefined })
    await fireEvent.input(screen.getByTestId('train-batch'), { target: { value: '0' } })
    await fireEvent.input(screen.getByTestId('train-seed'), { target: { value: '-1' } })
    await flush()
    // inside the <label>, the message was read as part of the field's name: "Mini-batch size The mini-batch size must …"
    const field = (name: string, description: string): HTMLElement => screen.getByRole('spinbutton', { name, description })
    try {
      expect(field('Mini-batch size', 'The mini-batch size must be a whole number from 1 to 4096.')).toBe(screen.getByTestId('train-batch'))
      expect(field('Random seed', 'The seed must be a whole number, 0 or more.')).toBe(screen.getByTestId('train-seed'))
      // a field without a problem has its name and no description
      expect(screen.getByRole('spinbutton', { name: 'Learning rate', description: '' })).toBe(screen.getByTestId('train-lr'))
      i18n.set('ko')
      await flush()
      expect(field('미니배치 크기', '미니배치 크기는 1에서 4096 사이의 정수여야 합니다.')).toBe(screen.getByTestId('train-batch'))
      expect(field('난수 시드', '시드는 0 이상의 정수여야 합니다.')).toBe(screen.getByTestId('train-seed'))
    } finally {
      i18n.set('en')
    }
  })

  it("drops the note on what an edit could not keep once the learner resets the form to the network's defaults", async () => {
    trainLab.runs = []
    trainLab.form = defaultsFor(null, 1)
    trainLab.formDropped = ['stateful']
    render(TrainControls, { spec: SIMPLE_CONVNET, onstart: () => undefined, oncontinue: () => undefined })
    expect(screen.getAllByTestId('train-form-dropped')).toHaveLength(1)
    // 'the other settings stay as they were' is not true after a reset
    await fireEvent.click(document.querySelector('button.reset')!)
    await flush()
    expect(screen.queryAllByTestId('train-form-dropped')).toHaveLength(0)
    trainLab.formDropped = []
  })
})
