/**
 * A project that carried its uploaded text: opened on another computer, the host keeps the text again and the
 * opened settings name it, so the training form uses it at once; a text that could not be taken back is
 * worded by why (en, ko), not as a text that was removed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import TextSource from '../../../src-renderer/components/train/TextSource.svelte'
import type { OpenedProject, StoredText, TextProblem } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const here: StoredText = { file: '/home/b/.config/backprop-lab/texts/일기-0123456789abcdef.txt', fileName: '일기.txt', chars: 840, vocab: 55 }
const lm: NetSpec = { name: 'diary', input: [16], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 8 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }
const settings = (file: string): TrainSettings => ({ data: { kind: 'text', file }, optimizer: 'Adam', lr: 0.01, batchSize: 16, epochs: 3, weightDecay: 0, seed: 1, threads: 1 })
const start = { ...trainLab.form }

afterEach(() => {
  cleanup()
  i18n.set('en')
  setLab(null)
  project.spec = null
  trainLab.form = { ...start }
  textUpload.kept = null
})

async function open(opened: OpenedProject, kept: StoredText[]): Promise<FilesLab> {
  const files = new FilesLab()
  const api = new FakeApi({ 'project:open': { ok: true, value: opened }, 'data:texts': { ok: true, value: kept } })
  setLab(api)
  files.connect(api, false)
  expect(await files.open({ from: 'upload', fileName: 'diary.bplab', base64: '' })).not.toBeNull()
  return files
}

describe('a project that carried its text', () => {
  it('trains on the text kept again here at once, with no error', async () => {
    const files = await open({ fileName: 'diary.bplab', savedAt: '', spec: lm, settings: settings(here.file), hasWeights: false, text: here }, [here])
    expect(trainLab.form.dataKind).toBe('text')
    expect(textUpload.current).toEqual(here)
    expect(files.error).toBeNull()
  })

  it('says why the text was left out and what to do, in English and Korean', async () => {
    const elsewhere = '/home/a/.config/backprop-lab/texts/일기-0123456789abcdef.txt'
    const opening = (textProblem: TextProblem) => open({ fileName: 'diary.bplab', savedAt: '', spec: lm, settings: settings(elsewhere), hasWeights: false, textProblem }, [])
    const files = await opening({ case: 'damaged', fileName: '일기.txt' })
    expect(files.error).toBe('diary.bplab opened, but the text it trains on (일기.txt) is damaged in the file (its bytes are not the ones saved), so it was left out. Upload the text again on the training page before training.')
    i18n.set('ko')
    expect(files.error).toBe('diary.bplab 프로젝트를 열었지만, 학습에 쓰는 텍스트(일기.txt)\u2060가 파일 안에서 손상되어(저장할 때의 내용과 다릅니다) 빼고 열었습니다. 학습하기 전에 학습 페이지에서 텍스트를 다시 올리세요.')
    i18n.set('en')
    expect((await opening({ case: 'too-large' })).error).toBe('diary.bplab opened, but the text it trains on (no name) is larger than the 300 MB the lab takes, so it was left out. Upload a smaller text on the training page before training.')
    expect((await opening({ case: 'write-failed', fileName: '일기.txt', detail: 'ENOSPC', fs: 'no-space' })).error).toMatch(/^diary\.bplab opened, but the text it trains on \(일기\.txt\) could not be kept on this computer/)
    i18n.set('ko')
    for (const c of ['encoding', 'empty', 'write-failed'] as const) expect((await opening({ case: c, fileName: '일기.txt' })).error).toMatch(/^diary\.bplab 프로젝트를 열었지만, 학습에 쓰는 텍스트\(일기\.txt\)/)
  })

  it('the text field says the text came with the project but was left out, not that it was removed (en, ko)', async () => {
    const elsewhere = '/home/a/.config/backprop-lab/texts/일기-0123456789abcdef.txt'
    await open({ fileName: 'diary.bplab', savedAt: '', spec: lm, settings: settings(elsewhere), hasWeights: false, textProblem: { case: 'damaged', fileName: '일기.txt' } }, [])
    render(TextSource, { disabled: false })
    await tick()
    expect(screen.getByTestId('train-text-missing').textContent).toBe('일기.txt came with the project but was left out: it is damaged in the project file. Upload it again, or choose another text.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('train-text-missing').textContent).toBe('일기.txt 텍스트는 프로젝트에 들어 있었지만 프로젝트 파일 안에서 손상되어 빠졌습니다. 다시 올리거나 다른 텍스트를 고르세요.')
    // a project opened after it, whose kept text was removed, says so again
    i18n.set('en')
    await open({ fileName: 'diary.bplab', savedAt: '', spec: lm, settings: settings(elsewhere), hasWeights: false }, [])
    await tick()
    expect(screen.getByTestId('train-text-missing').textContent).toBe('일기.txt was uploaded before, but the lab no longer keeps it (it was removed). Upload it again, or choose another text.')
  })
})
