/**
 * Which autosave the host offers (ProjectService.recovery): only one an earlier host session left (a crash, a quit
 * without saving). One this service wrote, is writing or has waiting is of a run of this session, which the page lists
 * (Continue, its runs, Save): it is never offered, however the page came to ask (a reload after a finished run, a run
 * stopped after its first epoch, a save). A run stopped before its first epoch replaced nothing, so the earlier one is
 * still offered, as it is to a page loaded again many times and to a new service on the same data folder (a restart).
 * Before, the host offered whatever file was there and the page guessed (aside, followRuns, takenBack, savedAt).
 */
import { EPOCH_REPORT, MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProjectService, type AutosaveJob } from '../../src-main/projects'
import type { Result, SavedHistory, SavedRun } from '../../src-main/ipc/contract'
import { encodeProject } from '../../src-engine/io/project'

const spec = MLP_SPEC
const settings = MLP_SETTINGS
const report = EPOCH_REPORT
const run = (id: string): SavedRun => ({ id, specName: 'MLP', settings, state: 'running', batchX: [1], batchLoss: [1], epochs: [report] })
const history = (...ids: string[]): SavedHistory => ({ runs: ids.map(run), currentId: ids.at(-1) ?? null })

const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/**
 * A service on a data folder whose stub training worker writes the autosave itself, as the real one does; `hold` keeps
 * the next write waiting until released (a write in flight), `fail` makes it fail (a full disk).
 */
function setup(dir = mkdtempSync(join(tmpdir(), 'backprop-lab-recovery-offer-'))) {
  dirs.push(dir)
  const gate: { hold: boolean; release: () => void; fail: boolean } = { hold: false, release: () => {}, fail: false }
  const host = stubModelHost(async (job: AutosaveJob): Promise<Result<unknown>> => {
    if (gate.hold) await new Promise<void>((r) => (gate.release = r))
    if (gate.fail) return { ok: false, error: { code: 'write-failed', message: 'ENOSPC: no space left on device' } }
    writeFileSync(job.path, encodeProject({ spec, settings, history: job.project.history, epoch: job.project.epoch }))
    return { ok: true, value: { written: true } }
  })
  const path = join(dir, 'recovery.bplab')
  return { p: new ProjectService(host, { dataDir: dir }), path, dir, gate }
}
/** The autosave an earlier session left: run 'crashed', after epoch 3. */
const leaveCrashed = (path: string) => writeFileSync(path, encodeProject({ spec, settings, history: history('crashed'), epoch: 3 }))
const offered = { ok: true, value: { epoch: 3, runs: 1, specName: 'MLP' } }
const none = { ok: true, value: null }

/** A run of this session that ends its first epoch: the worker's checkpoint becomes the autosave. */
async function trainOneEpoch(p: ProjectService, id: string): Promise<void> {
  p.runStarted(id, spec, settings)
  p.onWorkerCheckpoint(id, 1)
  await p.flushAutosave()
}

describe('the autosave the host offers', () => {
  it("offers an earlier session's autosave as often as it is asked (a page loaded again many times), and never its own", async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    for (let k = 0; k < 4; k++) expect(await p.recovery()).toMatchObject(offered)
    // a run of this session ends an epoch: its autosave replaces the earlier one and is the page's run, not an offer
    await trainOneEpoch(p, 'a')
    expect(await p.recovery()).toEqual(none)
    // with no earlier file at all, likewise (a reload after a finished run: the page takes the run back)
    const fresh = setup()
    await trainOneEpoch(fresh.p, 'b')
    expect(await fresh.p.recovery()).toEqual(none)
  })

  it('still offers the earlier one while a run has not ended its first epoch, and after a run stopped before it', async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    p.runStarted('a', spec, settings)
    p.track({ type: 'state', runId: 'a', state: 'running' })
    expect(await p.recovery()).toMatchObject(offered)
    p.track({ type: 'state', runId: 'a', state: 'stopped' })
    expect(await p.recovery()).toMatchObject(offered)
  })

  it('offers nothing while its own autosave is waiting or being written, and the earlier one again if that write fails', async () => {
    const { p, path, gate } = setup()
    leaveCrashed(path)
    gate.hold = true
    gate.fail = true
    p.runStarted('a', spec, settings)
    p.onWorkerCheckpoint('a', 1)
    // in flight: the earlier file is about to be replaced
    expect(await p.recovery()).toEqual(none)
    gate.release()
    await p.flushAutosave()
    expect(p.lastAutosaveError).toMatch(/no space left/)
    // the write failed: the earlier session's work is still the file on disk, offered again
    expect(await p.recovery()).toMatchObject(offered)
  })

  it('answers nothing for a check that was reading the earlier file when its own autosave replaced it', async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    const asking = p.recovery()
    p.runStarted('a', spec, settings)
    p.onWorkerCheckpoint('a', 1)
    expect(await asking).toEqual(none)
    await p.flushAutosave()
    expect(await p.recovery()).toEqual(none)
  })

  it("offers this session's autosave to the next host session on the same folder (a restart), until discarded", async () => {
    const { p, dir } = setup()
    await trainOneEpoch(p, 'a')
    expect(await p.recovery()).toEqual(none)
    // the lab went away without saving: a new service on the same data folder offers it
    const next = setup(dir)
    expect(await next.p.recovery()).toMatchObject({ ok: true, value: { epoch: 1, runs: 1 } })
    expect(next.p.discardRecovery()).toEqual(none)
    expect(await next.p.recovery()).toEqual(none)
    // a file that appears after a discard is not this session's: offered (project-races: discarded while read)
    leaveCrashed(next.path)
    expect(await next.p.recovery()).toMatchObject(offered)
  })

  it('keeps offering an earlier autosave that a save of another project left, and none after its own run is saved', async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    expect(await p.recovery()).toMatchObject(offered)
    expect(await p.save({ spec, settings, history: history('other') }, 'download')).toMatchObject({ ok: true })
    expect(await p.recovery()).toMatchObject(offered)
    // recovered, trained on and saved: the autosave is the project saved, and gone
    await trainOneEpoch(p, 'later')
    expect(await p.recovery()).toEqual(none)
    expect(await p.save({ spec, settings, history: history('crashed', 'later') }, 'download')).toMatchObject({ ok: true })
    expect(await p.recovery()).toEqual(none)
  })
})
