/** The progress card's tiles: a network without accuracy (language model, autoencoder) shows its training loss instead of an empty "Training accuracy". */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import ProgressPanel from '../../../src-renderer/components/train/ProgressPanel.svelte'
import { defaultsFor, Run } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const form = defaultsFor(null, 1)

afterEach(() => i18n.set('en'))

describe('the progress tiles', () => {
  it('show a classifier\'s training accuracy, measured after the epoch as the test accuracy is', () => {
    const r = new Run('c', 1, settings, 'net', 'classifier')
    // Q5's F2: the running mean during the epoch (dropout on) is 80 %; the same network after it, in inference mode, 90 %
    r.addEpoch({ epoch: 1, trainLoss: 0.31, trainAcc: 0.8, trainEvalAcc: 0.9, testLoss: 0.3, testAcc: 0.91, seconds: 2 })
    render(ProgressPanel, { run: r, form })
    expect(screen.getByTestId('tile-train').textContent).toContain('Training accuracy')
    expect(screen.getByTestId('tile-train').textContent).toContain('90.0%')
    // a run saved before the lab measured it: no figure, rather than the running one under this name
    document.body.innerHTML = ''
    const old = new Run('o', 2, settings, 'net', 'classifier')
    old.addEpoch({ epoch: 1, trainLoss: 0.31, trainAcc: 0.8, testLoss: 0.3, testAcc: 0.91, seconds: 2 })
    render(ProgressPanel, { run: old, form })
    expect(screen.getByTestId('tile-train').textContent).not.toContain('80.0%')
  })

  it('show a dash, not an error, for a learning rate or epoch count the learner emptied before the first run', () => {
    // a bound number field holds null while it is empty
    render(ProgressPanel, { run: null, form: { ...form, lr: null as unknown as number, epochs: null as unknown as number } })
    expect(screen.getByTestId('tile-lr').textContent).toBe('—')
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 0 / —')
  })

  it('show a dash for numbers past the form\'s limits, as the form refuses them (formProblems), not the number', () => {
    // 5000 epochs and a learning rate of 50 keep Start disabled: the card must not announce them
    render(ProgressPanel, { run: null, form: { ...form, lr: 50, epochs: 5000 } })
    expect(screen.getByTestId('tile-lr').textContent).toBe('—')
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 0 / —')
    document.body.innerHTML = ''
    render(ProgressPanel, { run: null, form: { ...form, lr: 0.05, epochs: 1000 } })
    expect(screen.getByTestId('tile-lr').textContent).toBe('0.05')
    expect(screen.getByTestId('progress').textContent).toContain('Epoch 0 / 1000')
  })

  it('give the time left while the run trains, and none while it is paused', async () => {
    const r = new Run('c', 1, settings, 'net', 'classifier')
    r.state = 'running'
    r.addPoints([{ epoch: 1, batch: 10, batches: 600, loss: 0.5, examplesPerSec: 1000 }])
    render(ProgressPanel, { run: r, form })
    const time = screen.getByTestId('progress-time')
    expect(time.textContent).toMatch(/left|estimating/)
    r.state = 'paused'
    await tick()
    expect(time.textContent?.trim()).toBe('')
  })

  it('say how long a finished run trained instead of saying "finished" beside the badge', () => {
    const r = new Run('c', 1, settings, 'net', 'classifier')
    r.addEpoch({ epoch: 1, trainLoss: 0.31, trainAcc: 0.9, testLoss: 0.3, testAcc: 0.91, seconds: 40 })
    r.addEpoch({ epoch: 2, trainLoss: 0.2, trainAcc: 0.93, testLoss: 0.25, testAcc: 0.92, seconds: 45.4 })
    r.state = 'done'
    i18n.set('ko')
    render(ProgressPanel, { run: r, form })
    expect(screen.getByTestId('progress-time').textContent?.trim()).toBe('학습 시간 1:25')
  })

  it('show a language model\'s and an autoencoder\'s training loss, in both languages', () => {
    const lm = new Run('lm', 1, { ...settings, data: { kind: 'text', file: 'builtin' } }, 'lm', 'language-model')
    lm.addEpoch({ epoch: 1, trainLoss: 1.8765, trainAcc: null, testLoss: 1.9, testAcc: null, perplexity: 6.7, seconds: 2 })
    render(ProgressPanel, { run: lm, form })
    expect(screen.getByTestId('tile-train').textContent).toContain('Training loss')
    expect(screen.getByTestId('tile-train').textContent).toContain('1.8765')
    document.body.innerHTML = ''
    const ae = new Run('ae', 2, settings, 'ae', 'autoencoder')
    ae.addEpoch({ epoch: 1, trainLoss: 0.2412, trainAcc: null, testLoss: 0.24, testAcc: null, seconds: 2, reconstructionLoss: 0.24, reconstructionMse: 0.059 })
    i18n.set('ko')
    render(ProgressPanel, { run: ae, form })
    expect(screen.getByTestId('tile-train').textContent).toContain('훈련 손실')
    expect(screen.getByTestId('tile-train').textContent).toContain('0.2412')
  })

  // Q8's F6: a character LSTM stopped at batch 74 of its first epoch showed "—" in every tile: its perplexity was
  // e^(the loss so far) all along. It shows that now, marked as a training estimate; the held-out loss stays "—".
  it('show a language model\'s running perplexity and loss before its first epoch ends, marked as a training estimate', async () => {
    const lm = new Run('lm', 1, { ...settings, data: { kind: 'text', file: 'builtin' } }, 'lm', 'language-model')
    lm.addPoints([2.8, 2.6, 2.5, 2.6].map((loss, i) => ({ epoch: 1, batch: i + 1, batches: 123, loss, examplesPerSec: 50 })))
    lm.state = 'stopped'
    render(ProgressPanel, { run: lm, form })
    const ppl = screen.getByTestId('test-accuracy').textContent!.replace(/\s+/g, ' ')
    // mean 2.625, e^2.625 = 13.80
    expect(ppl).toContain('Perplexity')
    expect(ppl).toContain('≈ 13.8')
    expect(ppl).toContain('training estimate from the 4 mini-batches so far')
    expect(screen.getByTestId('tile-train').textContent).toContain('≈ 2.6250')
    expect(screen.getAllByText('—').length).toBeGreaterThan(0)
    document.body.innerHTML = ''
    i18n.set('ko')
    render(ProgressPanel, { run: lm, form })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('훈련 추정: 지금까지의 미니배치 4개로 계산')
    document.body.innerHTML = ''
    i18n.set('en')
    // once the epoch reports, its held-out perplexity, not the estimate
    lm.addEpoch({ epoch: 1, trainLoss: 2.2, trainAcc: null, testLoss: 2.3, testAcc: null, perplexity: 9.97, seconds: 60 })
    render(ProgressPanel, { run: lm, form })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('9.97')
    expect(screen.getByTestId('test-accuracy').textContent).not.toContain('≈')
    await tick()
  })

  it('name an autoencoder run\'s reconstruction error before its first epoch ends, whatever network the page shows', () => {
    // the run started; no epoch report yet; the page's network may have changed since (kind says classifier)
    const ae = new Run('ae', 1, settings, 'ae', 'autoencoder')
    ae.addPoints([{ epoch: 1, batch: 1, batches: 600, loss: 0.25, examplesPerSec: 100 }])
    render(ProgressPanel, { run: ae, form, kind: 'classifier' })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('Held-out MSE')
    expect(screen.getByTestId('test-accuracy').textContent).not.toContain('accuracy')
    expect(screen.getByTestId('tile-train').textContent).toContain('Training loss')
    document.body.innerHTML = ''
    i18n.set('ko')
    render(ProgressPanel, { run: ae, form, kind: 'classifier' })
    expect(screen.getByTestId('test-accuracy').textContent).not.toContain('정확도')
    document.body.innerHTML = ''
    i18n.set('en')
    // and a classifier's run says accuracy while the page shows an autoencoder
    const c = new Run('c', 2, settings, 'net', 'classifier')
    render(ProgressPanel, { run: c, form, kind: 'autoencoder' })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('Test accuracy')
  })

  it('name what a language model or an autoencoder will report before its first run', () => {
    render(ProgressPanel, { run: null, form, kind: 'language-model' })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('Perplexity')
    expect(screen.getByTestId('tile-train').textContent).toContain('Training loss')
    document.body.innerHTML = ''
    render(ProgressPanel, { run: null, form, kind: 'autoencoder' })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('Held-out MSE')
    expect(screen.getByTestId('tile-train').textContent).toContain('Training loss')
    document.body.innerHTML = ''
    render(ProgressPanel, { run: null, form })
    expect(screen.getByTestId('test-accuracy').textContent).toContain('Test accuracy')
    expect(screen.getByTestId('tile-train').textContent).toContain('Training accuracy')
  })
})
