/**
 * The overfitting experiment: its three networks and settings, the run queue that trains them one
 * after another through the training page's state (a fake host), the summary of the train/test gap,
 * and the legend names that tell the three runs apart.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { validateSpec } from '../../../src-engine/spec'
import type { EpochReport, TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import {
  overfit, overfitRuns, overfitSettings, overfitSpec, overfitSummary, OVERFIT_DECAY, OVERFIT_KINDS
} from '../../../src-renderer/lib/lessons/overfit.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { runName } from '../../../src-renderer/components/train/run-label'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, flush } from '../train/fake-lab'

const NAMES = { plain: 'MLP 200-200', dropout: 'MLP 200-200 + dropout 0.5', decay: 'MLP 200-200' }
/**
 * The queue goes on when a run's state changes, and each start goes through the editor and the training
 * page's state, so on a loaded 2-core machine a step can take seconds: the waits poll for the condition for up to
 * WAIT ms (they still fail when it never comes), and the test has time for three of them.
 */
const WAIT = 20_000
// trainAcc: measured after the epoch (trainEvalAcc); the running figure during it is lower, as with dropout, and not summed up
const rep = (epoch: number, trainAcc: number, testAcc: number): EpochReport => ({ epoch, trainLoss: 0.1, trainAcc: trainAcc - 0.2, trainEvalAcc: trainAcc, testLoss: 0.5, testAcc, seconds: 1 })

afterEach(() => {
  overfit.stop()
  setLab(null)
  project.trained = false
  project.weightsChoice = null
  project.page = 'editor'
  if (editor.pending) editor.resolvePending('cancel')
})

