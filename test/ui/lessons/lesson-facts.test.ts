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
