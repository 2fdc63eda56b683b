import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { tick } from 'svelte'
import { TextUpload, textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import TextSource from '../../../src-renderer/components/train/TextSource.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from '../files/fake-api'
import { project } from '../../../src-renderer/lib/project.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import { renderControls, resetControls } from './controls'

const start = { ...trainLab.form }
const specBefore = project.spec
afterEach(() => {
  i18n.set('en')
  trainLab.form = { ...start }
  project.spec = specBefore
})

describe('a text uploaded for a language model', () => {
  it('sends the file as an upload; the form then trains on the host\'s copy, and its facts show while the form names it', async () => {
    const stored = { file: '/data/texts/diary-0123456789abcdef.txt', fileName: '일기.txt', chars: 840, vocab: 55 }
    const api = new FakeApi({ 'data:text-upload': { ok: true, value: stored } })
    const u = new TextUpload()
    expect(await u.upload(api, new File([new TextEncoder().encode('가나다')], '일기.txt'))).toBe(true)
    expect(api.calls).toEqual([{ channel: 'data:text-upload', payload: { from: 'upload', fileName: '일기.txt', bytes: new TextEncoder().encode('가나다') } }])
    expect(trainLab.form.dataKind).toBe('text')
    expect(trainLab.form.textFile).toBe(stored.file)
    expect(u.current).toEqual(stored)
    trainLab.form = { ...trainLab.form, textFile: 'builtin' }
    expect(u.current).toBeNull()
  })

  it('a refused file leaves the form as it was and says why, in the page\'s language', async () => {
    const api = new FakeApi({ 'data:text-upload': { ok: false, error: { code: 'bad-text', message: 'x.txt is not valid UTF-8 text; save it as UTF-8 and open it again', params: { case: 'encoding', file: 'x.txt' } } } })
    const u = new TextUpload()
    const before = trainLab.form.textFile
    expect(await u.upload(api, new File([new Uint8Array([0xc7, 0xd1])], 'x.txt'))).toBe(false)
    expect(trainLab.form.textFile).toBe(before)
    expect(tr(u.error!)).toBe('x.txt is not valid UTF-8 text; save it as UTF-8 and upload it again.')
    i18n.set('ko')
    expect(tr(u.error!)).toBe('x.txt 파일은 올바른 UTF-8 텍스트가 아닙니다. UTF-8로 저장한 뒤 다시 올리세요.')
    // once the form names another text (a path typed), the refusal is no longer about it
    trainLab.form = { ...trainLab.form, textFile: '/home/me/other.txt' }
    expect(u.error).toBeNull()
  })

  it('a refusal after a text was uploaded leaves that text chosen, and the page says both', async () => {
    const stored = { file: '/data/texts/a-0123456789abcdef.txt', fileName: 'a.txt', chars: 12, vocab: 5 }
    render(TextSource, { disabled: false })
    expect(await textUpload.upload(new FakeApi({ 'data:text-upload': { ok: true, value: stored } }), new File(['hello world\n'], 'a.txt'))).toBe(true)
    const refusing = new FakeApi({ 'data:text-upload': { ok: false, error: { code: 'bad-text', message: 'empty.txt is empty', params: { case: 'empty', file: 'empty.txt' } } } })
    expect(await textUpload.upload(refusing, new File([], 'empty.txt'))).toBe(false)
    await tick()
    expect(screen.getByTestId('train-text-error').textContent).toContain('empty.txt is empty')
    expect(screen.getByTestId('train-text-chosen').textContent).toBe('a.txt: 12 characters, 5 different ones (the vocabulary size)')
  })

  it('a text too short for the network\'s input length is said at upload, with the numbers and what to change (Q1 F13)', async () => {
    const lm = PRESETS.find((p) => p.id === 'char-lstm')!.spec
    expect(lm.input).toEqual([64])
    project.spec = lm
    render(TextSource, { disabled: false })
    const tiny = { file: '/data/texts/tiny-0123456789abcdef.txt', fileName: 'tiny.txt', chars: 2, vocab: 2 }
    expect(await textUpload.upload(new FakeApi({ 'data:text-upload': { ok: true, value: tiny } }), new File(['ab'], 'tiny.txt'))).toBe(true)
    await tick()
    expect(screen.getByTestId('train-text-chosen').textContent).toBe('tiny.txt: 2 characters, 2 different ones (the vocabulary size)')
    expect(screen.getByTestId('train-text-error').textContent).toBe('The text has 2 characters, too few for this network’s input length 64: a run needs at least 646, ' +
      'a window of 65 characters to train on and one more in the last tenth, held out to test. Upload a longer text, or shorten the input length (T) on the Architecture page.')
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('train-text-error').textContent).toContain('이 텍스트는 2자뿐이라 이 신경망의 입력 길이 64에 비해 너무 짧습니다. 적어도 646자가 있어야 합니다.')
    // a shorter input makes it long enough (T = 1 needs 16: a window of 2 in each part); so does another text
    project.spec = { ...lm, input: [1] }
    textUpload.kept = [{ ...tiny, chars: 15 }]
    await tick()
    expect(textUpload.tooShort).not.toBeNull()
    textUpload.kept = [{ ...tiny, chars: 16 }]
    await tick()
    expect(screen.queryByTestId('train-text-error')).toBeNull()
    project.spec = lm
    trainLab.form = { ...trainLab.form, textFile: 'builtin' }
    await tick()
    expect(screen.queryByTestId('train-text-error')).toBeNull()
  })

  it('keeps Start disabled while the text is too short for the network it would train (Q1 F13)', async () => {
    const lm = PRESETS.find((p) => p.id === 'char-lstm')!.spec
    const tiny = { file: '/data/texts/tiny-0123456789abcdef.txt', fileName: 'tiny.txt', chars: 2, vocab: 2 }
    // the training page trains the editor's network
    project.spec = lm
    try {
      await renderControls(lm)
      const startButton = (): HTMLButtonElement => screen.getByTestId('train-start') as HTMLButtonElement
      expect(startButton().disabled).toBe(false)
      textUpload.kept = [tiny]
      textUpload.use(tiny)
      await tick()
      expect(startButton().disabled).toBe(true)
      expect(screen.getByTestId('train-text-error').textContent).toContain('too few for this network’s input length 64')
      trainLab.form = { ...trainLab.form, textFile: 'builtin' }
      await tick()
      expect(startButton().disabled).toBe(false)
    } finally {
      resetControls()
      textUpload.kept = null
    }
  })

  it('keeps Start disabled while a stateful run\'s text has fewer windows than its mini-batch size, saying what to change (en, ko)', async () => {
    const lm = PRESETS.find((p) => p.id === 'char-lstm')!.spec
    // 800 characters: 11 windows of 64 in the 720 trained on, for 20 lanes (data/text-lanes.ts, as the host refuses it)
    const short = { file: '/data/texts/short-0123456789abcdef.txt', fileName: 'short.txt', chars: 800, vocab: 2 }
    project.spec = lm
    try {
      await renderControls(lm)
      const startButton = (): HTMLButtonElement => screen.getByTestId('train-start') as HTMLButtonElement
      textUpload.kept = [short]
      textUpload.use(short)
      trainLab.form = { ...trainLab.form, batchSize: 20, stateful: false }
      await tick()
      expect(startButton().disabled).toBe(false)
      // the old page let it start, and the run failed with the engine's "stateful training cuts the text into 20 lanes…"
      trainLab.form = { ...trainLab.form, stateful: true }
      await tick()
      expect(startButton().disabled).toBe(true)
      expect(screen.getByTestId('train-text-error').textContent).toBe('Stateful training cuts the text into 20 lanes, one for each example of a mini-batch, read side by side, ' +
        'but the part of this text it trains on holds only 11 windows of 64 characters. Lower the mini-batch size to 11 or fewer, untick “Stateful”, or use a text of at least 1,423 characters.')
      i18n.set('ko')
      await tick()
      expect(screen.getByTestId('train-text-error').textContent).toContain('미니배치 크기를 11 이하로 줄이거나, "상태 유지"를 끄거나, 적어도 1,423자인 텍스트를 쓰세요.')
      trainLab.form = { ...trainLab.form, batchSize: 11 }
      await tick()
      expect(startButton().disabled).toBe(false)
      expect(screen.queryByTestId('train-text-error')).toBeNull()
    } finally {
      resetControls()
      textUpload.kept = null
    }
  })

  it('the built-in text is a choice of its own, one click back from a file or a cleared box; the form still says builtin (Q3 F17)', async () => {
    render(TextSource, { disabled: false })
    const builtin = screen.getByTestId('train-text-builtin') as HTMLInputElement
    const own = screen.getByTestId('train-text-own') as HTMLInputElement
    expect(builtin.closest('label')!.textContent!.trim()).toBe('Built-in text: Pride and Prejudice, chapters 1–28 (278,848 characters, vocabulary 74)')
    expect([builtin.checked, own.checked]).toEqual([true, false])
    // no path box holding the English keyword
    expect(screen.queryByTestId('train-text-file')).toBeNull()
    await fireEvent.click(own)
    expect(trainLab.form.textFile).toBe('')
    const box = screen.getByTestId('train-text-file') as HTMLInputElement
    expect(box.value).toBe('')
    // an empty box trains on the built-in text, as before: said beside it
    expect(screen.getByTestId('train-text-none').textContent).toBe('No file named yet: upload one or type its path. Until then a run trains on the built-in text.')
    expect(box.getAttribute('aria-describedby')).toBe('train-text-none')
    await fireEvent.input(box, { target: { value: '/home/me/book.txt' } })
    expect(trainLab.form.textFile).toBe('/home/me/book.txt')
    expect(screen.queryByTestId('train-text-none')).toBeNull()
    await fireEvent.click(builtin)
    expect(trainLab.form.textFile).toBe('builtin')
    expect(screen.queryByTestId('train-text-file')).toBeNull()
    // the file chosen again is the one named before
    await fireEvent.click(own)
    expect((screen.getByTestId('train-text-file') as HTMLInputElement).value).toBe('/home/me/book.txt')
    // a learner who cleared the box gets the built-in text back with one click
    await fireEvent.input(screen.getByTestId('train-text-file'), { target: { value: '' } })
    expect(own.checked).toBe(true)
    await fireEvent.click(builtin)
    expect(trainLab.form.textFile).toBe('builtin')
    expect(builtin.checked).toBe(true)
    i18n.set('ko')
    await tick()
    expect(screen.getByTestId('train-text-source').querySelector('legend')!.textContent).toBe('학습할 텍스트')
    expect(builtin.closest('label')!.textContent!.trim()).toBe('내장 텍스트: 《오만과 편견》 1–28장 (278,848자, 어휘 74개)')
    expect(own.closest('label')!.textContent!.trim()).toBe('내 텍스트 파일')
  })
})
