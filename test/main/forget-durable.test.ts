/**
 * Forgetting runs is durable at once (train:forget-runs): the autosave on disk was written before the forget and still
 * lists the runs, so a crash before its next write offered them back in the recovery offer, and a recovery brought them
 * back into the run list. The host now writes a side file of the runs forgotten (recovery-forgotten.json) that the offer
 * and a recovery's open honour, removed once an autosave made after the forget is on disk (or the autosave is saved or
 * discarded). Each case fails on the previous projects.ts (no side file: the crashed session's offer counts 2 runs).
 */
import { MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FORGOTTEN_FILE, ProjectService, type AutosaveJob } from '../../src-main/projects'
import type { OpenedProject, RecoveryInfo, Result, SavedHistory } from '../../src-main/ipc/contract'
import { decodeProject, encodeProject } from '../../src-engine/io/project'

const spec = MLP_SPEC
const settings = MLP_SETTINGS
const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/**
 * A service on a data folder whose stub worker writes the autosave; `hold` keeps the next write waiting until released,
 * `fail` fails the writes.
 */
function setup(dir = mkdtempSync(join(tmpdir(), 'backprop-lab-forget-durable-'))) {
  dirs.push(dir)
  const gate = { hold: false, release: () => {}, fail: false }
  const host = stubModelHost(async (job: AutosaveJob): Promise<Result<unknown>> => {
    if (gate.hold) {
      gate.hold = false
      await new Promise<void>((r) => (gate.release = r))
    }
    if (gate.fail) throw new Error('ENOSPC: no space left on device')
    writeFileSync(job.path, encodeProject({ spec, settings, history: job.project.history, epoch: job.project.epoch }))
    return { ok: true, value: { written: true } }
  })
  return { p: new ProjectService(host, { dataDir: dir }), dir, gate, path: join(dir, 'recovery.bplab'), side: join(dir, FORGOTTEN_FILE) }
}

/** Runs started and ended in order; the last one's checkpoint after epoch 1 is asked for (not awaited). */
function trained(p: ProjectService, ...ids: string[]): void {
  for (const id of ids) {
    p.runStarted(id, spec, settings)
    p.track({ type: 'state', runId: id, state: 'done' })
  }
  p.onWorkerCheckpoint(ids.at(-1)!, 1)
}

/** What the next host session on the same folder (after a crash) offers and recovers. */
async function afterCrash(dir: string): Promise<{ offer: RecoveryInfo | null; runs: string[] | null }> {
  const next = setup(dir).p
  const offer = await next.recovery()
  if (!offer.ok || !offer.value) return { offer: null, runs: null }
  const opened = (await next.open({ from: 'recovery' })) as Result<OpenedProject>
  return { offer: offer.value, runs: opened.ok ? opened.value.history?.runs.map((r) => r.id) ?? [] : null }
}

const historyOnDisk = (path: string) => (decodeProject(new Uint8Array(readFileSync(path))).history as SavedHistory | undefined)?.runs.map((r) => r.id)

describe('forgotten runs and the autosave on disk', () => {
  it('a crash right after the forget does not offer the forgotten run back', async () => {
    const { p, dir, path, side } = setup()
    trained(p, 'a', 'b')
    await p.flushAutosave()
    expect(historyOnDisk(path)).toEqual(['a', 'b'])
    expect(p.forgetRuns(['a'], null)).toEqual(['a'])
    await p.forgottenWritten()
    // the autosave itself is not rewritten (its weights): the side file answers for it
    expect(historyOnDisk(path)).toEqual(['a', 'b'])
    expect(JSON.parse(readFileSync(side, 'utf8'))).toMatchObject({ ids: ['a'] })
    const got = await afterCrash(dir)
    expect(got.offer).toMatchObject({ runs: 1 })
    expect(got.runs).toEqual(['b'])
  })

  it('answers for an autosave being written when the forget came, and goes once one made after it is written', async () => {
    const { p, dir, gate, path, side } = setup()
    gate.hold = true
    trained(p, 'a', 'b')
    // the write of b's checkpoint (listing a) is under way: a is forgotten meanwhile
    p.forgetRuns(['a'], null)
    await p.forgottenWritten()
    gate.release()
    await p.flushAutosave()
    expect(historyOnDisk(path)).toEqual(['a', 'b'])
    expect((await afterCrash(dir)).runs).toEqual(['b'])
    // b's next epoch: an autosave made after the forget, which lists only b, and the side file is gone
    p.onWorkerCheckpoint('b', 2)
    await p.flushAutosave()
    await p.forgottenWritten()
    expect(historyOnDisk(path)).toEqual(['b'])
    expect(existsSync(side)).toBe(false)
  })

  it("keeps an earlier session's forgotten runs in the side file while this session's first autosave is on its way", async () => {
    const earlier = setup()
    trained(earlier.p, 'a', 'b')
    await earlier.p.flushAutosave()
    earlier.p.forgetRuns(['a'], null)
    await earlier.p.forgottenWritten()
    // that session crashed; the next one on the folder trains, and forgets a run while its first autosave is written
    const { p, dir, gate, path, side } = setup(earlier.dir)
    gate.hold = true
    gate.fail = true
    trained(p, 'c', 'd')
    p.forgetRuns(['c'], null)
    await p.forgottenWritten()
    // the old service wrote ['c'] over ['a']: a failed write then left the earlier autosave offering a back
    expect(JSON.parse(readFileSync(side, 'utf8'))).toMatchObject({ ids: ['a', 'c'] })
    gate.release()
    await p.flushAutosave()
    expect(historyOnDisk(path)).toEqual(['a', 'b'])
    const got = await afterCrash(dir)
    expect(got.offer).toMatchObject({ runs: 1 })
    expect(got.runs).toEqual(['b'])
  })

  it('takes the forgotten run out of the autosave waiting to be written', async () => {
    const { p, path, gate, side } = setup()
    gate.hold = true
    trained(p, 'a', 'b')
    // a second checkpoint waits behind the first (a copy of the history, listing a)
    p.onWorkerCheckpoint('b', 2)
    p.forgetRuns(['a'], null)
    gate.release()
    await p.flushAutosave()
    await p.forgottenWritten()
    expect(historyOnDisk(path)).toEqual(['b'])
    expect(existsSync(side)).toBe(false)
  })

  it("offers nothing when the run of the autosave's weights was forgotten", async () => {
    const { p, dir } = setup()
    trained(p, 'a')
    await p.flushAutosave()
    // another run starts and fails before its first epoch: its model is held, a (the autosave's run) can be forgotten
    p.runStarted('b', spec, settings)
    p.track({ type: 'state', runId: 'b', state: 'failed' })
    expect(p.forgetRuns(['a'], null)).toEqual(['a'])
    await p.forgottenWritten()
    expect((await afterCrash(dir)).offer).toBeNull()
  })

  it('writes nothing when no autosave of this session lists them, and a discard removes the side file', async () => {
    const quiet = setup()
    quiet.p.runStarted('a', spec, settings)
    quiet.p.track({ type: 'state', runId: 'a', state: 'done' })
    quiet.p.runStarted('b', spec, settings)
    quiet.p.forgetRuns(['a'], null)
    await quiet.p.forgottenWritten()
    expect(existsSync(quiet.side)).toBe(false)

    const { p, side, path } = setup()
    trained(p, 'a', 'b')
    await p.flushAutosave()
    p.forgetRuns(['a'], null)
    await p.forgottenWritten()
    expect(existsSync(side)).toBe(true)
    p.discardRecovery()
    await p.forgottenWritten()
    expect(existsSync(side)).toBe(false)
    expect(existsSync(path)).toBe(false)
  })
})
