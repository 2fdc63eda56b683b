/**
 * Which toasts stay and which fade: an error the learner must act on stays until closed, a confirmation
 * fades after TOAST_MS.info; the same message again is one toast whose time starts again; a file action's
 * outcome replaces the previous action's toast.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Result, SavedFile } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { TOAST_MS, toasts } from '../../../src-renderer/lib/toasts.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { msg, tr } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const texts = (): string[] => toasts.items.map((t) => tr(t.text))

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  for (const t of toasts.items) toasts.dismiss(t.id)
  project.spec = null
  vi.useRealTimers()
})

describe('toast lifetimes', () => {
  it('a confirmation fades; an error stays until closed', () => {
    toasts.show('Saved a.bplab')
    const error = toasts.show(msg('common.hostError', { message: 'the training thread stopped' }), 'error')
    vi.advanceTimersByTime(TOAST_MS.info + 1)
    expect(texts()).toEqual([expect.stringContaining('the training thread stopped')])
    vi.advanceTimersByTime(10 * 60_000)
    expect(toasts.items).toHaveLength(1)
    toasts.dismiss(error)
    expect(toasts.items).toEqual([])
  })

  it('the same message twice is one toast, with the id it was first shown under, and its time starts again', () => {
    const first = toasts.show('Exported w.onnx')
    vi.advanceTimersByTime(TOAST_MS.info - 1000)
    toasts.show('Something else')
    expect(toasts.show('Exported w.onnx')).toBe(first)
    expect(texts()).toEqual(['Something else', 'Exported w.onnx'])
    vi.advanceTimersByTime(2000) // past the first showing's time: still there
    expect(texts()).toEqual(['Something else', 'Exported w.onnx'])
    vi.advanceTimersByTime(TOAST_MS.info)
    expect(toasts.items).toEqual([])

    const e = toasts.show('The file could not be read', 'error')
    expect(toasts.show('The file could not be read', 'error')).toBe(e)
    toasts.dismiss(e)
    expect(toasts.items).toEqual([])
  })

  it('too many at once: the fading ones make room before an error the learner has not read', () => {
    toasts.show('error 1', 'error')
    for (const n of [1, 2, 3, 4]) toasts.show(`notice ${n}`)
    expect(texts()).toEqual(['error 1', 'notice 2', 'notice 3', 'notice 4'])
  })
})

describe('a file action\'s toast', () => {
  const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

  it('a failed save stays until closed; saving again successfully replaces it with a confirmation that fades', async () => {
    project.spec = spec
    const refused: Result<SavedFile> = { ok: false, error: { code: 'save-failed', message: 'disk full', params: { detail: 'disk full' } } }
    const api = new FakeApi({ 'project:save': refused })
    const files = new FilesLab()
    files.connect(api, false)
    await files.save()
    files.toast()
    vi.advanceTimersByTime(60_000)
    expect(toasts.items.map((t) => t.kind)).toEqual(['error'])

    const saved: Result<SavedFile> = { ok: true, value: { fileName: 'tiny.bplab', bytes: 10, hasWeights: false, base64: '' } }
    ;(api as unknown as { answers: Record<string, unknown> }).answers['project:save'] = saved
    const download = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    await files.save()
    files.toast()
    expect(texts()).toEqual([expect.stringContaining('tiny.bplab')])
    expect(toasts.items[0].kind).toBe('info')
    vi.advanceTimersByTime(TOAST_MS.info + 1)
    expect(toasts.items).toEqual([])
    download.mockRestore()
  })
})
