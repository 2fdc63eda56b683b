/**
 * A save keeps the recovery offer when the host kept the autosave (it is another session's unsaved training, not of
 * the project saved: projects.ts autosaveOf), and drops it when the host removed it (Q3's F20). Before, any save
 * dropped the offer. The host's answer after the save is the offer: it never names this session's own autosave.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RecoveryInfo, Result, SavedFile } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { FakeApi } from './fake-api'

const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const crashed: RecoveryInfo = { savedAt: '2026-11-27T07:11:26Z', epoch: 1, specName: 'SimpleConvNet', runs: 1 }
const saved: Result<SavedFile> = { ok: true, value: { fileName: 'tiny.bplab', bytes: 3, base64: 'AQID', hasWeights: false } }

afterEach(() => {
  project.spec = null
  vi.restoreAllMocks()
})

async function saveWith(after: RecoveryInfo | null): Promise<FilesLab> {
  project.spec = spec
  const answers: Record<string, Result<unknown>> = { 'project:recovery': { ok: true, value: crashed }, 'project:save': saved, 'project:recent': { ok: true, value: [] } }
  const files = new FilesLab()
  files.connect(new FakeApi(answers), false)
  await files.checkRecovery()
  expect(files.recovery).toEqual(crashed)
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
  URL.createObjectURL ??= () => 'blob:x'
  URL.revokeObjectURL ??= () => {}
  answers['project:recovery'] = { ok: true, value: after }
  expect(await files.save()).toBe(true)
  return files
}

describe('the recovery offer after a save', () => {
  it("stays when the host kept the autosave (another session's training)", async () => {
    expect((await saveWith(crashed)).recovery).toEqual(crashed)
  })

  it('goes when the host removed it (it was of the project saved)', async () => {
    expect((await saveWith(null)).recovery).toBeNull()
  })
})
