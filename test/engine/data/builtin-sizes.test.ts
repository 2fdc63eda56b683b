/**
 * The cost note (src-renderer/components/editor/cost.ts) times an epoch before any data is loaded, from the engine's
 * own constants: the built-in digits and text it counts must be the ones the engine loads, cut as a run cuts them; the
 * editor sizes a language model's vocabulary layers by the built-in text's vocabulary.
 */
import { describe, expect, it } from 'vitest'
import { presetById } from '../../../src-engine/models/presets'
import { loadTrainData } from '../../../src-engine/train/data'
import { loadBuiltinCorpus, loadBuiltinMnist } from '../../../src-engine/data/files'
import { BUILTIN_DIGITS } from '../../../src-engine/data/mnist-builtin'
import { BUILTIN_TEXT_CHARS, BUILTIN_TEXT_VOCAB, textCounts } from '../../../src-engine/data/text'
import type { NetSpec } from '../../../src-engine/spec-types'
import { epochSize } from '../../../src-renderer/components/editor/cost'

const cnn = presetById('simple-convnet')!.spec

describe("the built-in data's size as the cost note counts it", () => {
  it('is the number of digits and characters the engine loads', () => {
    expect(loadBuiltinMnist().n).toBe(BUILTIN_DIGITS)
    expect(textCounts(loadBuiltinCorpus()).chars).toBe(BUILTIN_TEXT_CHARS)
  })

  it("is the vocabulary a run on the built-in text gets, as the editor sizes a language model's layers by it", () => {
    expect(loadTrainData({ kind: 'text', file: 'builtin' }, undefined, presetById('char-lstm')!.spec).vocab).toBe(BUILTIN_TEXT_VOCAB)
  })

  it("gives an epoch of the examples a run trains on: the digits' training part, the text's windows for each T", () => {
    expect(epochSize(cnn).examples).toBe(loadTrainData({ kind: 'mnist' }).train.n)
    const lstm = presetById('char-lstm')!.spec
    for (const T of [lstm.input[0], 1, 7, 100]) {
      const spec: NetSpec = { ...lstm, input: [T] }
      expect(epochSize(spec).examples, `T = ${T}`).toBe(loadTrainData({ kind: 'text', file: 'builtin' }, undefined, spec).train.n)
    }
  })
})
