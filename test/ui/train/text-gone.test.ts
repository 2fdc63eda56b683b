/**
 * An uploaded text chosen on the training page and deleted (or moved) afterwards: Start asks the host again which texts
 * it keeps, so the text field says the text is gone, and the host's refusal is worded in the page's language (en, ko).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import { textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import type { NetSpec } from '../../../src-engine/spec-types'
import { renderControls, resetControls, settle } from './controls'

const lm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const diary = { file: '/data/texts/오늘-일기-0123456789abcdef.txt', fileName: '오늘 일기.txt', chars: 84_000, vocab: 55 }
const specBefore = project.spec

afterEach(() => {
  resetControls()
  textUpload.kept = null
  project.spec = specBefore
  setLab(null)
})

describe('an uploaded text gone by Start', () => {
  it('says beside the text that the lab no longer keeps it, and the refusal says what to do', async () => {
    project.spec = lm
    const fake = await renderControls(lm)
    setLab(fake)
    // the host's list, asked for again at Start, no longer holds it; its Start refuses it
    fake.handlers['data:texts'] = () => ({ ok: true, value: [] })
    fake.handlers['train:start'] = () => ({
      ok: false, error: { code: 'train-failed', path: 'settings.data.file', message: 'Training did not start: …', params: { case: 'text-gone', name: '오늘 일기.txt' } }
    })
    textUpload.kept = [diary]
    textUpload.use(diary)
    await tick()
    expect(screen.queryByTestId('train-text-missing')).toBeNull()
    await fireEvent.click(screen.getByTestId('train-start'))
    await settle()
    // the old page asked nothing at Start: the text still showed as chosen, with its counts. Named as it was uploaded,
    // not as the host's file ('오늘-일기.txt')
    expect(fake.channels()).toContain('data:texts')
    expect(screen.queryByTestId('train-text-chosen')).toBeNull()
    expect(screen.getByTestId('train-text-missing').textContent).toBe('오늘 일기.txt was uploaded before, but the lab no longer keeps it (it was removed). Upload it again, or choose another text.')
    expect(tr(trainLab.error!)).toBe('Training did not start: the lab no longer keeps the uploaded text 오늘 일기.txt (it was removed, or moved out of the lab’s folder). Upload it again, or choose another text.')
    i18n.set('ko')
    expect(tr(trainLab.error!)).toBe('학습을 시작하지 않았습니다. 전에 올린 오늘 일기.txt 텍스트가 이제 실험실에 없습니다(지워졌거나 실험실 폴더 밖으로 옮겨졌습니다). 다시 올리거나 다른 텍스트를 고르세요.')
  })

  it('a path on the host with no file: the refusal names it and what to do (en, ko)', async () => {
    const fake = await renderControls(lm)
    fake.handlers['train:start'] = () => ({
      ok: false, error: { code: 'train-failed', path: 'settings.data.file', message: 'Training did not start: …', params: { case: 'text-file', file: '/home/me/notes.txt' } }
    })
    await trainLab.start(lm)
    expect(tr(trainLab.error!)).toBe('Training did not start: there is no text file /home/me/notes.txt on the computer running the lab. Check its path, upload the text from this computer, or choose the built-in text.')
    i18n.set('ko')
    expect(tr(trainLab.error!)).toBe('학습을 시작하지 않았습니다. 실험실이 돌아가는 컴퓨터에 /home/me/notes.txt 텍스트 파일이 없습니다. 경로를 확인하거나, 이 컴퓨터에서 텍스트를 올리거나, 내장 텍스트를 고르세요.')
  })
})
