/**
 * No Korean message hedges a particle as “을(를)” or “은(는)”, which a student reads as a form to fill in: the
 * lessons' rule (lessons/korean-text.test.ts) holds for the file, error and training messages too. The walk saw
 * “simpleconvnet.onnx을(를) 내보냈습니다.” after an export.
 */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src-renderer/i18n/index.svelte'

describe('every Korean message', () => {
  it('writes no hedged particle', () => {
    const hedged = Object.entries(catalogues.ko)
      .filter(([, v]) => /\((으|이|을|를|은|는|과|와|가)\)|[을은이과와](\((를|는|가|와|과)\))/.test(v))
      .map(([k, v]) => `${k}: ${v}`)
    expect(hedged).toEqual([])
  })
})
