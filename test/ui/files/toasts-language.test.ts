/**
 * Corner notices are kept as messages and translated when drawn: a toast shown in English reads in
 * Korean after the language switch (the "Opened …" toast used to stay English), and back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { OpenedProject } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import Toasts from '../../../src-renderer/components/Toasts.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { toasts } from '../../../src-renderer/lib/toasts.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, msg } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

afterEach(() => {
  i18n.set('en')
  for (const t of toasts.items) toasts.dismiss(t.id)
  project.spec = null
  trainLab.runs = []
  trainLab.currentId = null
})

describe('toasts and the language', () => {
  it('an "Opened …" toast follows a switch to Korean and back', async () => {
    const opened: OpenedProject = { fileName: 'tiny.bplab', savedAt: '2026-11-25T17:00:00Z', spec, presetId: null, hasWeights: true }
    const files = new FilesLab()
    files.connect(new FakeApi({ 'project:open': { ok: true, value: opened } }), false)
    render(Toasts)
    await files.open({ from: 'upload', fileName: 'tiny.bplab', base64: '' })
    files.toast()
    await tick()
    const toast = screen.getByTestId('toast')
    expect(toast.textContent).toContain('Opened tiny.bplab. The next training run continues from its weights.')
    i18n.set('ko')
    await tick()
    expect(toast.textContent).toContain('tiny.bplab을(를) 열었습니다.')
    expect(files.notice).toBe('tiny.bplab을(를) 열었습니다. 다음 학습은 이 가중치에서 이어집니다.')
    i18n.set('en')
    await tick()
    expect(toast.textContent).toContain('Opened tiny.bplab.')
  })

  it('an error toast keeps the host\'s detail and translates its sentence', async () => {
    const files = new FilesLab()
    files.connect(new FakeApi({ 'project:open': { ok: false, error: { code: 'bad-project', message: 'x.bplab is not a Backprop Lab project' } } }), false)
    render(Toasts)
    await files.open({ from: 'upload', fileName: 'x.bplab', base64: '' })
    files.toast()
    await tick()
    const toast = screen.getByRole('alert')
    expect(toast.textContent).toContain('This project file cannot be opened, so nothing was changed: x.bplab is not a Backprop Lab project')
    i18n.set('ko')
    await tick()
    expect(toast.textContent).toContain('이 프로젝트 파일을 열 수 없어 아무것도 바꾸지 않았습니다: x.bplab is not a Backprop Lab project')
  })

  it('the same message is shown once, however often it is reported', async () => {
    render(Toasts)
    toasts.show(msg('common.hostError', { message: 'the worker stopped' }), 'error')
    toasts.show(msg('common.hostError', { message: 'the worker stopped' }), 'error')
    toasts.show(msg('common.hostError', { message: 'another thing' }), 'error')
    await tick()
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toEqual([
      expect.stringContaining('the worker stopped'), expect.stringContaining('another thing')
    ])
  })
})
