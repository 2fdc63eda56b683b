/**
 * The editor's note on a design that will be slow or memory-hungry to train: a 67-million-parameter LSTM gets
 * hours per epoch by the rate the lab measured and "a smaller hidden size" on its LSTM (en, ko); the presets
 * get no note; a big fully connected layer's memory is named with the layer to shrink.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, screen } from '@testing-library/svelte'
import { presetById } from '../../../src-engine/models/presets'
import { PRESETS } from '../../../src-engine/models/presets'
import { validateSpec } from '../../../src-engine/spec'
import type { NetSpec } from '../../../src-engine/spec-types'
import { costNote, MEASURED_MACS_PER_SECOND, roughDuration } from '../../../src-renderer/components/editor/cost'
import { openEditor } from './helpers'

afterEach(() => cleanup())

/** The char-lstm preset with a 4,096-unit LSTM: 68 million parameters (4 · 4096 · (64 + 4096 + 1) in the LSTM). */
const bigLstm = (): NetSpec => {
  const spec = structuredClone(presetById('char-lstm')!.spec)
  spec.vocab = 65
  for (const l of spec.layers) if (l.type === 'TimeLSTM') l.hidden = 4096
  return spec
}

describe('cost note', () => {
  it('estimates a 67 M-parameter LSTM at an hour and a half per epoch of the built-in text, from the measured rate', () => {
    const spec = bigLstm()
    const report = validateSpec(spec)
    expect(report.totalParams).toBeGreaterThan(67e6)
    const note = costNote(spec, report)!
    // 250,963 training characters of the built-in text in windows of 64: 3,921 windows
    expect(note.examples).toBe(3921)
    expect(note.exampleSeconds).toBeCloseTo(report.totalMacs / MEASURED_MACS_PER_SECOND, 9)
    // 4 · 4096 · (64 + 4096) multiply-adds per step, 64 steps, 3,921 windows, at 3.1 G a second: ~92 minutes
    expect(note.epochSeconds / 60).toBeCloseTo((4 * 4096 * 4160 * 64 + 64 * 4096 * 65) * 3921 / 3.1e9 / 60, 0)
    expect(roughDuration(note.epochSeconds)).toEqual({ n: 92, unit: 'min' })
    expect(note).toMatchObject({ slow: true, kind: 'windows', fix: 'hidden', layer: spec.layers.findIndex((l) => l.type === 'TimeLSTM') })
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
    expect(screen.getByTestId('cost-slow').textContent).toMatch(new RegExp(`^One epoch of the built-in data \\(3,921 windows of 64 characters\\) will take about 92 min: [\\d,]+ multiply-adds per example forward, .*\\(3\\.1 billion a second; yours may be faster or slower\\)\\.$`))
    expect(screen.getByTestId('cost-fix').textContent).toBe('To make it lighter: a smaller hidden size on lstm1.')
    expect(note.textContent).toContain('Heavy to train')
    cleanup()
    openEditor(bigLstm(), 'ko')
    expect(screen.getByTestId('cost-slow').textContent).toMatch(new RegExp(`^내장 데이터\\(64글자 구간 3,921개\\)로 한 에폭을 학습하는 데 약 92분 걸립니다\\..*초당 약 31억 번`))
    expect(screen.getByTestId('cost-fix').textContent).toBe('가볍게 하려면 lstm1의 은닉 크기를 줄이세요.')
  })

  it('names the memory and the layer holding it for a huge fully connected layer', () => {
    const spec: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 120000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const report = validateSpec(spec)
    const note = costNote(spec, report)!
    expect(note).toMatchObject({ hungry: true, fix: 'units', layer: 1 })
    expect(note.memoryBytes / 2 ** 30).toBeCloseTo((784 * 120000 + 120000 + 1210) * 12 / 2 ** 30 + (784 + 120000 * 2 + 10 * 2) * 400 / 2 ** 30, 1)
    openEditor(spec)
    expect(screen.getByTestId('cost-memory').textContent).toMatch(/^Training needs about 1\.\d\d GiB of memory/)
    expect(screen.getByTestId('cost-fix').textContent).toBe('To make it lighter: fewer units on affine1.')
  })
})
