/** The confidently-wrong examples' confidence never reads 100 % short of a probability of 1. */
import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { confidencePercent } from '../../../src-renderer/components/train/confidence'
import ConfusionPanel from '../../../src-renderer/components/train/ConfusionPanel.svelte'
import { Run } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

describe('confidencePercent', () => {
  it('rounds to whole percents below 99.5 %, keeps one decimal rounded down above, and says 100% only at 1', () => {
    expect(confidencePercent(0.4)).toBe('40%')
    expect(confidencePercent(0.956)).toBe('96%')
    expect(confidencePercent(0.9949)).toBe('99%')
    expect(confidencePercent(0.996)).toBe('99.6%')
    expect(confidencePercent(0.99999)).toBe('99.9%')
    expect(confidencePercent(1)).toBe('100%')
    expect(confidencePercent(0)).toBe('0%')
    expect(confidencePercent(Number.NaN)).toBe('—')
  })
})

describe('the confidently wrong examples', () => {
  it('show a 0.996 softmax probability as 99.6%, not 100%', () => {
    i18n.set('en')
    const run = new Run('r1', 1, { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1, clip: 0 }, 'net', 'classifier')
    run.addEpoch({ epoch: 1, trainLoss: 0.5, trainAcc: 0.8, testLoss: 0.4, testAcc: 0.9, seconds: 1, confusion: { classes: 2, counts: [5, 1, 0, 4] },
      confidentWrong: [{ index: 3, label: 3, predicted: 7, confidence: 0.996, image: { count: 1, h: 2, w: 2, data: new Float32Array(4) } }] })
    render(ConfusionPanel, { run })
    const text = screen.getByTestId('confusion').textContent ?? ''
    expect(text).toContain('99.6%')
    expect(text).not.toContain('100%')
  })
})
