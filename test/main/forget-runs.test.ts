/**
 * An experiment's clear reaches the host (Q5's F4): the finished runs it clears leave the run history that a page
 * loaded again is given (train:current) and the autosave writes, so they do not come back mixed with the experiment's
 * and renumbered. A running or paused run, or the host's live one, stays whatever is asked. And the history keeps each
 * run's network, so a page restoring it knows a language model's run and tells networks apart (M32).
 */
import { EPOCH_REPORT, MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { describe, expect, it } from 'vitest'
import { ProjectService } from '../../src-main/projects'
import { cleanHistory } from '../../src-main/ipc/project-schemas'
import type { NetSpec } from '../../src-engine/spec-types'
import type { RunState, TrainSettings } from '../../src-engine/protocol'

const spec = MLP_SPEC
const settings = MLP_SETTINGS

function service(): ProjectService {
  const host = stubModelHost(async () => ({ ok: true, value: { written: false } }))
  return new ProjectService(host, { dataDir: null })
}

/** Runs started in order, each left in its state (the host's events). */
function withRuns(p: ProjectService, runs: [string, RunState][]): void {
  for (const [id, state] of runs) {
    p.runStarted(id, spec, settings)
    p.track({ type: 'state', runId: id, state })
  }
}

describe('train:forget-runs in the host', () => {
  it('forgets the finished, stopped and failed runs asked for, and keeps the rest', () => {
    const p = service()
    withRuns(p, [['done', 'done'], ['stopped', 'stopped'], ['failed', 'failed'], ['kept', 'done'], ['paused', 'paused'], ['running', 'running']])
    const gone = p.forgetRuns(['done', 'stopped', 'failed', 'paused', 'running', 'no-such-run', 'done'], null)
    expect(gone).toEqual(['done', 'stopped', 'failed'])
    expect(p.history().runs.map((r) => r.id)).toEqual(['kept', 'paused', 'running'])
    expect(p.history().currentId).toBe('running')
  })

  it("never forgets the host's live run, even when its state here still reads as ended", () => {
    const p = service()
    withRuns(p, [['old', 'done'], ['live', 'stopped']])
    expect(p.forgetRuns(['old', 'live'], 'live')).toEqual(['old'])
    expect(p.history().runs.map((r) => r.id)).toEqual(['live'])
  })

  it('keeps the finished run whose model the host holds, so a later Continue links to a run in the history', () => {
    const p = service()
    withRuns(p, [['a', 'done'], ['b', 'done']])
    // b's model is held (the last run): the legend's Remove of both forgets only a
    expect(p.forgetRuns(['a', 'b'], null)).toEqual(['a'])
    expect(p.history()).toMatchObject({ runs: [{ id: 'b' }], currentId: 'b' })
    // a page loaded again is offered b with Continue: the continuation names a run the history has
    p.runStarted('c', spec, settings, 2)
    const runs = p.history().runs
    expect(runs.find((r) => r.id === 'c')?.continues?.runId).toBe('b')
    expect(runs.map((r) => r.id)).toEqual(['b', 'c'])
  })

  it("keeps each run's network in the history, and a project file's is kept, dropped when damaged, absent in older files", () => {
    const p = service()
    const lm: NetSpec = { name: 'Char LSTM', input: [20], vocab: 30, layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 16 }, { type: 'TimeAffine', units: 30 }, { type: 'TimeSoftmaxWithLoss' }] } as NetSpec
    p.runStarted('lm', lm, { ...settings, data: { kind: 'text', file: '/t.txt' } } as TrainSettings)
    const saved = p.history()
    expect(saved.runs[0].spec).toEqual(lm)
    // about 1 kB a run at most for the presets' networks
    expect(JSON.stringify(saved.runs[0].spec).length).toBeLessThan(1000)
    expect(cleanHistory(saved)?.runs[0].spec).toEqual(lm)
    const { spec: _spec, ...older } = saved.runs[0]
    expect(cleanHistory({ runs: [older], currentId: 'lm' })?.runs[0]).not.toHaveProperty('spec')
    const damaged = cleanHistory({ runs: [{ ...older, spec: { layers: 'many' } }], currentId: 'lm' })
    expect(damaged?.runs).toHaveLength(1)
    expect(damaged?.runs[0].spec).toBeUndefined()
  })
})
