/**
 * The editor's note on a design that will be slow or memory-hungry to train: a 4.5-million-parameter LSTM gets
 * minutes per epoch by the rate the lab measured and "a smaller hidden size" on its LSTM (en, ko); the presets
 * get no note; a big fully connected layer's memory is named with the layer to shrink.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { presetById } from '../../../src-engine/models/presets'
import { PRESETS } from '../../../src-engine/models/presets'
import { validateSpec } from '../../../src-engine/spec'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { LabApi } from '../../../src-main/ipc/contract'
import { chosenData, costNote, epochSize, folderName, MEASURED_MACS_PER_SECOND, roughDuration, type ChosenData } from '../../../src-renderer/components/editor/cost'
import { trainLab, defaultsFor } from '../../../src-renderer/lib/train.svelte'
import { folderClasses } from '../../../src-renderer/lib/folder-classes.svelte'
import { textUpload } from '../../../src-renderer/lib/text-upload.svelte'
import { openEditor } from './helpers'

afterEach(() => {
  cleanup()
  trainLab.form = defaultsFor(null, 1)
  folderClasses.known = null
  textUpload.kept = null
})

/**
 * The char-lstm preset with a 1,024-unit LSTM: 4.5 million parameters (4 · 1024 · (64 + 1024 + 1) in the LSTM). A
 * 4,096-unit one (68 M) no longer trains here: its steps' gates for a held-out chunk of 500 windows alone are 3 GiB.
 */
const bigLstm = (): NetSpec => {
  const spec = structuredClone(presetById('char-lstm')!.spec)
  spec.vocab = 65
  for (const l of spec.layers) if (l.type === 'TimeLSTM') l.hidden = 1024
  return spec
}

