/**
 * Loose ends of taking a run over (lib/attach-run.ts, lib/train.svelte.ts): a second open page takes over a run another
 * page started as soon as it hears its events (the web shell sends every page every event), asking train:current once,
 * not at all for the run it is starting itself, and not again when the host trains nothing; a reconnection that finds a
 * run over releases what waited for its end (continueAtNormalPriority hung); a control waiting for a state ("Pausing…")
 * ends with the run whatever ended it. Each case fails on the old code (noted at each).
 */
import { describe, expect, it } from 'vitest'
import type { CurrentRun, LabEvent } from '../../../src-main/ipc/contract'
import type { BatchPoint, TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { attachRun } from '../../../src-renderer/lib/attach-run'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { FakeLab, flush } from './fake-lab'

const NET: NetSpec = { name: 'Their network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 16 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.05, batchSize: 50, epochs: 3, weightDecay: 0, seed: 4, threads: 1 }
const point = (e: number, b: number): BatchPoint => ({ epoch: e, batch: b, batches: 10, loss: 1 / (e * 10 + b), examplesPerSec: 900 })
const current = (runId: string, state: CurrentRun['state'], last: BatchPoint | null): CurrentRun => ({
  runId, state, spec: NET, settings: SETTINGS, lr: 0.05, lrChanges: [], stride: 1, last, snapshot: null,
  history: { runs: [{ id: runId, specName: 'Their network', settings: SETTINGS, state, batchX: last ? [0.1] : [], batchLoss: last ? [1] : [], epochs: [] }], currentId: runId }
})
const batches = (runId: string, ...points: BatchPoint[]): LabEvent => ({ type: 'batches', runId, points })
const count = (lab: FakeLab, channel: string): number => lab.channels().filter((c) => c === channel).length

function fresh(): FakeLab {
  const lab = new FakeLab()
  trainLab.runs = []
  trainLab.currentId = null
  project.spec = NET
  project.trained = false
  editor.reset()
  trainLab.ensureConnected(lab)
  return lab
}

describe('a second page hears a run another page started', () => {
  it('takes it over once, with the events heard before the answer', async () => {
    const lab = fresh()
    // the host's answer comes after two more events: none asks again
    let answer: () => void = () => {}
    lab.handlers['train:current'] = () => new Promise((resolve) => (answer = () => resolve({ ok: true, value: current('run-x', 'running', point(1, 1)) })))
    lab.emit(batches('run-x', point(1, 1)))
    lab.emit(batches('run-x', point(1, 2)))
    lab.emit({ type: 'state', runId: 'run-x', state: 'running' })
    await flush()
    answer()
    for (let i = 0; i < 4; i++) await flush()
    // the old page held the events and asked nothing: no run listed, Pause and Stop off until a reconnection
    expect(count(lab, 'train:current')).toBe(1)
    const run = trainLab.current!
    expect(run.id).toBe('run-x')
    expect(run.state).toBe('running')
    // the point the answer held is not counted twice; the one after it is added
    expect(run.last).toEqual(point(1, 2))
    lab.emit(batches('run-x', point(1, 3)))
    expect(run.last).toEqual(point(1, 3))
    expect(count(lab, 'train:current')).toBe(1)
  })

  it('asks once when the host trains no run, and never for the run it starts itself', async () => {
    const lab = fresh()
    lab.handlers['train:current'] = () => ({ ok: true, value: null })
    for (let i = 0; i < 5; i++) lab.emit(batches('run-gone', point(1, i + 1)))
    for (let i = 0; i < 3; i++) await flush()
    for (let i = 0; i < 5; i++) lab.emit(batches('run-gone', point(2, i + 1)))
    for (let i = 0; i < 3; i++) await flush()
    expect(count(lab, 'train:current')).toBe(1)
    expect(trainLab.runs).toEqual([])
    // this page's own start: its first events come before the reply
    lab.handlers['train:start'] = async () => {
      lab.emit(batches('run-mine', point(1, 1)))
      await flush()
      return { ok: true, value: { runId: 'run-mine' } }
    }
    const run = await trainLab.start(NET)
    for (let i = 0; i < 3; i++) await flush()
    expect(run?.id).toBe('run-mine')
    expect(run?.last).toEqual(point(1, 1))
    expect(count(lab, 'train:current')).toBe(1)
    expect(trainLab.runs.map((r) => r.id)).toEqual(['run-mine'])
  })
})

describe('what waits for a run ends with it', () => {
  it('a reconnection that finds the run over releases continueAtNormalPriority', async () => {
    const lab = fresh()
    lab.echoState = false
    const run = (await trainLab.start(NET))!
    let settled = false
    const switching = trainLab.continueAtNormalPriority(NET).then((r) => ((settled = true), r))
    await flush()
    expect(settled).toBe(false)
    expect(run.pending).toBe('stop')
    // the 'stopped' event was lost with the connection; the host, asked again, has finished the run
    attachRun(current(run.id, 'done', point(3, 10)), false)
    for (let i = 0; i < 3; i++) await flush()
    // the old page kept waiting (settled false) and Stop said "Stopping…"
    expect(settled).toBe(true)
    expect(await switching).toBeNull()
    expect(trainLab.switching).toBeNull()
    expect(run.pending).toBeNull()
  })

  it('a host that trains nothing any more releases it too', async () => {
    const lab = fresh()
    lab.echoState = false
    await trainLab.start(NET)
    let settled = false
    void trainLab.continueAtNormalPriority(NET).then(() => (settled = true))
    await flush()
    expect(settled).toBe(false)
    expect(trainLab.switching).not.toBeNull()
    attachRun(null, false)
    for (let i = 0; i < 3; i++) await flush()
    expect(settled).toBe(true)
  })

  it('"Pausing…" ends when the run fails instead', async () => {
    const lab = fresh()
    lab.echoState = false
    const run = (await trainLab.start(NET))!
    await trainLab.pause()
    expect(run.pending).toBe('pause')
    lab.emit({ type: 'error', runId: run.id, code: 'worker-failed', message: 'The training thread stopped.' })
    // the old Run kept pending 'pause': the pill said "Pausing…" on a failed run, the buttons waiting
    expect(run.state).toBe('failed')
    expect(run.pending).toBeNull()
  })
})
