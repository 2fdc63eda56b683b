/**
 * Q2's G10: accuracies were written with (v * 100).toFixed(1), which rounds the binary double: 1881/2000 = 0.9405
 * read "94.0%" and 1897/2000 "94.8%". One formatter (lib/percent.ts) rounds the figure a learner computes by hand.
 */
import { describe, expect, it } from 'vitest'
import { percent, percentDigits } from '../../../src-renderer/lib/percent'
import { epochSummary } from '../../../src-renderer/components/train/chart-summary'
import { percentTick } from '../../../src-renderer/lib/chart'
import { Run } from '../../../src-renderer/lib/train.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }

describe('percentages', () => {
  it('round a 5 in the next decimal up, as by hand, not the binary value down', () => {
    expect(percent(1881 / 2000)).toBe('94.1%')
    expect(percent(0.9485)).toBe('94.9%')
    expect(percent(0.9405, 2)).toBe('94.05%')
    expect(percent(0.00005, 2)).toBe('0.01%')
    expect(percentDigits(0.123449)).toBe('12.3')
    expect(percent(1)).toBe('100.0%')
    expect(percent(0)).toBe('0.0%')
    // a negative gap rounds away from zero, and a tiny one is not "-0.0"
    expect(percent(-0.0005)).toBe('-0.1%')
    expect(percent(-0.0001)).toBe('0.0%')
    expect(percent(NaN)).toBe('NaN%')
    expect(percentTick(0.9405)).toBe('94.1%')
  })

  it('are what the chart summary says', () => {
    const run = new Run('a', 1, settings, 'net', 'classifier')
    run.addEpoch({ epoch: 1, trainLoss: 0.1, trainAcc: 0.9, trainEvalAcc: 0.95125, testLoss: 0.2, testAcc: 0.9405, seconds: 3 })
    expect(epochSummary(run, 'accuracy')).toBe('Run #1 after epoch 1: test accuracy 94.1%, training accuracy 95.1%.')
  })
})
