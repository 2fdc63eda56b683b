/**
 * What a lesson says about the lab agrees with the lab: the autoencoder lesson names the loss its presets train
 * with (they end in SigmoidWithLoss, while the training page shows MSE beside the loss), in both languages.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../../src-renderer/i18n/index.svelte'
import { PRESETS } from '../../../src-engine/models/presets'
import { LESSONS } from '../../../src-renderer/lib/lessons/curriculum'

describe('the autoencoder lesson', () => {
  it('names the loss layer of every autoencoder preset and does not call that loss the mean squared error', () => {
    const losses = new Set(PRESETS.filter((p) => p.kind === 'autoencoder').map((p) => p.spec.layers[p.spec.layers.length - 1].type))
    expect([...losses]).toEqual(['SigmoidWithLoss'])
    const lesson = LESSONS.find((l) => l.id === 'autoencoder')!
    expect(lesson.tries.map((t) => t.preset)).toContain('conv-autoencoder')
    for (const lang of ['en', 'ko'] as const) {
      const text = Array.from({ length: lesson.paragraphs }, (_, i) => catalogues[lang][`lessons.autoencoder_p${i + 1}`]).join(' ')
      expect(text, lang).toContain('SigmoidWithLoss')
      expect(text, lang).not.toMatch(/pixel by pixel \(mean squared error\)|픽셀마다 비교합니다\(평균 제곱 오차\)/)
    }
  })
})

describe('the CNN lesson', () => {
  it('does not promise edge detectors from the preset’s short He-initialised run, and names the control that shows them', () => {
    // measured in the web shell (simple-convnet, its defaults, seeds 42 and 7): with He the filters still look like their
    // random start after 10 epochs; with σ = 0.01 bars and edges show after the first epoch
    const preset = PRESETS.find((p) => p.id === 'simple-convnet')!
    const conv1 = preset.spec.layers[0] as { type: string; init?: string }
    expect(conv1.type).toBe('Convolution')
    expect(conv1.init ?? 'he').toBe('he')
    expect(preset.defaults?.epochs).toBe(10)
    const lesson = LESSONS.find((l) => l.id === 'cnn')!
    for (const lang of ['en', 'ko'] as const) {
      const c = catalogues[lang]
      const text = Array.from({ length: lesson.paragraphs }, (_, i) => c[`lessons.cnn_p${i + 1}`]).join(' ')
      expect(text, lang).not.toMatch(/turn into edge and blob detectors|검출기로 바뀌고/)
      for (const words of [c['editor.option.std'], c['editor.field.init'], c['common.navEditor']]) expect(text, lang).toContain(words)
    }
  })
})
