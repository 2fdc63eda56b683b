/** The training form marks each field its problem list names, so the learner sees which field a line means. */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import TrainControls from '../../../src-renderer/components/train/TrainControls.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
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
    expect(screen.getByRole('alert').querySelectorAll('li')).toHaveLength(2)
    await fireEvent.input(screen.getByTestId('train-lr'), { target: { value: '0.01' } })
    await flush()
    expect(invalid()).toEqual(['train-epochs'])
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
