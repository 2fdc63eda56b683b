/**
 * Corner notices are kept as messages and translated when drawn: a toast shown in English reads in
 * Korean after the language switch (the "Opened …" toast used to stay English), and back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { OpenedProject, Result } from '../../../src-main/ipc/contract'
import type { NetSpec } from '../../../src-engine/spec-types'
import Toasts from '../../../src-renderer/components/Toasts.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { toasts } from '../../../src-renderer/lib/toasts.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, msg, type Lang } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

afterEach(() => {
  i18n.set('en')
  for (const t of toasts.items) toasts.dismiss(t.id)
  project.spec = null
  trainLab.runs = []
  trainLab.currentId = null
})

/** Opens a project through a host that answers `answer`, shows the result as a toast and returns it. */
async function openAndToast(answer: Result<OpenedProject>): Promise<{ files: FilesLab; toast: HTMLElement }> {
  const files = new FilesLab()
  files.connect(new FakeApi({ 'project:open': answer }), false)
  render(Toasts)
  await files.open({ from: 'upload', fileName: answer.ok ? answer.value.fileName : 'x.bplab', base64: '' })
  files.toast()
  await tick()
  return { files, toast: screen.getByTestId('toast') }
}

async function switchTo(lang: Lang): Promise<void> {
  i18n.set(lang)
  await tick()
}

describe('toasts and the language', () => {
  it('an "Opened …" toast follows a switch to Korean and back', async () => {
    const opened: OpenedProject = { fileName: 'tiny.bplab', savedAt: '2026-11-25T17:00:00Z', spec, presetId: null, hasWeights: true }
    const { files, toast } = await openAndToast({ ok: true, value: opened })
    expect(toast.textContent).toContain('Opened tiny.bplab. The next training run continues from its weights.')
    await switchTo('ko')
    expect(toast.textContent).toContain('tiny.bplab 프로젝트를 열었습니다.')
    expect(files.notice).toBe('tiny.bplab 프로젝트를 열었습니다. 다음 학습은 이 가중치에서 이어집니다.')
    await switchTo('en')
    expect(toast.textContent).toContain('Opened tiny.bplab.')
  })

  it('an error toast words the host\'s refusal in the current language, and follows a switch', async () => {
    const { toast } = await openAndToast({ ok: false, error: { code: 'bad-project', message: 'x.bplab is not a Backprop Lab project', params: { file: 'x.bplab' } } })
    expect(toast.getAttribute('role')).toBe('alert')
    expect(toast.textContent).toContain('x.bplab is not a Backprop Lab project, or it is damaged, so nothing was changed: open a .bplab file saved by the lab.')
    await switchTo('ko')
    expect(toast.textContent).toContain('x.bplab 파일은 Backprop Lab 프로젝트가 아니거나 손상되어서 아무것도 바꾸지 않았습니다. 실험실이 저장한 .bplab 파일을 여세요.')
    expect(toast.textContent).not.toContain('is not')
  })

  it('an error toast the page cannot word keeps the host\'s words after a translated lead', async () => {
    const { toast } = await openAndToast({ ok: false, error: { code: 'melted', message: 'x.bplab melted' } })
    expect(toast.textContent).toContain('That did not work: x.bplab melted')
    await switchTo('ko')
    expect(toast.textContent).toContain('실패했습니다: x.bplab melted')
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
