import { describe, expect, it } from 'vitest'
import { SmoothedSeries, TIP_WIDTH, datasetClip, percentTick, tipLines, withAlpha } from '../../../src-renderer/lib/chart'
import { ema, epochsTrained, MAX_BATCH_POINTS, Run } from '../../../src-renderer/lib/train.svelte'
import { epochSeries, lossSeries, otherNetworks, plannedByForm, plannedEpochs, xExtent } from '../../../src-renderer/components/train/series'
import type { TrainSettings } from '../../../src-engine/protocol'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
const names = { run: (r: Run) => `#${r.index} ${r.settings.optimizer}`, test: 'test', train: 'train' }

function runWith(id: string, index: number, losses: number[], opt: TrainSettings['optimizer'] = 'Adam', isLm = false): Run {
  const r = new Run(id, index, { ...settings, optimizer: opt }, 'net', isLm ? 'language-model' : 'classifier')
  r.addPoints(losses.map((loss, i) => ({ epoch: 1, batch: i + 1, batches: losses.length, loss, examplesPerSec: 100 })))
  return r
}

describe('incremental smoothing', () => {
  it('matches the batch EMA whether points come at once or in pieces', () => {
    const ys = [2.3, 2.0, 1.7, 1.9, 1.2, 0.9, 1.1]
    const xs = ys.map((_, i) => i)
    const whole = new SmoothedSeries()
    whole.update(xs, ys, 0.7)
    const parts = new SmoothedSeries()
    parts.update(xs.slice(0, 3), ys.slice(0, 3), 0.7)
    parts.update(xs, ys, 0.7)
    const ref = ema(ys, 0.7)
    parts.smooth.forEach((p, i) => expect(p.y).toBeCloseTo(ref[i], 12))
    expect(parts.smooth).toEqual(whole.smooth)
  })

  it('recomputes everything when the smoothing changes', () => {
    const c = new SmoothedSeries()
    c.update([0, 1], [1, 3], 0.9)
    const before = c.smooth[1].y
    c.update([0, 1], [1, 3], 0)
    expect(c.smooth[1].y).toBe(3)
    expect(before).not.toBe(3)
  })

  it('keeps NaN losses as gaps in the raw line', () => {
    const c = new SmoothedSeries()
    c.update([0, 1], [1, Infinity], 0.5)
    expect(c.raw[1].y).toBeNaN()
    expect(c.smooth[1].y).toBe(1)
  })

  it('makes rgba colours from hex', () => {
    expect(withAlpha('#ff0080', 0.5)).toBe('rgba(255,0,128,0.5)')
  })
})

/** `n` batch points of a run with 1000 batches an epoch, whose loss is its position on the x axis (so a merged point's mean loss equals its mean position). */
function feed(r: Run, from: number, n: number, lossAt = (x: number): number => x): void {
  const points = []
  for (let k = from; k < from + n; k++) {
    const epoch = Math.floor(k / 1000) + 1
    const batch = (k % 1000) + 1
    const x = epoch - 1 + batch / 1000
    points.push({ epoch, batch, batches: 1000, loss: lossAt(x), examplesPerSec: 100 })
  }
  r.addPoints(points)
}