describe('cost note', () => {
  it('estimates a 4.5 M-parameter LSTM at six minutes per epoch of the built-in text, from the measured rate', () => {
    const spec = bigLstm()
    const report = validateSpec(spec)
    expect(report.totalParams).toBe(4 * 1024 * (64 + 1024 + 1) + 65 * 64 + 1024 * 65 + 65)
    const note = costNote(spec, report)!
    // 250,963 training characters of the built-in text in windows of 64: 3,921 windows
    expect(note.epoch).toEqual({ examples: 3921, unit: 'windows', of: 'builtin', name: '', instead: '' })
    expect(note.exampleSeconds).toBeCloseTo(report.totalMacs / MEASURED_MACS_PER_SECOND, 9)
    // 4 · 1024 · (64 + 1024) multiply-adds per step, 64 steps, 3,921 windows, at 3.1 G a second: ~6 minutes
    expect(note.epochSeconds / 60).toBeCloseTo((4 * 1024 * 1088 * 64 + 64 * 1024 * 65) * 3921 / 3.1e9 / 60, 0)
    expect(roughDuration(note.epochSeconds)).toEqual({ n: 6, unit: 'min' })
    expect(note).toMatchObject({ slow: true, fix: 'hidden', layer: spec.layers.findIndex((l) => l.type === 'TimeLSTM') })
  })

  it('gives no note to any preset (the heaviest, Keras CNN, trains an epoch of the digits in ~18 s by the same rate)', () => {
    for (const p of PRESETS) {
      const spec = p.spec.task === 'language-model' ? { ...structuredClone(p.spec), vocab: 65 } : p.spec
      expect(costNote(spec, validateSpec(spec)), p.id).toBeNull()
    }
  })

  it('shows the note in the editor with what to change, in English and Korean', () => {
    openEditor(bigLstm())
    const note = screen.getByTestId('cost-note')
    expect(screen.getByTestId('cost-slow').textContent).toMatch(new RegExp(`^One epoch of the built-in data \\(3,921 windows of 64 characters\\) will take about 6 min: [\\d,]+ multiply-adds per example forward, .*\\(3\\.1 billion a second; yours may be faster or slower\\)\\.$`))
    expect(screen.getByTestId('cost-fix').textContent).toBe('To make it lighter: a smaller hidden size on lstm1.')
    expect(note.textContent).toContain('Heavy to train')
    cleanup()
    openEditor(bigLstm(), 'ko')
    expect(screen.getByTestId('cost-slow').textContent).toMatch(new RegExp(`^내장 데이터\\(64글자 구간 3,921개\\)\u2060로 한 에폭을 학습하는 데 약 6분 걸립니다\\..*초당 약 31억 번`))
    expect(screen.getByTestId('cost-fix').textContent).toBe('가볍게 하려면 lstm1의 은닉 크기를 줄이세요.')
  })

  it('names the memory and the layer holding it for a huge fully connected layer', () => {
    const spec: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 70000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const report = validateSpec(spec)
    const note = costNote(spec, report)!
    expect(note).toMatchObject({ hungry: true, fix: 'units', layer: 1 })
    // weights ×5; for a batch of 100 the outputs and the gradients passed back (spec-lint.ts layerFloats; the held-out
    // examples are tested in chunks of 100 in the same blocks); the kernels' 3 MiB
    const batch = 784 * 2 + (784 + 70000) + 70000 * 2 + (70000 + 10) + 10 * 2
    expect(note.memoryBytes / 2 ** 30).toBeCloseTo(((784 * 70000 + 70000 + 700010) * 20 + batch * 100 * 4 + 3 * 2 ** 20) / 2 ** 30, 2)
    openEditor(spec)
    expect(screen.getByTestId('cost-memory').textContent).toMatch(/^Training needs about 1\.\d\d GiB of memory/)
    expect(screen.getByTestId('cost-fix').textContent).toBe('To make it lighter: fewer units on affine1.')
  })

  it("times an epoch of the learner's folder or uploaded text once its size is known, and says which data it is", () => {
    const choice = (c: Partial<ChosenData>): ChosenData => ({ kind: 'mnist', folder: '/data/fashion-mnist', folderExamples: null, text: 'builtin', textChars: null, ...c })
    const lstm = bigLstm()
    const wide: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 40000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    expect(folderName('/data/fashion-mnist/')).toBe('fashion-mnist')
    expect(chosenData(wide, choice({ kind: 'idx', folderExamples: 60000 }))).toEqual({ kind: 'folder', name: 'fashion-mnist', examples: 60000 })
    // not counted yet (or unreadable): the built-in digits stand in, and the folder is named
    expect(chosenData(wide, choice({ kind: 'idx' }))).toEqual({ kind: 'builtin', instead: 'fashion-mnist' })
    // 5 MB of text: 4.5 M training characters in windows of 64
    expect(epochSize(lstm, chosenData(lstm, choice({ kind: 'text', text: 'novel.txt', textChars: 5_000_000 })))).toMatchObject({ examples: Math.floor((4_500_000 - 65) / 64) + 1, unit: 'windows', of: 'text', name: 'novel.txt' })
    expect(chosenData(lstm, choice({ kind: 'text', text: '/home/me/diary.txt' }))).toEqual({ kind: 'builtin', instead: '/home/me/diary.txt' })
    // a choice of the wrong kind for the network (the form not yet filled for it) is not timed, nor named
    expect(chosenData(lstm, choice({ kind: 'idx', folderExamples: 60000 }))).toEqual({ kind: 'builtin' })
    expect(chosenData(wide, choice({ kind: 'text', text: 'novel.txt', textChars: 9 }))).toEqual({ kind: 'builtin' })
    expect(epochSize(wide, { kind: 'folder', name: 'f', examples: 60000 })).toMatchObject({ examples: 60000, unit: 'images' })
    expect(epochSize(wide)).toMatchObject({ examples: 8000, unit: 'digits', of: 'builtin' })
  })

  it('names the chosen folder and its images in the note, or the built-in data standing in for it (en, ko)', () => {
    const spec: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Convolution', filters: 32, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Convolution', filters: 32, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const report = validateSpec(spec)
    // slow on the 60,000 images of the folder, not on the 8,000 built-in digits
    expect(costNote(spec, report)).toBeNull()
    trainLab.form = { ...defaultsFor(spec, 1), dataKind: 'idx', idxDir: '/usr/share/datasets/fashion-mnist' }
    openEditor(spec)
    expect(screen.queryByTestId('cost-note')).toBeNull()
    cleanup()
    folderClasses.known = { dir: '/usr/share/datasets/fashion-mnist', used: 10, examples: 60000 }
    openEditor(spec)
    expect(screen.getByTestId('cost-slow').textContent).toMatch(/^One epoch of your folder fashion-mnist \(60,000 images\) will take about \d+ min/)
    expect(screen.queryByTestId('cost-instead')).toBeNull()
    cleanup()
    openEditor(spec, 'ko')
    expect(screen.getByTestId('cost-slow').textContent).toMatch(/^고르신 폴더 fashion-mnist\(이미지 60,000개\)\u2060로 한 에폭을 학습하는 데 약 \d+분 걸립니다/)
  })

  it('says when the built-in text stands in for a text whose size the page does not know (en, ko)', () => {
    const lstm = bigLstm()
    trainLab.form = { ...defaultsFor(lstm, 1), textFile: '/home/me/diary.txt' }
    openEditor(lstm)
    expect(screen.getByTestId('cost-slow').textContent).toMatch(/^One epoch of the built-in data \(3,921 windows/)
    expect(screen.getByTestId('cost-instead').textContent).toBe('The size of /home/me/diary.txt is not known here, so the built-in data stands in for it.')
    cleanup()
    openEditor(lstm, 'ko')
    expect(screen.getByTestId('cost-instead').textContent).toBe('/home/me/diary.txt의 크기는 여기서 알 수 없어 내장 데이터로 대신 계산했습니다.')
    cleanup()
    textUpload.kept = [{ file: '/host/texts/diary-0123456789abcdef.txt', fileName: 'diary.txt', chars: 2_000_000, vocab: 80 }]
    trainLab.form = { ...trainLab.form, textFile: '/host/texts/diary-0123456789abcdef.txt' }
    openEditor(lstm)
    expect(screen.getByTestId('cost-slow').textContent).toMatch(/^One epoch of your text diary\.txt \(28,124 windows of 64 characters\) will take about 44 min:/)
  })

  it("keeps the folder's example count from the host's answer; an answer without one leaves it unknown", async () => {
    const answers = [{ used: 10, examples: 60000 }, { used: 10 }]
    trainLab.form = { ...trainLab.form, dataKind: 'idx', idxDir: '/data/one' }
    folderClasses.connect({ request: async () => ({ ok: true, value: answers.shift() }), onEvent: () => () => {} } as unknown as LabApi)
    await new Promise((r) => setTimeout(r, 400))
    expect(folderClasses.examplesIn('/data/one')).toBe(60000)
    trainLab.form = { ...trainLab.form, idxDir: '/data/two' }
    folderClasses.follow('idx', '/data/two')
    await new Promise((r) => setTimeout(r, 400))
    expect(folderClasses.usedBy('/data/two')).toBe(10)
    expect(folderClasses.examplesIn('/data/two')).toBeNull()
    folderClasses.connect(null)
  })
})