describe('overfitting experiment', () => {
  it('trains one wide MLP three ways on 1,000 digits: as it is, with dropout, with weight decay', () => {
    const runs = overfitRuns(NAMES, 2)
    expect(runs).toHaveLength(3)
    const specs = runs.map((r) => (r.net as { spec: NetSpec }).spec)
    for (const s of specs) expect(validateSpec(s).issues.filter((i) => i.severity === 'error')).toEqual([])
    // 784·200 + 200 + 200·200 + 200 + 200·10 + 10 weights: far more than 1,000 examples pin down
    expect(validateSpec(specs[0]).totalParams).toBe(199_210)
    expect(specs[1].layers.filter((l) => l.type === 'Dropout')).toEqual([{ type: 'Dropout', rate: 0.5 }, { type: 'Dropout', rate: 0.5 }])
    expect(specs[2]).toEqual(specs[0])
    // the same data split, seed and schedule; only the weight decay differs
    const strip = (s: TrainSettings): TrainSettings => ({ ...s, weightDecay: 0 })
    expect(runs.map((r) => strip(r.settings))).toEqual([0, 1, 2].map(() => strip(runs[0].settings)))
    expect(runs.map((r) => r.settings.weightDecay)).toEqual([0, 0, OVERFIT_DECAY])
    expect(overfitSettings('plain', 2).testFraction).toBe(0.9)
    expect(overfitSpec('dropout', 'x').name).toBe('x')
  })

  it('runs the three one after another in the editor and on the training page, and sums up the gap', async () => {
    const fake = new FakeLab()
    setLab(fake)
    trainLab.ensureConnected(fake)
    await flush()
    await overfit.run(NAMES)
    expect(project.page).toBe('train')
    for (const [i, runId] of ['run-1', 'run-2', 'run-3'].entries()) {
      await expect.poll(() => fake.calls.filter((c) => c.channel === 'train:start').length, { timeout: WAIT }).toBe(i + 1)
      // the run's network is the one in the editor, and the experiment answered the keep-or-fresh question itself
      expect(project.spec?.name).toBe(NAMES[OVERFIT_KINDS[i]])
      expect(editor.pending).toBeNull()
      fake.emit({ type: 'epoch', runId, report: rep(1, 0.9, 0.85) })
      fake.emit({ type: 'epoch', runId, report: rep(2, i === 0 ? 1 : 0.95, i === 0 ? 0.86 : 0.89) })
      fake.emit({ type: 'state', runId, state: 'done' })
    }
    await expect.poll(() => overfit.running, { timeout: WAIT }).toBe(false)
    const starts = fake.calls.filter((c) => c.channel === 'train:start').map((c) => c.payload as { spec: NetSpec; settings: TrainSettings; from?: string })
    expect(starts.map((s) => s.spec.layers.some((l) => l.type === 'Dropout'))).toEqual([false, true, false])
    expect(starts.map((s) => s.settings.weightDecay)).toEqual([0, 0, OVERFIT_DECAY])
    expect(starts.every((s) => s.from === undefined)).toBe(true)
    const rows = overfitSummary(overfit.started)
    expect(rows.map((r) => r.kind)).toEqual(['plain', 'dropout', 'decay'])
    expect(rows[0].gap).toBeCloseTo(0.14, 6)
    expect(rows[1]).toMatchObject({ epochs: 2, trainAcc: 0.95, testAcc: 0.89, testLoss: 0.5 })
    // the legend tells the three runs apart by their dropout and weight decay, in the page's language: one network
    // with and without dropout is one comparison (run-label.ts sameNetwork), so its title, made in the language of the
    // day, is not shown
    const names = overfit.started.map((r) => runName(r, trainLab.runs))
    expect(names[0]).toBe('#1 Adam · lr 0.001 · mini-batch 50')
    expect(names[1]).toBe('#2 Adam · lr 0.001 · mini-batch 50 · dropout 0.5')
    expect(names[2]).toBe('#3 Adam · lr 0.001 · mini-batch 50 · weight decay 0.01')
    // named among runs of one network, a run's name leaves the network out
    expect(runName(overfit.started[0], [overfit.started[0]])).toBe('#1 Adam · lr 0.001 · mini-batch 50')
    i18n.set('ko')
    expect(runName(overfit.started[2], trainLab.runs)).toContain('가중치 감소 0.01')
    i18n.set('en')
  }, 4 * WAIT)

  it('goes on when a run ends before its start reply came, and ends when the learner stops a run', async () => {
    const fake = new FakeLab()
    setLab(fake)
    trainLab.ensureConnected(fake)
    // a new FakeLab numbers its runs from run-1 again: forget the last test's runs of those ids
    trainLab.runs = []
    await flush()
    // the first run is over before the page hears it started: trainLab holds its events and replays them
    const start = fake.handlers['train:start']!
    fake.handlers['train:start'] = (p) => {
      const reply = start(p) as { ok: true; value: { runId: string } }
      fake.emit({ type: 'state', runId: reply.value.runId, state: 'done' })
      fake.handlers['train:start'] = start
      return reply
    }
    await overfit.run(NAMES)
    await expect.poll(() => fake.calls.filter((c) => c.channel === 'train:start').length, { timeout: WAIT }).toBe(2)
    expect(overfit.running).toBe(true)
    // the learner stops the second: no third run starts
    fake.emit({ type: 'state', runId: 'run-2', state: 'stopped' })
    await expect.poll(() => overfit.running, { timeout: WAIT }).toBe(false)
    await flush()
    expect(fake.calls.filter((c) => c.channel === 'train:start')).toHaveLength(2)
  }, 2 * WAIT)

  it('asks in place before replacing a model the learner trained, then starts from fresh weights, or not at all', async () => {
    // Before, the experiment loaded its network into the editor and left the learner on the editor page with its
    // keep-or-fresh question; once answered, nothing started (and "keep" would have started run 1 alone from the old weights).
    const fake = new FakeLab()
    setLab(fake)
    trainLab.ensureConnected(fake)
    trainLab.runs = []
    await flush()
    project.spec = overfitSpec('plain', 'mine')
    project.trained = true
    project.page = 'lessons'
    await overfit.run(NAMES)
    expect(overfit.asking).toBe(true)
    expect(overfit.running).toBe(false)
    expect(project.page).toBe('lessons')
    expect(project.spec?.name).toBe('mine')
    expect(editor.pending).toBeNull()
    expect(fake.calls.some((c) => c.channel === 'train:start')).toBe(false)
    // "not now": the learner's model and network stay, nothing trains
    overfit.cancel()
    expect(overfit.asking).toBe(false)
    expect(project.trained).toBe(true)
    expect(project.spec?.name).toBe('mine')
    // asked again, and this time the go-ahead: run 1 starts from the seed's weights, not from the model
    project.weightsChoice = 'keep'
    await overfit.run(NAMES)
    expect(overfit.asking).toBe(true)
    expect(await overfit.go()).toBe(true)
    expect(overfit.asking).toBe(false)
    expect(project.page).toBe('train')
    expect(editor.pending).toBeNull()
    await expect.poll(() => fake.calls.filter((c) => c.channel === 'train:start').length, { timeout: WAIT }).toBe(1)
    const first = fake.calls.find((c) => c.channel === 'train:start')!.payload as { spec: NetSpec; from?: string }
    expect(first.spec.name).toBe(NAMES.plain)
    expect(first.from).toBeUndefined()
  }, 2 * WAIT)
})