describe('a long run\'s loss curve', () => {
  it('keeps at most MAX_BATCH_POINTS points, each the mean of batchStride batches, in order, up to the latest batches', () => {
    const r = new Run('a', 1, { ...settings, epochs: 100 }, 'net', 'classifier')
    const total = 41_001 // > 5 × MAX_BATCH_POINTS; the last batch is the first of epoch 42
    for (let k = 0; k < total; k += 700) feed(r, k, Math.min(700, total - k))
    expect(r.batchX.length).toBeLessThanOrEqual(MAX_BATCH_POINTS)
    expect(r.batchX.length).toBeGreaterThan(MAX_BATCH_POINTS / 2)
    expect(r.batchStride).toBe(8)
    expect(r.batchLoss.length).toBe(r.batchX.length)
    // every point stands for batchStride batches: none lost, at most a stride's worth not on the curve yet
    const onCurve = r.batchX.length * r.batchStride
    expect(onCurve).toBeLessThanOrEqual(total)
    expect(total - onCurve).toBeLessThan(r.batchStride)
    let off = 0
    let unordered = 0
    for (let i = 0; i < r.batchX.length; i++) {
      off = Math.max(off, Math.abs(r.batchLoss[i] - r.batchX[i]))
      if (i > 0 && !(r.batchX[i] > r.batchX[i - 1])) unordered++
    }
    expect(off).toBeLessThan(1e-9)
    expect(unordered).toBe(0)
    // the first point is the mean of the first 8 batches' positions
    expect(r.batchX[0]).toBeCloseTo((1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) / 8 / 1000, 12)
    // a continuation after this run starts after the epoch its latest batch is in (42), though the
    // curve's last point, a mean of earlier batches, is still in epoch 41
    expect(r.batchX[r.batchX.length - 1]).toBeLessThan(41)
    expect(epochsTrained(r)).toBe(42)
  })

  it('merges a diverged batch\'s loss away only when its neighbours have one', () => {
    const r = new Run('a', 1, { ...settings, epochs: 100 }, 'net', 'classifier')
    feed(r, 0, MAX_BATCH_POINTS + 1, (x) => (Math.round(x * 1000) === 2 ? NaN : 1))
    expect(r.batchStride).toBe(2)
    expect(r.batchLoss[0]).toBe(1)
    expect(r.batchLoss.every((y) => y === 1)).toBe(true)
  })

  it('smooths the merged curve afresh: the same series as smoothing it from scratch', () => {
    const r = new Run('a', 1, { ...settings, epochs: 100 }, 'net', 'classifier')
    const noisy = (x: number): number => 2 + Math.sin(x * 5000)
    feed(r, 0, 5000, noisy)
    const caches = new Map<string, SmoothedSeries>()
    lossSeries([r], 0.6, caches, names)
    // merged at MAX_BATCH_POINTS + 1, then longer again than when last smoothed
    feed(r, 5000, MAX_BATCH_POINTS + 1 - 5000 + 2 * 2000, noisy)
    expect(r.batchX.length).toBeGreaterThan(5000)
    const live = lossSeries([r], 0.6, caches, names)
    const fresh = lossSeries([r], 0.6, new Map(), names)
    expect(live[1].points).toEqual(fresh[1].points)
    expect(live[1].points.length).toBe(r.batchX.length)
  })

  it('keeps the example images of the latest epoch report only', () => {
    const r = new Run('a', 1, settings, 'net', 'classifier')
    const wrong = [{ index: 0, label: 1, predicted: 7, confidence: 0.9, image: { count: 1, h: 1, w: 1, data: new Float32Array(1) } }]
    r.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, seconds: 1, confidentWrong: wrong })
    r.addEpoch({ epoch: 2, trainLoss: 1, trainAcc: 0.6, testLoss: 1, testAcc: 0.6, seconds: 1, confidentWrong: wrong })
    expect(r.epochs.map((e) => e.confidentWrong?.length ?? 0)).toEqual([0, 1])
    expect(r.epochs.map((e) => e.testAcc)).toEqual([0.5, 0.6])
  })
})

