/**
 * Writes into the lab's own data folder that fail (Q4's B3, B4) and failed Starts in the run history (B6):
 * - an autosave that cannot be written is told once (onAutosave, the 'autosave' event), with why and where, and told
 *   again (null) when one is written after failures; the worker's error crosses a thread as text only ("EROFS: …");
 * - a recursive mkdir under a read-only mount fails with ENOENT (seen with a bind,ro mount: "ENOENT: no such file or
 *   directory, mkdir '<data>/texts'"): the nearest existing folder says why (read-only), not "choose another folder";
 * - runs that failed before their first mini-batch are dropped before a trained run when the history is full.
 */
import { EPOCH_REPORT, MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// the read-only mount is faked at the one call that asks whether a folder can be written
const readOnly = new Set<string>()
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const accessSync = (path: string, mode?: number): void => {
    if (readOnly.has(path)) throw Object.assign(new Error(`EROFS: read-only file system, access '${path}'`), { code: 'EROFS' })
    fs.accessSync(path, mode)
  }
  return { ...fs, default: { ...fs, accessSync }, accessSync }
})

const { ProjectService, dataFolderFailure, fsFailureCase } = await import('../../src-main/projects')
import type { ErrorParams } from '../../src-main/ipc/contract'

const spec = MLP_SPEC
const settings = MLP_SETTINGS
const report = EPOCH_REPORT

const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
function setup(autosave: () => Promise<unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-data-folder-'))
  dirs.push(dir)
  const told: [string, ErrorParams | null][] = []
  const host = stubModelHost(async () => ({ ok: true, value: await autosave() }))
  const p = new ProjectService(host, { dataDir: dir, onAutosave: (runId, failed) => told.push([runId, failed]) })
  return { p, dir, told }
}

describe('an autosave that cannot be written', () => {
  it('is told once, with the data folder and why, and told again when one is written', async () => {
    let fail = true
    const { p, dir, told } = setup(async () => {
      if (fail) throw new Error(`EROFS: read-only file system, open '${dir}/.recovery.bplab.0a1b.tmp'`)
      return { written: true }
    })
    p.runStarted('a', spec, settings)
    for (const epoch of [1, 2, 3]) {
      p.onWorkerCheckpoint('a', epoch)
      await p.flushAutosave()
    }
    expect(told).toEqual([['a', { file: 'recovery.bplab', case: 'data-read-only', folder: dir, detail: expect.stringContaining('EROFS') }]])
    // kept for a page loaded again, which missed the event (train:current's autosaveFailed)
    expect(p.autosaveFailure).toEqual(told[0][1])
    fail = false
    p.onWorkerCheckpoint('a', 4)
    await p.flushAutosave()
    expect(p.autosaveFailure).toBeNull()
    p.onWorkerCheckpoint('a', 5)
    await p.flushAutosave()
    expect(told).toHaveLength(2)
    expect(told[1]).toEqual(['a', null])
    // failing again, and for the next run too (a page loaded since hears it when that run's first autosave fails)
    fail = true
    p.onWorkerCheckpoint('a', 6)
    await p.flushAutosave()
    p.runStarted('b', spec, settings)
    p.onWorkerCheckpoint('b', 1)
    await p.flushAutosave()
    p.onWorkerCheckpoint('b', 2)
    await p.flushAutosave()
    expect(told.map(([run, f]) => [run, f?.case ?? null])).toEqual([['a', 'data-read-only'], ['a', null], ['a', 'data-read-only'], ['b', 'data-read-only']])
  })

  it('a full disk and a refusal the lab has no sentence for name the data folder too', async () => {
    const { p, dir, told } = setup(async () => { throw new Error('ENOSPC: no space left on device, write') })
    p.runStarted('a', spec, settings)
    p.onWorkerCheckpoint('a', 1)
    await p.flushAutosave()
    expect(told[0][1]).toMatchObject({ case: 'data-no-space', folder: dir })
    expect(dataFolderFailure(new Error('EIO: i/o error, write'), dir)).toMatchObject({ case: 'data', folder: dir, detail: 'EIO: i/o error, write' })
  })
})

describe('a folder that cannot be made under a read-only mount', () => {
  it("is 'read-only', not a missing folder", () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-ro-'))
    dirs.push(dir)
    readOnly.add(dir)
    const texts = join(dir, 'texts')
    const e = Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${texts}'`), { code: 'ENOENT', syscall: 'mkdir', path: texts })
    expect(fsFailureCase(e, true)).toEqual({ case: 'read-only' })
    expect(dataFolderFailure(e, dir)).toMatchObject({ case: 'data-read-only', folder: dir })
    // as text only (from another thread), and a deeper missing folder
    expect(fsFailureCase(new Error(`ENOENT: no such file or directory, mkdir '${join(texts, 'a', 'b')}'`), true)).toEqual({ case: 'read-only' })
    // a writable parent: the folder is missing for another reason, which the lab does not guess
    readOnly.delete(dir)
    expect(fsFailureCase(e, true)).toEqual({})
    // an open of a missing file is not a mkdir
    readOnly.add(dir)
    expect(fsFailureCase(Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: texts }), true)).toEqual({})
  })
})

describe('failed Starts in the run history', () => {
  it('never push a trained run out of the history (six failed before a batch)', async () => {
    const { p } = setup(async () => ({ written: true }))
    p.runStarted('trained', spec, settings)
    p.track({ type: 'batches', runId: 'trained', points: [{ epoch: 1, batch: 1, batches: 10, loss: 2, examplesPerSec: 1 }] })
    p.track({ type: 'epoch', runId: 'trained', report })
    p.track({ type: 'state', runId: 'trained', state: 'done' })
    for (let i = 1; i <= 7; i++) {
      p.runStarted(`failed${i}`, spec, settings)
      p.track({ type: 'state', runId: `failed${i}`, state: 'failed', message: 'the data could not be loaded' })
    }
    const ids = p.history().runs.map((r) => r.id)
    expect(ids).toHaveLength(6)
    expect(ids[0]).toBe('trained')
    expect(ids.at(-1)).toBe('failed7')
    // trained runs still go oldest first once no failed one is left to drop
    for (let i = 1; i <= 6; i++) {
      p.runStarted(`t${i}`, spec, settings)
      p.track({ type: 'batches', runId: `t${i}`, points: [{ epoch: 1, batch: 1, batches: 10, loss: 2, examplesPerSec: 1 }] })
    }
    expect(p.history().runs.map((r) => r.id)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6'])
  })
})
