/**
 * A page loaded again during a run finds it (train:current, Q1's F1): through the web shell, one page starts a run
 * and goes away (F5 closes its socket), a second page asks for the current run, gets its network, settings, state,
 * progress, curve and last snapshot, then pauses, changes the learning rate, stops it, and can start another.
 * Before train:current the second page had no way to name the run: the request was an unknown channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { startWebShell, type WebShell } from '../../src-main/web-shell'
import type { CurrentRun } from '../../src-main/ipc/contract'
import type { LabHost } from '../../src-main/lab-host'
import { fakeHost, mlpSpec, pageFolder, pageSocket, settings } from './helpers'

let dir: string
let shell: WebShell
let host: LabHost

beforeAll(async () => {
  dir = pageFolder('train-current-')
  host = fakeHost({ workerOptions: { workerData: { tickMs: 4, batches: 1000 } } })
  shell = await startWebShell({ port: 0, rendererDir: dir, labHost: host })
})
afterAll(async () => {
  await shell.close()
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const page = () => pageSocket(shell)

describe('train:current: a page loaded again takes the run over', () => {
  it('names the run to a second page, which pauses, steers and stops it, then starts another', async () => {
    const first = await page()
    const noneYet = await first.request<CurrentRun | null>('train:current')
    expect(noneYet).toEqual({ ok: true, value: null })
    const started = await first.request<{ runId: string }>('train:start', { spec: mlpSpec(), settings: settings({ epochs: 3, lr: 0.05 }) })
    expect(started.ok).toBe(true)
    const runId = started.ok ? started.value.runId : ''
    await first.state('running')
    // some batches and a snapshot have gone out, then the page is reloaded: its socket closes
    await new Promise((r) => setTimeout(r, 150))
    first.ws.close()

    const second = await page()
    const got = await second.request<CurrentRun | null>('train:current')
    expect(got.ok).toBe(true)
    const cur = got.ok ? got.value : null
    expect(cur).toMatchObject({ runId, state: 'running', spec: { name: mlpSpec().name }, settings: { epochs: 3, lr: 0.05 }, lr: 0.05, stride: 1, history: { currentId: runId } })
    const run = cur!.history.runs.find((r) => r.id === runId)!
    // the curve so far, and the latest batch point where it ends (progress: epoch 1 of 3, a mini-batch of 1000)
    expect(run.batchX.length).toBeGreaterThan(5)
    expect(cur!.last).toMatchObject({ epoch: 1, batches: 1000 })
    expect(run.batchX.at(-1)).toBeCloseTo((cur!.last!.epoch - 1) + cur!.last!.batch / cur!.last!.batches, 9)
    expect(cur!.snapshot?.filters).toMatchObject({ count: 1, h: 2, w: 2 })
    // the autosave's failure, whose event the reloaded page missed, comes with the run (its banner comes back)
    expect(cur!.autosaveFailed).toBeNull()
    const failed = { file: 'recovery.bplab', case: 'data-read-only', folder: '/data', detail: 'EROFS: read-only file system' }
    host.projects.autosaveFailure = failed
    expect(await second.request<CurrentRun | null>('train:current')).toMatchObject({ ok: true, value: { runId, autosaveFailed: failed } })
    host.projects.autosaveFailure = null

    expect((await second.request('train:pause')).ok).toBe(true)
    await second.state('paused')
    expect((await second.request('train:set-lr', { lr: 0.01 })).ok).toBe(true)
    const paused = await second.request<CurrentRun | null>('train:current')
    expect(paused.ok && paused.value).toMatchObject({ runId, state: 'paused', lr: 0.01 })
    // marked after the latest batch the page had heard, in the run's epochs
    const last = paused.ok ? paused.value!.last! : null
    expect(paused.ok && paused.value!.lrChanges).toEqual([{ x: last!.epoch - 1 + last!.batch / last!.batches, lr: 0.01 }])
    // Start is refused while the run is paused, as before; Stop (from the page that did not start it) ends it
    expect(await second.request('train:start', { spec: mlpSpec(), settings: settings() })).toMatchObject({ ok: false, error: { code: 'busy' } })
    expect((await second.request('train:stop')).ok).toBe(true)
    await second.state('stopped')
    const after = await second.request<CurrentRun | null>('train:current')
    // ended, its model still the one held: a page loaded now lists it with Continue (attach-run.ts, Q3's F6)
    expect(after.ok && after.value).toMatchObject({ runId, state: 'stopped', modelHeld: true })
    const next = await second.request<{ runId: string }>('train:start', { spec: mlpSpec(), settings: settings({ epochs: 1 }) })
    expect(next.ok).toBe(true)
    expect((await second.request('train:stop')).ok).toBe(true)
    second.ws.close()
  })
})