describe('overlaying runs', () => {
  it('draws raw, smoothed and test loss per visible run in its colour', () => {
    const a = runWith('a', 1, [2, 1.5, 1])
    a.addEpoch({ epoch: 1, trainLoss: 1.4, trainAcc: 0.6, testLoss: 1.2, testAcc: 0.7, seconds: 1 })
    const b = runWith('b', 2, [2.2, 2.1, 2.0], 'SGD')
    const caches = new Map<string, SmoothedSeries>()
    const s = lossSeries([a, b], 0.6, caches, names)
    expect(s.map((x) => x.key)).toEqual(['a:raw', 'a:loss', 'a:test', 'b:raw', 'b:loss'])
    expect(s[1].color).toBe(a.color)
    expect(s[3].color).toBe(b.color)
    expect(s[3].label).toBe('#2 SGD')
    expect(s[2].points).toEqual([{ x: 1, y: 1.2 }])
    expect(s[0].faint).toBe(true)
  })

  it('puts a continuation from a batch kept mid-epoch\'s held-out loss where its epochs end on the curve', () => {
    const a = runWith('a', 1, [2, 1.5, 1, 0.8])
    a.addEpoch({ epoch: 1, trainLoss: 1.4, trainAcc: 0.6, testLoss: 1.2, testAcc: 0.7, seconds: 1 })
    // kept at epoch 2, batch 1 of 4 (x 1.25): the continuation trains epoch 2 again, its curve from 1.25
    const b = new Run('b', 1, settings, 'net', 'classifier', { runId: 'a', index: 1, color: a.color, epochOffset: 1, xOffset: 1.25, optimizerFresh: null })
    b.addPoints([1, 2, 3, 4].map((batch) => ({ epoch: 1, batch, batches: 4, loss: 0.7, examplesPerSec: 100 })))
    b.addEpoch({ epoch: 1, trainLoss: 0.7, trainAcc: 0.8, testLoss: 0.6, testAcc: 0.8, seconds: 1 })
    const s = lossSeries([a, b], 0.6, new Map(), names)
    expect(s.find((x) => x.key === 'b:loss')!.points.at(-1)!.x).toBe(2.25)
    // from a's epoch 1 at 1 to b's epoch 2 where its batches end, 2.25 (it was drawn at 2, before the curve's end)
    expect(s.find((x) => x.key === 'b:test')!.points).toEqual([{ x: 1, y: 1.2 }, { x: 2.25, y: 0.6 }])
    expect(b.epochs.map((e) => e.epoch)).toEqual([2])
    // while it trains (2 epochs), the curve's axis is planned to where its batches will end (3.25), the epochs' to 3
    expect(plannedEpochs([a, b], 7, true)).toBe(0) // b not active yet
    b.state = 'running'
    expect(plannedEpochs([a, b], 7, true)).toBe(3.25)
    expect(plannedEpochs([a, b], 7)).toBe(3)
  })

  it('hides a run the learner switched off and forgets removed runs', () => {
    const a = runWith('a', 1, [2, 1])
    const b = runWith('b', 2, [2, 1])
    const caches = new Map<string, SmoothedSeries>()
    lossSeries([a, b], 0.5, caches, names)
    b.visible = false
    expect(lossSeries([a, b], 0.5, caches, names).map((x) => x.key)).toEqual(['a:raw', 'a:loss'])
    lossSeries([a], 0.5, caches, names)
    expect([...caches.keys()]).toEqual(['a'])
  })

  it('draws without the faint line when smoothing is off', () => {
    const s = lossSeries([runWith('a', 1, [2, 1])], 0, new Map(), names)
    expect(s.map((x) => x.key)).toEqual(['a:loss'])
    expect(s[0].points.map((p) => p.y)).toEqual([2, 1])
  })

  // Q2's G7: each tooltip line was the run's whole name, the line and the value, cut at the canvas edge at 1280 px
  it('names a series in the tooltip by run number and line, the run\'s whole name wrapped under the values', () => {
    const a = runWith('a', 1, [1])
    a.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.8, trainEvalAcc: 0.8, testLoss: 1, testAcc: 0.75, seconds: 1 })
    const long = { ...names, run: () => '#1 Momentum · learning rate 0.05 · mini-batch 50 · weight decay 0.001' }
    const acc = epochSeries([a], 'accuracy', long)
    expect(acc.map((x) => [x.tip, x.tipRun])).toEqual([['#1 · test', long.run()], ['#1 · train', long.run()]])
    expect(lossSeries([a], 0.5, new Map(), long).filter((x) => !x.faint).map((x) => x.tip)).toEqual(['#1', '#1 · test'])
    // the footer: the name once for both lines, no line longer than TIP_WIDTH unless one part is
    const lines = tipLines(acc.map((x) => x.tipRun))
    expect(lines).toEqual(['#1 Momentum · learning rate 0.05', 'mini-batch 50 · weight decay 0.001'])
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(TIP_WIDTH)
    expect(tipLines(['a-very-long-single-part-of-a-run-name-here · b'], 10)).toEqual(['a-very-long-single-part-of-a-run-name-here', 'b'])
    expect(tipLines([undefined])).toEqual([])
    // Korean syllables are about two Latin characters wide
    expect(tipLines(['#1 Momentum · 학습률 0.05 · 미니배치 50 · 가중치 감소 0.001'])).toEqual(['#1 Momentum · 학습률 0.05', '미니배치 50 · 가중치 감소 0.001'])
  })

  it('plots test and train accuracy per epoch, and perplexity only for language models', () => {
    const a = runWith('a', 1, [1])
    // the dashed line is the training accuracy measured after the epoch (trainEvalAcc), not the running figure
    a.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.6, trainEvalAcc: 0.8, testLoss: 1, testAcc: 0.75, seconds: 1 })
    a.addEpoch({ epoch: 2, trainLoss: 1, trainAcc: 0.7, trainEvalAcc: 0.9, testLoss: 1, testAcc: 0.85, seconds: 1 })
    const lm = runWith('lm', 2, [4], 'Adam', true)
    lm.addEpoch({ epoch: 1, trainLoss: 4, trainAcc: null, testLoss: 4.1, testAcc: null, perplexity: 60.3, seconds: 1 })
    const acc = epochSeries([a, lm], 'accuracy', names)
    expect(acc.map((x) => x.key)).toEqual(['a:test', 'a:train'])
    expect(acc[0].points).toEqual([{ x: 1, y: 0.75 }, { x: 2, y: 0.85 }])
    expect(acc[1].dash).toBeDefined()
    expect(acc[1].points).toEqual([{ x: 1, y: 0.8 }, { x: 2, y: 0.9 }])
    // a run saved before it was measured has no training line: its running figure is not passed off as one
    const old = runWith('old', 3, [1])
    old.addEpoch({ epoch: 1, trainLoss: 1, trainAcc: 0.6, testLoss: 1, testAcc: 0.75, seconds: 1 })
    expect(epochSeries([old], 'accuracy', names).map((x) => x.key)).toEqual(['old:test'])
    const ppl = epochSeries([a, lm], 'perplexity', names)
    expect(ppl.map((x) => x.key)).toEqual(['lm:test'])
    expect(ppl[0].points).toEqual([{ x: 1, y: 60.3 }])
    expect(xExtent(acc)).toBe(2)
    expect(xExtent([], 3)).toBe(3)
  })

  it('fits the x axis to the current run\'s network: runs of other networks are faint and do not stretch it; runs of one network all count', () => {
    const epochs = (r: Run, n: number): void => {
      for (let e = 1; e <= n; e++) r.addEpoch({ epoch: e, trainLoss: 1, trainAcc: 0.8, trainEvalAcc: 0.8, testLoss: 1, testAcc: 0.8, seconds: 1 })
    }
    // a long run of an earlier network, then a short one of the network being trained (other names, no specs: by name)
    const long = new Run('long', 1, { ...settings, epochs: 20 }, 'mlp', 'classifier')
    epochs(long, 20)
    const short = new Run('short', 2, settings, 'convnet', 'classifier')
    epochs(short, 2)
    const dim = otherNetworks([long, short], short)
    expect([...dim]).toEqual(['long'])
    const acc = epochSeries([long, short], 'accuracy', names, dim)
    expect(acc.filter((x) => x.faint).map((x) => x.key)).toEqual(['long:dim:test', 'long:dim:train'])
    // it spanned 20 epochs, the short run squeezed into its first tenth
    expect(xExtent(acc, 0)).toBe(2)
    expect(xExtent(epochSeries([long, short], 'accuracy', names), 0)).toBe(20)
    // lesson 9's race: runs of one network are compared in full
    const race = new Run('race', 3, { ...settings, optimizer: 'SGD', epochs: 20 }, 'convnet', 'classifier')
    epochs(race, 20)
    expect(otherNetworks([race, short], short).size).toBe(0)
    expect(otherNetworks([long, short], null).size).toBe(0)
  })

  it('plots an autoencoder\'s held-out reconstruction error per epoch, where it has no accuracy', () => {
    const ae = runWith('ae', 1, [0.3, 0.2])
    ae.epochs = [
      { epoch: 1, trainLoss: 0.2, trainAcc: null, testLoss: 0.21, testAcc: null, seconds: 1, reconstructionLoss: 0.21, reconstructionMse: 0.055 },
      { epoch: 2, trainLoss: 0.18, trainAcc: null, testLoss: 0.19, testAcc: null, seconds: 1, reconstructionLoss: 0.19, reconstructionMse: 0.048 }
    ]
    const mse = epochSeries([ae], 'reconstruction', names)
    expect(mse.map((x) => x.key)).toEqual(['ae:test'])
    expect(mse[0].points).toEqual([{ x: 1, y: 0.055 }, { x: 2, y: 0.048 }])
    // as accuracy there is nothing to draw (the chart says so instead of showing empty axes)
    expect(epochSeries([ae], 'accuracy', names).every((x) => x.points.length === 0)).toBe(true)
  })
})

