/**
 * Hostile metadata in a weights file to import (projects.ts fileVocabSize, H6's file): seeded values where the
 * file's spec gives its vocabulary size. The answer must be a size or a refusal naming what the file gives, never a
 * throw (importWeights does not catch one: the dispatcher would answer 'internal').
 */
import { describe, expect, it } from 'vitest'
import { fileVocabSize } from '../../src-main/projects'
import type { NetSpec } from '../../src-engine/spec-types'
import { hostileValue, seeded } from '../engine/io/fuzz-mutate'

const lm: NetSpec = { input: [8], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }
const file = (vocab: string): { tensors: Record<string, { shape: number[] }>; metadata: Record<string, string> } => ({ tensors: { 'timeembedding1.W': { shape: [5, 4] } }, metadata: { spec: `{"vocab":${vocab}}` } })

describe('weights metadata fuzz', () => {
  it('200 hostile vocabulary sizes in a file\'s spec are a size or a refusal, never a throw', () => {
    const failures: string[] = []
    for (let seed = 1; seed <= 200; seed++) {
      const v = JSON.stringify(hostileValue(seeded(seed))) ?? 'null'
      try {
        const r = fileVocabSize(lm, file(v), 'w.safetensors')
        if (!r.ok && (typeof r.got !== 'string' || r.got.length > 10_000)) failures.push(`seed ${seed}: got ${String(r.got).slice(0, 40)}… (${String(r.got).length} characters)`)
      } catch (e) {
        failures.push(`seed ${seed}: threw ${(e as Error).message}`)
      }
    }
    expect(failures).toEqual([])
  })

  // projects.ts fileVocabSize worded what the file gives with JSON.stringify: a vocabulary nested 100,000 deep overflowed
  // the stack there, and importWeights let it through (the dispatcher answered 'internal')
  it('a vocabulary size nested 100,000 deep is refused, not a stack overflow', () => {
    const r = fileVocabSize(lm, file('['.repeat(100_000) + ']'.repeat(100_000)), 'w.safetensors')
    expect(r).toEqual({ ok: false, got: 'a list nested too deep to read', from: 'spec' })
  })
})
