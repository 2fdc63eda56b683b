/**
 * A classifier ending in MSE or SigmoidWithLoss (trainable since 5d28f49) answers with what its loss layer's predict
 * gives: MSE its raw outputs (below 0, above 1), the sigmoid a probability per class that need not add up to 1. The
 * draw page showed both as softmax probabilities ("-20.0%", "130.0%", "130.0% sure", a bar past its track) and the
 * training page's most confidently wrong "130% sure". Now an MSE network's values are scores (numbers, bars kept in
 * their track), a sigmoid's are probabilities said to be each on its own, in en and ko; a softmax network is as before.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import DrawPage from '../../../src-renderer/pages/DrawPage.svelte'
import ConfusionPanel from '../../../src-renderer/components/train/ConfusionPanel.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { Run } from '../../../src-renderer/lib/train.svelte'
import { classOutput, scoreText } from '../../../src-renderer/lib/class-output'
import type { Channel, LabApi, LabEvent, Result } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { fakeCanvas, penKeys, resetDrawPage } from './helpers'

/** What an MSE network's predict gives for a drawing: raw outputs, 1 the largest at 1.3. */
const RAW = [-0.2, 1.3, 0.5, 0, 0.1, 0.02, -0.05, 0.3, 0.2, 0.01]
class RawModel implements LabApi {
  async request(channel: Channel): Promise<Result<never>> {
    if (channel !== 'model:predict') return { ok: false, error: { code: 'unexpected', message: channel } } as Result<never>
    return { ok: true, value: { probs: RAW, logits: RAW, top: 1, ms: 1, engineMs: 0.5 } } as Result<never>
  }
  onEvent(_l: (e: LabEvent) => void): () => void { return () => {} }
}
const net = (loss: 'MSE' | 'SigmoidWithLoss' | 'SoftmaxWithLoss'): NetSpec =>
  ({ name: 'n', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: loss }] })
const values = (): string[] => [...screen.getByTestId('prediction').querySelectorAll('.pct')].map((e) => e.textContent ?? '')
const bars = (): string[] => [...screen.getByTestId('prediction').querySelectorAll<HTMLElement>('.fill')].map((e) => e.style.transform)

afterEach(resetDrawPage)

