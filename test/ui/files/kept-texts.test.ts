/**
 * A language model's uploaded text as the learner meets it: the text field names the file (not the host's copy
 * under texts/), the texts uploaded before are offered again and can be removed, a refusal belongs to the form it
 * was refused for, and a project trained on an uploaded text reopens with it, or says clearly that it is gone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import type { OpenedProject, StoredText } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import TextSource from '../../../src-renderer/components/train/TextSource.svelte'
import { keptTextName, textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const diary: StoredText = { file: '/tmp/backprop-lab-data-x/texts/일기-0123456789abcdef.txt', fileName: '일기.txt', chars: 840, vocab: 55 }
const poem: StoredText = { file: '/tmp/backprop-lab-data-x/texts/poem-2-fedcba9876543210.txt', fileName: 'poem (2).txt', chars: 120, vocab: 30 }
const lm = (name: string): NetSpec => ({ name, input: [16], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 8 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] })
const start = { ...trainLab.form }

beforeEach(() => {
  textUpload.kept = null
})
afterEach(() => {
  i18n.set('en')
  setLab(null)
  project.spec = null
  trainLab.form = { ...start }
})

describe('uploaded texts', () => {
  it('the text field shows the uploaded file\'s name, not the host\'s copy; typing a path still names a host file', async () => {
    const api = new FakeApi({ 'data:texts': { ok: true, value: [] }, 'data:text-upload': { ok: true, value: diary } })
    setLab(api)
    render(TextSource, { disabled: false })
    // the built-in text is a choice of its own, with no path box (Q3 F17)
    expect((screen.getByTestId('train-text-builtin') as HTMLInputElement).checked).toBe(true)
    expect(screen.queryByTestId('train-text-file')).toBeNull()
    expect(await textUpload.upload(api, new File(['가나다'], '일기.txt'))).toBe(true)
    await tick()
    const field = screen.getByTestId('train-text-file') as HTMLInputElement
    expect(trainLab.form.textFile).toBe(diary.file)
    expect(field.value).toBe('일기.txt')
    expect(field.value).not.toContain('texts/')
    await fireEvent.input(field, { target: { value: '/home/me/book.txt' } })
    expect(trainLab.form.textFile).toBe('/home/me/book.txt')
    expect(screen.queryByTestId('train-text-chosen')).toBeNull()
  })

  it('offers the texts uploaded before (en, ko): one is used again, one removed, and removing the one in use goes back to the built-in text', async () => {
    const api = new FakeApi({ 'data:texts': { ok: true, value: [poem, diary] }, 'data:text-remove': { ok: true, value: { removed: true } } })
    setLab(api)
    render(TextSource, { disabled: false })
    await tick(); await tick()
    const kept = screen.getByTestId('train-text-kept')
    expect(kept.textContent).toContain('Texts uploaded before')
    expect(kept.textContent).toContain('poem (2).txt')
    expect(kept.textContent).toContain('840 characters, vocabulary 55')
    await fireEvent.click(screen.getAllByRole('button', { name: 'Use' })[1])
    expect(trainLab.form).toMatchObject({ dataKind: 'text', textFile: diary.file })
    await tick()
    expect((screen.getByTestId('train-text-file') as HTMLInputElement).value).toBe('일기.txt')
    expect(kept.textContent).toContain('in use')
    i18n.set('ko')
    await tick()
    expect(kept.textContent).toContain('전에 올린 텍스트')
    expect(kept.textContent).toContain('840자, 어휘 55개')
    await fireEvent.click(screen.getByRole('button', { name: '일기.txt 파일을 실험실에서 지웁니다 (이 텍스트로 저장한 프로젝트를 열면 다시 올려 달라고 합니다)' }))
    expect(api.calls.at(-1)).toEqual({ channel: 'data:text-remove', payload: { file: diary.file } })
    expect(textUpload.kept).toEqual([poem])
    expect(trainLab.form.textFile).toBe('builtin')
    await tick()
    expect(screen.queryByTestId('train-text-missing')).toBeNull()
  })

  it('a refusal is about the form it refused for: choosing another language-model preset clears it though the path stays "builtin"', async () => {
    const api = new FakeApi({ 'data:text-upload': { ok: false, error: { code: 'bad-text', message: 'x', params: { case: 'encoding', file: 'x.txt' } } } })
    project.spec = lm('char-lstm')
    trainLab.form = { ...trainLab.form, dataKind: 'text', textFile: 'builtin' }
    expect(await textUpload.upload(api, new File([new Uint8Array([0xc7, 0xd1])], 'x.txt'))).toBe(false)
    expect(textUpload.error).not.toBeNull()
    project.spec = lm('char-rnn')
    expect(trainLab.form.textFile).toBe('builtin')
    expect(textUpload.error).toBeNull()
  })

  it('an upload that is not UTF-8 is told to upload it again, not to open it again (en, ko)', async () => {
    const api = new FakeApi({ 'data:text-upload': { ok: false, error: { code: 'bad-text', message: 'x', params: { case: 'encoding', file: 'x.txt' } } } })
    setLab(api)
    render(TextSource, { disabled: false })
    await textUpload.upload(api, new File([new Uint8Array([0xc7, 0xd1])], 'x.txt'))
    await tick()
    expect(screen.getByTestId('train-text-error').textContent).toBe('x.txt is not valid UTF-8 text; save it as UTF-8 and upload it again.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('train-text-error').textContent).toBe('x.txt 파일은 올바른 UTF-8 텍스트가 아닙니다. UTF-8로 저장한 뒤 다시 올리세요.')
  })

  it('a project trained on an uploaded text reopens with it by name; once the text is removed, opening says so (en, ko)', async () => {
    const settings: TrainSettings = { data: { kind: 'text', file: diary.file }, optimizer: 'Adam', lr: 0.01, batchSize: 16, epochs: 3, weightDecay: 0, seed: 1, threads: 1 }
    const opened: OpenedProject = { fileName: 'diary.bplab', savedAt: '2026-11-26T10:00:00Z', spec: lm('diary'), presetId: null, settings, hasWeights: false }
    const files = new FilesLab()
    files.connect(new FakeApi({ 'project:open': { ok: true, value: opened }, 'data:texts': { ok: true, value: [diary] } }), false)
    expect(await files.open({ from: 'upload', fileName: 'diary.bplab', base64: '' })).not.toBeNull()
    expect(trainLab.form.textFile).toBe(diary.file)
    expect(textUpload.shown).toBe('일기.txt')
    expect(textUpload.current).toEqual(diary)
    expect(files.error).toBeNull()
    // saved without weights: the notice does not promise to continue from them
    expect(files.notice).toBe('Opened diary.bplab. It has no trained weights, so the next training run starts from fresh ones.')

    const api = new FakeApi({ 'project:open': { ok: true, value: opened }, 'data:texts': { ok: true, value: [poem] } })
    setLab(api)
    files.connect(api, false)
    expect(await files.open({ from: 'upload', fileName: 'diary.bplab', base64: '' })).not.toBeNull()
    expect(files.error).toBe('diary.bplab trains on 일기.txt, a text uploaded before that the lab no longer keeps (it was removed). Upload it again on the training page before training.')
    render(TextSource, { disabled: false })
    await tick(); await tick()
    expect((screen.getByTestId('train-text-file') as HTMLInputElement).value).toBe('일기.txt')
    expect(screen.getByTestId('train-text-missing').textContent).toBe('일기.txt was uploaded before, but the lab no longer keeps it (it was removed). Upload it again, or choose another text.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('train-text-missing').textContent).toBe('일기.txt 파일은 전에 올렸지만 지금은 실험실에 없습니다 (지워졌습니다). 다시 올리거나 다른 텍스트를 고르세요.')
    expect(files.error).toBe('diary.bplab 프로젝트는 전에 올린 텍스트(일기.txt)\u2060로 학습하는데, 이 텍스트가 지금은 실험실에 없습니다 (지워졌습니다). 학습하기 전에 학습 페이지에서 다시 올리세요.')
  })

  it('names a kept text by its path only when it is one of texts/ (hash-named)', () => {
    expect(keptTextName(diary.file)).toBe('일기.txt')
    expect(keptTextName('C:\\Users\\me\\AppData\\texts\\poem-2-fedcba9876543210.txt')).toBe('poem-2.txt')
    expect(keptTextName('/home/me/일기-0123456789abcdef.txt')).toBeNull()
    expect(keptTextName('builtin')).toBeNull()
  })
})
