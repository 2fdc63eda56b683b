/**
 * The experiments' runs on the training page (Q5's F3, F7): the overfitting lesson's three runs are one comparison, so
 * the charts fitted to the current network draw none of them faint, and the dropout run is told apart by a tag in the
 * page's language; each chart has its own colour key naming what tells its runs apart.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import LossChart from '../../../src-renderer/components/train/LossChart.svelte'
import { chartKey, runName, sameNetwork } from '../../../src-renderer/components/train/run-label'
import { otherNetworks } from '../../../src-renderer/components/train/series'
import { overfitSettings, overfitSpec, type OverfitKind } from '../../../src-renderer/lib/lessons/overfit.svelte'
import { Run, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../../src-engine/protocol'

afterEach(() => {
  cleanup()
  i18n.set('en')
  trainLab.runs = []
  trainLab.currentId = null
})

/** The overfitting experiment's runs as the page holds them, the networks named as the lesson names them (in Korean). */
function overfitRuns(): Run[] {
  const names: Record<OverfitKind, string> = { plain: 'MLP 200-200', dropout: 'MLP 200-200 + 드롭아웃 0.5', decay: 'MLP 200-200' }
  return (['plain', 'dropout', 'decay'] as const).map((k, i) => {
    const spec = overfitSpec(k, names[k])
    const r = new Run(k, i + 1, overfitSettings(k, 1), spec.name ?? '', 'classifier')
    r.spec = spec
    return r
  })
}

describe("an experiment's runs on the charts", () => {
  it('counts dropout as the same network: none of the overfitting runs is faint beside the last one', () => {
    const runs = overfitRuns()
    expect(sameNetwork(runs[0], runs[1])).toBe(true)
    expect(otherNetworks(runs, runs[2]).size).toBe(0)
    // a network with other weights is still another network
    const wide = new Run('w', 4, overfitSettings('plain', 1), 'wide', 'classifier')
    wide.spec = { ...overfitSpec('plain', 'wide'), layers: overfitSpec('plain', 'wide').layers.map((l) => (l.type === 'Affine' && l.units === 200 ? { ...l, units: 100 } : l)) }
    expect([...otherNetworks([...runs, wide], runs[2])]).toEqual(['w'])
    expect([...otherNetworks([...runs, wide], wide)]).toEqual(['plain', 'dropout', 'decay'])
  })

  it("names the dropout run by a tag in the page's language, not by the network's title of the day", () => {
    const runs = overfitRuns()
    expect(runName(runs[1], runs)).toBe('#2 Adam · lr 0.001 · mini-batch 50 · dropout 0.5')
    expect(runName(runs[0], runs)).toBe('#1 Adam · lr 0.001 · mini-batch 50')
    i18n.set('ko')
    expect(runName(runs[1], runs)).toBe('#2 Adam · 학습률 0.001 · 미니배치 50 · 드롭아웃 0.5')
    expect(runName(runs[2], runs)).toBe('#3 Adam · 학습률 0.001 · 미니배치 50 · 가중치 감소 0.01')
  })

  it("keys each run by its number and what tells it apart from the others drawn", () => {
    const runs = overfitRuns()
    expect(chartKey(runs, runs, new Set()).map((e) => e.label)).toEqual(['#1', '#2 · dropout 0.5', '#3 · weight decay 0.01'])
    const base: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
    const race = (['SGD', 'Momentum', 'Adam'] as const).map((o, i) => new Run(o, i + 1, { ...base, optimizer: o, lr: o === 'Adam' ? 0.001 : 0.1 }, 'net', 'classifier'))
    const key = chartKey(race, race, new Set(['SGD']))
    expect(key.map((e) => e.label)).toEqual(['#1 SGD · lr 0.1', '#2 Momentum · lr 0.1', '#3 Adam · lr 0.001'])
    expect(key.map((e) => e.faint)).toEqual([true, false, false])
    expect(key.map((e) => e.color)).toEqual(race.map((r) => r.color))
    i18n.set('ko')
    expect(chartKey(race.slice(0, 2), race, new Set()).map((e) => e.label)).toEqual(['#1 SGD', '#2 Momentum'])
    expect(chartKey(race.slice(2), race, new Set()).map((e) => e.label)).toEqual(['#3 Adam'])
  })

  it('shows the key under the loss chart for the runs drawn, hidden from screen readers (the summary says it in words)', () => {
    const runs = overfitRuns()
    runs.forEach((r) => r.addPoints([{ epoch: 1, batch: 10, batches: 20, loss: 1, examplesPerSec: 100 }]))
    runs[2].visible = false
    trainLab.runs = runs
    trainLab.currentId = null
    render(LossChart)
    const key = screen.getByTestId('loss-chart-key')
    expect(key.getAttribute('aria-hidden')).toBe('true')
    expect([...key.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['#1', '#2 · dropout 0.5'])
  })
})
