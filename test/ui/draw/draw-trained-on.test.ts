/**
 * The draw page names what the model learned from when it is not the built-in digits: a model trained on an IDX folder
 * (Fashion-MNIST) was asked for "a digit from 0 to 9", so the learner drew digits for a clothing classifier.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'
import { fakeCanvas, resetDrawPage } from './helpers'

const settings = (data: TrainSettings['data']): TrainSettings =>
  ({ data, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 })

afterEach(() => {
  resetDrawPage()
  trainLab.runs = []
  trainLab.currentId = null
  trainLab.modelRunId = null
})

describe('the draw page says what the model was trained on', () => {
  it('a model trained on an IDX folder: its folder and "draw in that style", not "a digit" (en, ko); the digits\' page otherwise', () => {
    fakeCanvas()
    const fashion = new Run('f', 1, settings({ kind: 'idx', dir: '/data/fashion-mnist' }), 'net', 'classifier')
    const digits = new Run('d', 2, settings({ kind: 'mnist' }), 'net', 'classifier')
    trainLab.runs = [fashion, digits]
    trainLab.modelRunId = 'f'
    project.spec = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
    project.trained = true
    render(DrawPage)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Draw for your model')
    expect(screen.getByTestId('draw-intro-idx').textContent).toBe('Your model was trained on the images in /data/fashion-mnist, not on the built-in digits: draw something in the style of those images, and it answers with one of their classes (0 to 9) as you draw.')
    // the pad's name and the note on adding drawings said "a digit" too, with no word that the drawings join the digits
    const pad = (): string | null => screen.getByTestId('draw-pad-keys').getAttribute('aria-label')
    expect(pad()).toBe('Drawing pad: draw something like the images in fashion-mnist, with the mouse, a pen, a finger or the keyboard')
    expect(screen.getByTestId('draw-add-help').textContent).toContain('Drawings added here join the built-in digits, not fashion-mnist')
    i18n.set('ko')
    flushSync()
    expect(screen.getByTestId('draw-intro-idx').textContent).toContain('/data/fashion-mnist 폴더의 이미지로 학습했습니다')
    expect(pad()).toBe('그림판: fashion-mnist 폴더의 이미지와 비슷한 것을 마우스, 펜, 손가락이나 키보드로 그리세요')
    expect(screen.getByTestId('draw-add-help').textContent).toContain('fashion-mnist 폴더가 아니라 내장 숫자 데이터에 들어갑니다')
    // the host's model is the digits run's now: the page asks for a digit again
    trainLab.modelRunId = 'd'
    flushSync()
    expect(screen.queryByTestId('draw-intro-idx')).toBeNull()
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('숫자 그리기')
    expect(pad()).toBe('그림판: 마우스, 펜, 손가락이나 키보드로 숫자를 그리세요')
  })
})
