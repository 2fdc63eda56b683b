/**
 * Text generation: temperature sampling from the seeded Rng, a small LSTM that memorises a short
 * sequence exactly, and the command line (`train --out` saves the vocabulary, `generate` reads it),
 * including a Korean text that trains and writes Hangul.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Rng } from '../../../src-engine/rng'
import type { NetSpec } from '../../../src-engine/spec-types'
import { Sequential } from '../../../src-engine/models/sequential'
import { Trainer } from '../../../src-engine/train/trainer'
import { textExamples } from '../../../src-engine/train/examples'
import { buildVocab, encode } from '../../../src-engine/data/text'
import { generateText, sampleIndex } from '../../../src-engine/models/generate'
import { decodeSafetensors, encodeSafetensors } from '../../../src-engine/io/safetensors'
import { findResource } from '../../../src-engine/data/files'
import { lab, tempDir, writeJson } from '../cli/helpers'
import { WorkerSession } from '../../../src-engine/train/session'
import { loadTrainData } from '../../../src-engine/train/data'
import type { WorkerEvent } from '../../../src-engine/protocol'
import { correctFor } from '../../../src-engine/train/replica'
import { tensor } from '../../../src-engine/tensor'

const lm = (T: number, dim: number, hidden: number): NetSpec => ({
  input: [T], task: 'language-model',
  layers: [{ type: 'TimeEmbedding', dim }, { type: 'TimeLSTM', hidden }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
})

const HANGUL = /^[\uAC00-\uD7A3]$/

describe('sampling with a temperature', () => {
  const logits = Float32Array.of(1, 3, 2, 0)

  it('takes the likeliest index at temperature 0 and follows softmax(logits / T) otherwise', () => {
    const rng = new Rng(5)
    expect(sampleIndex(logits, 0, 4, 0, rng)).toBe(1)
    const n = 20_000
    for (const T of [1, 0.5, 2]) {
      const counts = [0, 0, 0, 0]
      for (let k = 0; k < n; k++) counts[sampleIndex(logits, 0, 4, T, rng)]++
      const e = Array.from(logits, (v) => Math.exp(v / T))
      const z = e.reduce((a, b) => a + b)
      e.forEach((v, i) => expect(Math.abs(counts[i] / n - v / z), `T ${T}, index ${i}`).toBeLessThan(0.015))
    }
  })

  it('reads the scores at an offset (the last time step) and refuses a negative temperature', () => {
    const scores = Float32Array.of(9, 0, 0, 0, 0, 7)
    expect(sampleIndex(scores, 3, 3, 0, new Rng(1))).toBe(2)
    expect(() => sampleIndex(logits, 0, 4, -1, new Rng(1))).toThrow('temperature')
  })
})

describe('a small LSTM language model', () => {
  // 24 characters, several repeated ("a", "n", " "), so the next one depends on more than the current character.
  const SEQ = 'banana band and a bandana'

  it('memorises a short sequence exactly (fixed seed) and writes it back greedily from its first character', async () => {
    const vocab = buildVocab(SEQ)
    const V = vocab.chars.length
    const ids = encode(vocab, SEQ)
    const T = ids.length - 1
    const examples = textExamples(ids, T, V)
    const spec = { ...lm(T, 16, 32), vocab: V }
    const trainer = new Trainer({ spec, data: { train: examples, test: examples }, settings: { optimizer: 'Adam', lr: 0.02, batchSize: 1, epochs: 150, seed: 3, clip: 5 }, snapshotEveryMs: 0 })
    const outcome = await trainer.run()
    expect(outcome.state).toBe('done')
    const last = outcome.reports.at(-1)!
    expect(last.testAcc).toBe(1)
    const out = generateText(trainer.model, vocab, { prompt: SEQ[0], length: SEQ.length - 1, temperature: 0 })
    expect(out.prompt + out.text).toBe(SEQ)
    // The untrained network (same seed) does not: the test can fail.
    const fresh = Sequential.fromSpec(spec, new Rng(3))
    expect(SEQ[0] + generateText(fresh, vocab, { prompt: SEQ[0], length: SEQ.length - 1, temperature: 0 }).text).not.toBe(SEQ)
  })

  it('has its next-token hits counted by data-parallel replicas too (train accuracy with --threads 2)', () => {
    const model = Sequential.fromSpec({ ...lm(2, 4, 4), vocab: 3 }, new Rng(1))
    const scores = tensor([1, 2, 3], Float32Array.of(0, 1, 0, 0, 0, 1))
    expect(correctFor(model)(scores, tensor([1, 2], Float32Array.of(1, 0)))).toBe(1)
  })

  it('generates the same text for the same seed, another for another seed, and restores the layers\' mode', () => {
    const vocab = buildVocab('abcdefgh ')
    const model = Sequential.fromSpec({ ...lm(8, 4, 8), vocab: vocab.chars.length }, new Rng(1))
    const a = generateText(model, vocab, { prompt: 'abc', length: 40, temperature: 1.5, seed: 7 })
    const b = generateText(model, vocab, { prompt: 'abc', length: 40, temperature: 1.5, seed: 7 })
    const c = generateText(model, vocab, { prompt: 'abc', length: 40, temperature: 1.5, seed: 8 })
    expect(a.text).toHaveLength(40)
    expect(b.text).toBe(a.text)
    expect(c.text).not.toBe(a.text)
    expect((model.layers[1] as unknown as { stateful: boolean }).stateful).toBe(false)
    expect(generateText(model, vocab, { prompt: '', length: 5, temperature: 1 }).text).toHaveLength(5)
    expect(() => generateText(model, vocab, { prompt: 'abz', length: 5, temperature: 1 })).toThrow('"z" (U+007A) at position 2 is not in the vocabulary')
  })
})

describe('the command line: train --out saves the vocabulary, generate writes text', () => {
  it('trains on a Korean text file and generates Hangul from a Hangul prompt', async () => {
    const dir = tempDir()
    const src = findResource('corpus', 'korean-words.txt')
    expect(src).not.toBeNull()
    // the first 12,000 characters of the built-in Korean word list, as a file the learner opened
    const file = join(dir, '단어.txt')
    const korean = readFileSync(src!, 'utf8').slice(0, 12_000)
    writeFileSync(file, korean)
    const spec = writeJson(dir, 'lm.json', lm(16, 16, 48))
    const weights = join(dir, 'ko.safetensors')
    const t = await lab('train', '--spec', spec, '--data', `text:${file}`, '--epochs', '2', '--batch', '32', '--lr', '0.01', '--clip', '5', '--seed', '1', '--out', weights, '--json')
    expect(t.code, t.out.join('\n')).toBe(0)
    const meta = decodeSafetensors(readFileSync(weights)).metadata
    const chars = JSON.parse(meta.vocab) as string[]
    expect(chars).toContain('가')
    expect(chars).toContain('\n')

    const g = await lab('generate', '--weights', weights, '--prompt', '가', '--length', '200', '--temperature', '0.8', '--seed', '4', '--json')
    expect(g.code, g.out.join('\n')).toBe(0)
    const done = g.events.at(-1) as { event: string; prompt: string; text: string; length: number }
    expect(done).toMatchObject({ event: 'done', prompt: '가', length: 200 })
    const text = [...done.text]
    expect(text).toHaveLength(200)
    for (const ch of text) expect(chars).toContain(ch)
    // Hangul syllables, with line breaks between words about as often as in the list
    const share = (cs: string[]): number => cs.filter((ch) => HANGUL.test(ch)).length / cs.length
    console.info(`Korean words, 2 epochs: generated ${JSON.stringify(done.text.slice(0, 80))}…, Hangul share ${share(text).toFixed(3)} (text ${share([...korean]).toFixed(3)})`)
    expect(share(text)).toBeGreaterThan(0.75 * share([...korean]))
    expect(text).toContain('\n')
    // the same seed writes the same text; plain output prints prompt + text
    const again = await lab('generate', '--weights', weights, '--prompt', '가', '--length', '200', '--temperature', '0.8', '--seed', '4')
    expect(again.out.join('\n')).toBe('가' + done.text)
  })

  it('explains a missing vocabulary, a prompt outside it, an image model and a bad temperature', async () => {
    const dir = tempDir()
    const text = join(dir, 'abc.txt')
    writeFileSync(text, 'abc abd abe '.repeat(20))
    const spec = writeJson(dir, 'lm.json', lm(8, 4, 8))
    const weights = join(dir, 'lm.safetensors')
    expect((await lab('train', '--spec', spec, '--data', `text:${text}`, '--epochs', '1', '--batch', '8', '--out', weights)).code).toBe(0)

    const outside = await lab('generate', '--weights', weights, '--prompt', 'abz', '--json')
    expect(outside.code).toBe(1)
    expect(outside.events.at(-1)).toMatchObject({ event: 'error', code: 'generate', message: expect.stringContaining('"z"') })

    // the same tensors without the vocabulary
    const file = decodeSafetensors(readFileSync(weights))
    const { vocab: _v, ...meta } = file.metadata
    const bare = join(dir, 'bare.safetensors')
    writeFileSync(bare, encodeSafetensors(Object.fromEntries(Object.entries(file.tensors)), meta))
    const novocab = await lab('generate', '--weights', bare, '--json')
    expect(novocab.code).toBe(1)
    expect(novocab.events.at(-1)).toMatchObject({ event: 'error', code: 'no-vocab' })

    const mlp = join(dir, 'mlp.safetensors')
    const digits = writeJson(dir, 'tiny.json', { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })
    expect((await lab('train', '--spec', digits, '--epochs', '1', '--out', mlp)).code).toBe(0)
    const m = await lab('generate', '--weights', mlp, '--json')
    expect(m.code).toBe(1)
    expect(m.events.at(-1)).toMatchObject({ event: 'error', code: 'no-vocab' })

    const badT = await lab('generate', '--weights', weights, '--temperature', '-1', '--json')
    expect(badT.code).toBe(2)
  })
})

describe('the worker session: "generate" with the model of the last run', () => {
  it('writes text after a language model trained on a text, and explains why it cannot otherwise', async () => {
    const dir = tempDir()
    const file = join(dir, 'abc.txt')
    writeFileSync(file, 'abc abd abe '.repeat(30))
    const events: WorkerEvent[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: loadTrainData })
    const reply = (reqId: number): WorkerEvent | undefined => events.find((e) => e.type === 'reply' && e.reqId === reqId)
    s.handle({ type: 'generate', reqId: 1, prompt: 'ab', length: 10, temperature: 1, seed: 1 })
    expect(reply(1)).toMatchObject({ ok: false, code: 'no-model' })
    s.handle({ type: 'generate', reqId: 2, prompt: 'ab', length: -1, temperature: 1, seed: 1 })
    expect(reply(2)).toMatchObject({ ok: false, code: 'bad-command' })

    s.handle({ type: 'start', runId: 'r', spec: lm(8, 4, 16), settings: { data: { kind: 'text', file }, optimizer: 'Adam', lr: 0.01, batchSize: 8, epochs: 2, weightDecay: 0, seed: 1, threads: 1 } })
    await s.running
    s.handle({ type: 'generate', reqId: 3, prompt: 'ab', length: 30, temperature: 0.5, seed: 2 })
    const r = reply(3) as { ok: true; value: { prompt: string; text: string } }
    expect(r.ok).toBe(true)
    expect(r.value.prompt).toBe('ab')
    expect(r.value.text).toMatch(/^[abcde ]{30}$/)
    s.handle({ type: 'generate', reqId: 4, prompt: 'abxy', length: 5, temperature: 1, seed: 1 })
    // the character and its position travel as data (the page words them), the English message says the same
    expect(reply(4)).toMatchObject({ ok: false, code: 'bad-prompt', message: expect.stringContaining('"x"'), params: { case: 'char', char: 'x', position: 2 } })

    // an image classifier does not write
    s.handle({ type: 'start', runId: 'r2', spec: { input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }, settings: { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 } })
    await s.running
    s.handle({ type: 'generate', reqId: 5, prompt: '', length: 5, temperature: 1, seed: 1 })
    expect(reply(5)).toMatchObject({ ok: false, code: 'not-language-model' })
  })
})

describe('the worker session: "generate" with a model opened from a file', () => {
  it('writes with the vocabulary that came with load-model, and says no-vocab without one', () => {
    const events: WorkerEvent[] = []
    const s = new WorkerSession((e) => events.push(e), { loadData: loadTrainData })
    const chars = ['a', 'b', 'c', ' ']
    const spec = { ...lm(8, 4, 8), vocab: chars.length }
    const weights = Object.fromEntries(Object.entries(Sequential.fromSpec(spec, new Rng(4)).weights()).map(([k, t]) => [k, t.data]))
    s.handle({ type: 'load-model', reqId: 1, spec, weights })
    s.handle({ type: 'generate', reqId: 2, prompt: 'ab', length: 5, temperature: 1, seed: 1 })
    expect(events.find((e) => e.type === 'reply' && e.reqId === 2)).toMatchObject({ ok: false, code: 'no-vocab' })
    s.handle({ type: 'load-model', reqId: 3, spec, weights, vocab: chars })
    s.handle({ type: 'generate', reqId: 4, prompt: 'ab', length: 5, temperature: 1, seed: 1 })
    const r = events.find((e) => e.type === 'reply' && e.reqId === 4) as { ok: boolean; value: { text: string } }
    expect(r.ok).toBe(true)
    expect(r.value.text).toMatch(/^[abc ]{5}$/)
  })
})
