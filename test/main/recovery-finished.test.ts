/**
 * project:recovery says when the autosave's run had trained all its epochs (Q8's F7), so the banner does not offer to
 * "continue where training stopped": the last epoch's autosave is written while the run still reads 'running', so its
 * epoch tells; a run cut off part-way is not finished, and a continued run counts the epochs before it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EPOCH_REPORT, MLP_SETTINGS, MLP_SPEC, stubModelHost } from '../helpers/model-host'
import { ProjectService } from '../../src-main/projects'
import type { SavedRun } from '../../src-main/ipc/contract'
import type { RunState } from '../../src-engine/protocol'
import { encodeProject } from '../../src-engine/io/project'

const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

async function offered(state: RunState, epoch: number, continues?: SavedRun['continues']) {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lab-recovery-finished-'))
  dirs.push(dir)
  const run: SavedRun = { id: 'r', specName: 'MLP', settings: MLP_SETTINGS, state, batchX: [1], batchLoss: [1], epochs: [EPOCH_REPORT], ...(continues ? { continues } : {}) }
  writeFileSync(join(dir, 'recovery.bplab'), encodeProject({ spec: MLP_SPEC, settings: MLP_SETTINGS, history: { runs: [run], currentId: 'r' }, epoch }))
  const r = await new ProjectService(stubModelHost(async () => ({ ok: true, value: { written: true } })), { dataDir: dir }).recovery()
  if (!r.ok || !r.value) throw new Error('no autosave offered')
  return r.value
}

describe('the autosave of a finished run', () => {
  it('is finished after the last epoch (still running when written) and when done', async () => {
    expect((await offered('running', 2)).finished).toEqual({ epochs: 2 })
    expect((await offered('done', 2)).finished).toEqual({ epochs: 2 })
  })
  it('is not finished part-way, and a continued run counts the epochs before it', async () => {
    expect((await offered('running', 1)).finished).toBeUndefined()
    expect((await offered('stopped', 1)).finished).toBeUndefined()
    expect((await offered('running', 3, { runId: 'x', epochOffset: 2 })).finished).toBeUndefined()
    expect((await offered('running', 4, { runId: 'x', epochOffset: 2 })).finished).toEqual({ epochs: 4 })
  })
})
