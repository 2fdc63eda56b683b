/**
 * A save removes the autosave only when the autosave is of the project saved (Q3's F20): a crashed session's unsaved
 * training, still offered by the recovery banner, outlives the save of another project; the autosave of the run
 * saved goes. The stub host writes the autosave file itself (as the worker would), so the order of events is fixed.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EPOCH_REPORT, MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { ProjectService } from '../../src-main/projects'
import type { SavedHistory, SavedRun } from '../../src-main/ipc/contract'
import { encodeProject } from '../../src-engine/io/project'

const spec = MLP_SPEC
const settings = MLP_SETTINGS
const report = EPOCH_REPORT
const run = (id: string): SavedRun => ({ id, specName: 'MLP', settings, state: 'done', batchX: [1], batchLoss: [1], epochs: [report] })
const history = (...ids: string[]): SavedHistory => ({ runs: ids.map(run), currentId: ids.at(-1) ?? null })

const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-autosave-save-'))
  dirs.push(dir)
  const host = stubModelHost(async (job) => {
    writeFileSync(job.path, encodeProject({ spec, settings, history: job.project.history, epoch: job.project.epoch }))
    return { ok: true, value: { written: true } }
  })
  const path = join(dir, 'recovery.bplab')
  return { p: new ProjectService(host, { dataDir: dir }), path }
}
/** The autosave a crashed session left: run 'crashed', one epoch. */
const leaveCrashed = (path: string) => writeFileSync(path, encodeProject({ spec, settings, history: history('crashed'), epoch: 1 }))

describe('a save and the autosave', () => {
  it("keeps another session's autosave, still offered, when a different project is saved", async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    expect(await p.recovery()).toMatchObject({ ok: true, value: { epoch: 1, runs: 1 } })
    expect(await p.save({ spec, settings, history: history('older') }, 'download')).toMatchObject({ ok: true })
    expect(existsSync(path)).toBe(true)
    expect(await p.recovery()).toMatchObject({ ok: true, value: { epoch: 1, runs: 1 } })
    // a project with no runs at all, too
    expect(await p.save({ spec }, 'download')).toMatchObject({ ok: true })
    expect(existsSync(path)).toBe(true)
  })

  it('keeps an autosave it has not read (not known to be of the project saved)', async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    expect(await p.save({ spec, settings, history: history('older') }, 'download')).toMatchObject({ ok: true })
    expect(existsSync(path)).toBe(true)
  })

  it('removes the autosave once the project saved holds its run (recovered, then saved)', async () => {
    const { p, path } = setup()
    leaveCrashed(path)
    await p.recovery()
    expect(await p.save({ spec, settings, history: history('crashed', 'later') }, 'download')).toMatchObject({ ok: true })
    expect(existsSync(path)).toBe(false)
    expect(await p.recovery()).toEqual({ ok: true, value: null })
  })

  it("removes this session's autosave when its run is saved, and keeps it when another project is", async () => {
    const { p, path } = setup()
    p.runStarted('a', spec, settings)
    p.onWorkerCheckpoint('a', 1)
    await p.flushAutosave()
    expect(existsSync(path)).toBe(true)
    await p.save({ spec, settings, history: history('b') }, 'download')
    expect(existsSync(path)).toBe(true)
    await p.save({ spec, settings, history: history('a') }, 'download')
    expect(existsSync(path)).toBe(false)
  })

  it('a damaged autosave (never offered) goes with any save', async () => {
    const { p, path } = setup()
    writeFileSync(path, 'not a project')
    expect(await p.recovery()).toEqual({ ok: true, value: null })
    await p.save({ spec }, 'download')
    expect(existsSync(path)).toBe(false)
  })
})
