/**
 * The draw page with a trained model that cannot take a 28 × 28 drawing: a language model (the character LSTM), or
 * a network for another input size. K4's Korean walk drew a 1 after training the character LSTM and the prediction
 * card showed the engine's English refusal ("예측하지 못했습니다: … 영어: the network expects inputs of (64) per
 * example: 1 examples need 64 values, got 784"). Now the page asks the engine nothing and says why, with a button
 * to the Architecture page (en, ko).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { fitsDrawing } from '../../../src-renderer/components/draw/fits-drawing'
import type { Channel, LabApi, LabEvent, Result } from '../../../src-main/ipc/contract'
import { fakeCanvas, penKeys, resetDrawPage } from './helpers'

/** The engine as it answers a drawing for a network of another input size. */
class Refusing implements LabApi {
  asked = 0
  async request(channel: Channel): Promise<Result<never>> {
    if (channel === 'model:predict') this.asked++
    return { ok: false, error: { code: 'failed', message: 'the network expects inputs of (64) per example: 1 examples need 64 values, got 784' } } as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
}

/** Draws a dot and a short stroke with the keyboard pen. */
const draw = (): Promise<HTMLElement> => penKeys(' ', 'ArrowDown', ' ')

afterEach(resetDrawPage)

describe('a drawing the model cannot take', () => {
  it('fitsDrawing: 784 values per example in any shape fit; text and other sizes do not', () => {
    const net = (input: number[], task?: 'language-model'): never => ({ input, task, layers: [] }) as never
    expect(fitsDrawing(null)).toEqual({ ok: true })
    for (const input of [[1, 28, 28], [28, 28], [784]]) expect(fitsDrawing(net(input))).toEqual({ ok: true })
    expect(fitsDrawing(net([64], 'language-model'))).toEqual({ ok: false, why: 'text' })
    expect(fitsDrawing(net([3, 32, 32]))).toEqual({ ok: false, why: 'shape', shape: '(3, 32, 32)' })
  })

  it('a trained language model: nothing is asked, the page says it reads text and offers the Architecture page (en, ko)', async () => {
    fakeCanvas()
    const api = new Refusing()
    setLab(api)
    project.spec = { input: [64], task: 'language-model', vocab: 65, layers: [{ type: 'TimeEmbedding', dim: 16 }] } as never
    project.trained = true
    render(DrawPage)
    await draw()
    expect(api.asked).toBe(0)
    expect(screen.getByTestId('prediction').textContent).not.toMatch(/expects inputs/)
    expect(screen.getByTestId('draw-unfit').textContent).toContain('language model')
    i18n.set('ko')
    flushSync()
    expect(screen.getByTestId('draw-unfit').textContent).toContain('텍스트를 읽는 언어 모델이라 그림에 답할 수 없습니다')
    expect(screen.getByTestId('prediction').textContent).toContain('지금 모델은 이 그림에 답할 수 없습니다')
    await fireEvent.click(screen.getByRole('button', { name: '아키텍처 페이지로' }))
    expect(project.page).toBe('editor')
  })

  it('a trained network for (3, 32, 32) images: the page names its input and the drawing’s 784 values', async () => {
    fakeCanvas()
    const api = new Refusing()
    setLab(api)
    i18n.set('ko')
    project.spec = { input: [3, 32, 32], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as never
    project.trained = true
    render(DrawPage)
    await draw()
    expect(api.asked).toBe(0)
    expect(screen.getByTestId('draw-unfit').querySelector('span')!.textContent).toBe(
      '지금 모델의 입력 형상 (3, 32, 32)\u2060에는 28\u00a0×\u00a028 그림(값 784개)\u2060이 맞지 않습니다. 숫자를 맞히게 하려면 아키텍처 페이지에서 입력을 (1,\u00a028,\u00a028)\u2060로 바꾸고 학습시키세요.'
    )
  })
})