describe('a classifier whose outputs are no softmax probabilities', () => {
  it('reads the loss layer: MSE scores, sigmoid probabilities each on its own, softmax otherwise', () => {
    expect(classOutput(net('MSE'))).toBe('scores')
    expect(classOutput(net('SigmoidWithLoss'))).toBe('sigmoid')
    expect(classOutput(net('SoftmaxWithLoss'))).toBe('softmax')
    expect(classOutput(null)).toBe('softmax')
    expect([scoreText(1.3), scoreText(-0.2), scoreText(-0.001), scoreText(0.005)]).toEqual(['1.30', '\u22120.20', '0.00', '0.01'])
  })

  it('draw page: an MSE network shows scores, bars kept in their track (en, ko)', async () => {
    fakeCanvas()
    setLab(new RawModel())
    project.spec = net('MSE')
    project.trained = true
    render(DrawPage)
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByTestId('prediction').getAttribute('data-value')).toBe('1')
    expect(screen.getByTestId('draw-confidence').textContent).toBe('score 1.30')
    expect(values().slice(0, 3)).toEqual(['\u22120.20', '1.30', '0.50'])
    expect(bars().slice(0, 3)).toEqual(['scaleX(0.0000)', 'scaleX(1.0000)', 'scaleX(0.5000)'])
    expect(screen.getByText('Class scores')).toBeTruthy()
    expect(screen.getByTestId('draw-output-note').textContent).toMatch(/raw outputs, not probabilities/)
    expect(screen.getByTestId('draw-spoken').textContent).toBe('The model says 1, with a score of 1.30.')
    i18n.set('ko')
    flushSync()
    expect(screen.getByTestId('draw-confidence').textContent).toBe('점수 1.30')
    expect(screen.getByText('클래스별 점수')).toBeTruthy()
    expect(screen.getByTestId('draw-output-note').textContent).toMatch(/확률이 아니라 출력값 그대로입니다/)
  })

  it('draw page: a sigmoid network says its probabilities need not add up to 100%; softmax as before', async () => {
    fakeCanvas()
    setLab(new RawModel())
    project.spec = net('SigmoidWithLoss')
    project.trained = true
    const page = render(DrawPage)
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByText('Class probabilities, each on its own')).toBeTruthy()
    expect(screen.getByTestId('draw-output-note').textContent).toMatch(/need not add up to 100%/)
    page.unmount()
    project.spec = net('SoftmaxWithLoss')
    render(DrawPage)
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByText('Class probabilities')).toBeTruthy()
    expect(screen.queryByTestId('draw-output-note')).toBeNull()
    expect(screen.getByTestId('draw-confidence').textContent).toBe('130.0% sure')
  })

  it('draw page: a yes/no network (one sigmoid output) answers by p > 0.5 with that class\'s probability, where the arg-max of one value always said 0', async () => {
    const one = (p: number): LabApi => ({
      async request(channel: Channel): Promise<Result<never>> {
        if (channel !== 'model:predict') return { ok: false, error: { code: 'unexpected', message: channel } } as Result<never>
        return { ok: true, value: { probs: [p], logits: [Math.log(p / (1 - p))], top: 0, ms: 1, engineMs: 0.5 } } as Result<never>
      },
      onEvent: () => () => {}
    })
    const yesNo: NetSpec = { name: 'n', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 1 }, { type: 'SigmoidWithLoss' }] }
    fakeCanvas()
    setLab(one(0.8))
    project.spec = yesNo
    project.trained = true
    const page = render(DrawPage)
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByTestId('prediction').getAttribute('data-value')).toBe('1')
    expect(screen.getByTestId('draw-confidence').textContent).toMatch(/^80\.0%/)
    page.unmount()
    setLab(one(0.3))
    render(DrawPage)
    await penKeys(' ', 'ArrowDown', ' ')
    expect(screen.getByTestId('prediction').getAttribute('data-value')).toBe('0')
    expect(screen.getByTestId('draw-confidence').textContent).toMatch(/^70\.0%/)
  })

  it("training page: an MSE network's most confidently wrong shows a score, not '130% sure'", () => {
    const run = new Run('r', 1, { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }, 'n', 'classifier')
    run.spec = net('MSE')
    run.addEpoch({
      epoch: 1, trainLoss: 0.1, trainAcc: 0.9, testLoss: 0.1, testAcc: 0.9, seconds: 1,
      confusion: { classes: 2, counts: [5, 1, 0, 4] },
      confidentWrong: [{ index: 3, label: 0, predicted: 1, confidence: 1.3, image: { shape: [1, 2, 2], data: [0, 1, 1, 0] } }]
    } as never)
    render(ConfusionPanel, { run })
    expect(screen.getByText('score 1.30')).toBeTruthy()
    expect(screen.queryByText(/sure/)).toBeNull()
    expect(screen.getByText(/highest score for its wrong answer/)).toBeTruthy()
  })

  it("training page: a sigmoid network's most confidently wrong is that class's own probability, not '97% sure' (en, ko)", () => {
    const run = new Run('r', 1, { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }, 'n', 'classifier')
    run.spec = net('SigmoidWithLoss')
    run.addEpoch({
      epoch: 1, trainLoss: 0.1, trainAcc: 0.9, testLoss: 0.1, testAcc: 0.9, seconds: 1,
      confusion: { classes: 2, counts: [5, 1, 0, 4] },
      confidentWrong: [{ index: 3, label: 0, predicted: 1, confidence: 0.97, image: { shape: [1, 2, 2], data: [0, 1, 1, 0] } }]
    } as never)
    const panel = render(ConfusionPanel, { run })
    expect(screen.getByText('probability 97% on its own')).toBeTruthy()
    expect(screen.queryByText(/sure/)).toBeNull()
    expect(screen.getByText(/need not add up to 100%/)).toBeTruthy()
    panel.unmount()
    i18n.set('ko')
    render(ConfusionPanel, { run })
    expect(screen.getByText('이 클래스만의 확률 97%')).toBeTruthy()
    expect(screen.queryByText(/확신/)).toBeNull()
  })
})