describe('chart axes', () => {
  it('spans an empty chart over the epochs the form asks for, when they are a valid count', () => {
    expect(plannedByForm(10)).toBe(10)
    expect(plannedByForm(1)).toBe(1)
    expect(plannedByForm(0)).toBe(1)
    expect(plannedByForm(2.5)).toBe(1)
    expect(plannedByForm(NaN)).toBe(1)
    expect(plannedByForm(5000)).toBe(1)
  })

  it('spans the epochs a training run plans, a continuation\'s after those it continues; finished runs plan none', () => {
    expect(plannedEpochs([], 7)).toBe(7)
    const first = runWith('a', 1, [1, 0.9])
    first.state = 'stopped'
    expect(plannedEpochs([first], 7)).toBe(0)
    const cont = new Run('b', 2, { ...settings, epochs: 3 }, 'net', 'classifier', { runId: 'a', index: 1, color: first.color, epochOffset: 4, optimizerFresh: null })
    cont.state = 'running'
    expect(plannedEpochs([first, cont], 7)).toBe(7)
    cont.visible = false
    expect(plannedEpochs([first, cont], 7)).toBe(0)
  })

  it('writes accuracy ticks as percentages, as the page writes accuracies', () => {
    expect(percentTick(0.9)).toBe('90%')
    expect(percentTick(0.925)).toBe('92.5%')
    expect(percentTick(1)).toBe('100%')
    expect(percentTick(0.7000000000000001)).toBe('70%')
  })

  it('lets dots at the plot\'s edges draw whole, and keeps lines inside it', () => {
    expect(datasetClip(3)).toBe(5)
    expect(datasetClip(2)).toBe(4)
    expect(datasetClip(0)).toBeUndefined()
    expect(datasetClip(undefined)).toBeUndefined()
  })
})
