import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Trainer } from '../../../src-engine/train/trainer'
import { textExamples } from '../../../src-engine/train/examples'
import { evaluate } from '../../../src-engine/train/evaluate'
import { takeSnapshot } from '../../../src-engine/train/probes'
import { predictValue } from '../../../src-engine/train/inference'
import { generateText } from '../../../src-engine/models/generate'
import { loadTrainData, specForData } from '../../../src-engine/train/data'
import { textCorpus, textMinChars } from '../../../src-engine/data/text'
import { DataMismatchError } from '../../../src-engine/train/checks'
import { BUILTIN_CORPORA } from '../../../src-engine/data/files'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { Snapshot } from '../../../src-engine/protocol'
import { lab, tempDir, writeJson } from '../cli/helpers'

const CHAR_LM: NetSpec = {
  input: [8], task: 'language-model',
  layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeLSTM', hidden: 24 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
}
// A short, very regular text: a small LSTM memorises it within a few epochs.
const TEXT = 'the cat sat on the mat. '.repeat(60)

describe('language models', () => {
  it('learn to predict the next character of a text: loss and perplexity fall, token accuracy rises', async () => {
    const corpus = textCorpus(TEXT, 0.1)
    const V = corpus.vocab.chars.length
    const data = { train: textExamples(corpus.train, 8, V), test: textExamples(corpus.test, 8, V) }
    const outcome = await new Trainer({
      spec: { ...CHAR_LM, vocab: V }, data, settings: { optimizer: 'Adam', lr: 0.01, batchSize: 16, epochs: 6, seed: 2, clip: 5 }
    }).run()
    expect(outcome.state).toBe('done')
    const first = outcome.reports[0]
    const last = outcome.reports.at(-1)!
    expect(last.trainLoss).toBeLessThan(first.trainLoss * 0.5)
    expect(last.perplexity).toBeCloseTo(Math.exp(last.testLoss), 10)
    expect(last.perplexity!).toBeLessThan(first.perplexity!)
    expect(last.testAcc!).toBeGreaterThan(0.8)
    expect(last.confusion).toBeUndefined()
  })

  it('show the LSTM\'s gates over time for the probe sequence in snapshots', async () => {
    const corpus = textCorpus(TEXT, 0.1)
    const V = corpus.vocab.chars.length
    const data = { train: textExamples(corpus.train, 8, V), test: textExamples(corpus.test, 8, V) }
    const snaps: Snapshot[] = []
    const t = new Trainer({ spec: { ...CHAR_LM, vocab: V }, data, settings: { optimizer: 'Adam', lr: 0.01, batchSize: 16, epochs: 1, seed: 2 } }, (e) => {
      if (e.type === 'snapshot') snaps.push(e.snapshot)
    })
    await t.run()
    const gates = snaps.at(-1)?.gates
    expect(gates?.map((g) => [g.name, g.t, g.h])).toEqual(['f', 'g', 'i', 'o', 'c', 'h'].map((n) => [n, 8, 24]))
    // f, i, o are sigmoids; g and h are tanh-bounded.
    for (const g of gates ?? []) {
      const lo = ['f', 'i', 'o'].includes(g.name) ? 0 : -1
      for (const v of g.data) if (g.name !== 'c' && (v < lo || v > 1)) expect.fail(`${g.name} value ${v} out of range`)
    }
    expect(snaps.at(-1)?.featureMaps?.map((m) => [m.layer, m.maps.h, m.maps.w])).toEqual([['embed1', 8, 8], ['lstm1', 8, 24], ['taffine1', 8, V]])
  })

  it('set the spec\'s vocabulary from the text and refuse images for a language model', () => {
    const dir = tempDir()
    const file = join(dir, 'hangul.txt')
    writeFileSync(file, '안녕하세요 반갑습니다. '.repeat(40))
    const data = loadTrainData({ kind: 'text', file }, undefined, CHAR_LM)
    expect(data.vocab).toBe(new Set('안녕하세요 반갑습니다.').size)
    expect(specForData(CHAR_LM, data).vocab).toBe(data.vocab)
    expect(() => loadTrainData({ kind: 'mnist' }, undefined, CHAR_LM)).toThrow('this is a language model: train it on a text')
  })

  it('refuse a text too short for one window in each part with its numbers, not makeWindows\' token count (Q1 F13)', () => {
    // T = 64 (the char-LSTM preset's input): 65 characters in the nine tenths trained on and in the held-out tenth
    expect(textMinChars(64)).toBe(646)
    expect(textMinChars(8)).toBe(86)
    const dir = tempDir()
    const refused = (chars: number): unknown => {
      const file = join(dir, `t${chars}.txt`)
      writeFileSync(file, 'ab'.repeat(chars).slice(0, chars))
      try {
        loadTrainData({ kind: 'text', file }, undefined, CHAR_LM)
        return null
      } catch (e) {
        return e
      }
    }
    for (const chars of [2, 85]) {
      const e = refused(chars)
      expect(e).toBeInstanceOf(DataMismatchError)
      expect((e as DataMismatchError).facts).toEqual({ case: 'text', chars, needs: 86, T: 8, window: 9 })
      expect((e as Error).message).toMatch(new RegExp(`has ${chars} characters, too few for an input of 8: a run needs at least 86`))
    }
    // the fewest it names are enough: both parts hold a window
    expect(refused(86)).toBeNull()
    expect(textCorpus('ab'.repeat(43)).test.length).toBe(9)
  })

  it('name a built-in text as the command line does, and take any other name as a path', () => {
    const korean = loadTrainData({ kind: 'text', file: 'builtin:korean-words' }, undefined, CHAR_LM)
    expect(korean.description.startsWith(`${BUILTIN_CORPORA['korean-words'].title}: `)).toBe(true)
    expect(() => loadTrainData({ kind: 'text', file: 'builtin:moby-dick' }, undefined, CHAR_LM))
      .toThrow('No built-in corpus "moby-dick"; choose one of pride-and-prejudice, korean-words')
    // a file that happens to share a corpus's name, or an Object property's, is that file
    const dir = tempDir()
    for (const name of ['korean-words', 'constructor']) {
      const file = join(dir, name)
      writeFileSync(file, 'abcabc '.repeat(50))
      expect(loadTrainData({ kind: 'text', file }, undefined, CHAR_LM).vocab).toBe(4)
    }
  })

  it('train from the command line on a text file, printing perplexity', async () => {
    const dir = tempDir()
    const file = join(dir, 'text.txt')
    writeFileSync(file, TEXT)
    const spec = writeJson(dir, 'lm.json', CHAR_LM)
    const r = await lab('train', '--spec', spec, '--data', `text:${file}`, '--epochs', '1', '--batch', '16', '--lr', '0.01', '--json')
    expect(r.code, r.out.join('\n')).toBe(0)
    const epoch = r.events.find((e) => e.event === 'epoch') as { perplexity: number; testLoss: number }
    expect(epoch.perplexity).toBeCloseTo(Math.exp(epoch.testLoss), 10)
    expect(r.events[0]).toMatchObject({ event: 'start', data: expect.stringContaining('distinct characters') })
  })
})

describe('stateful training (truncated BPTT with carried state)', () => {
  const T = 4
  const corpus = textCorpus(TEXT, 0.1)
  const V = corpus.vocab.chars.length
  const spec: NetSpec = { ...CHAR_LM, input: [T], vocab: V }
  const settings = { optimizer: 'Adam' as const, lr: 0.01, batchSize: 8, epochs: 4, seed: 2, clip: 5 }

  it('reads the text in lanes: row n of batch k+1 continues row n of batch k', () => {
    const ex = textExamples(corpus.train, T, V)
    const batches = ex.lanes!(8)
    const lane = Math.floor(ex.n / 8)
    expect(batches).toHaveLength(lane)
    const { x: x0, t: t0 } = ex.alloc(8)
    const { x: x1, t: t1 } = ex.alloc(8)
    ex.gather(batches[0], x0, t0)
    ex.gather(batches[1], x1, t1)
    for (let n = 0; n < 8; n++) expect(x1.data[n * T]).toBe(t0.data[n * T + T - 1])
    expect(() => ex.lanes!(ex.n + 1)).toThrow('lower the batch size')
  })

  it('carries the state between batches while training, learns, and evaluates stateless', async () => {
    const data = () => ({ train: textExamples(corpus.train, T, V), test: textExamples(corpus.test, T, V) })
    const trainer = new Trainer({ spec, data: data(), settings: { ...settings, stateful: true }, snapshotEveryMs: 0 })
    const lstm = trainer.model.layers[1] as unknown as { stateful: boolean; state(): { h: Float32Array } | null }
    // drive the work one batch at a time: after the first batch the LSTM holds h for the 8 lanes
    const work = trainer.work()
    work.next()
    expect(lstm.stateful).toBe(true)
    const h1 = lstm.state()!.h.slice()
    expect(h1).toHaveLength(8 * 24)
    work.next()
    expect(lstm.state()!.h).not.toEqual(h1)
    for (let u = work.next(); !u.done; u = work.next()) { /* the rest of the run */ }
    const reports = trainer.reports
    console.info(`stateful, T = ${T}, 4 epochs: train loss ${reports.map((r) => r.trainLoss.toFixed(3)).join(' → ')}, held-out accuracy ${reports.at(-1)!.testAcc}`)
    expect(reports.at(-1)!.trainLoss).toBeLessThan(reports[0].trainLoss * 0.5)
    // held out as independent 4-character windows, whose first characters have little context
    expect(reports.at(-1)!.testAcc!).toBeGreaterThan(0.7)
    // back to the spec's own (stateless) mode for evaluation and afterwards
    expect(lstm.stateful).toBe(false)
    const noRnn: NetSpec = { input: [T], task: 'language-model', vocab: V, layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }
    expect(() => new Trainer({ spec: noRnn, data: data(), settings: { ...settings, stateful: true } })).toThrow('has no TimeRNN or TimeLSTM')
  })

  // Q2's G8: the page snapshots (a forward of the one probe sequence) between batches; that left h sized 1×H, so the
  // next batch of 8 lanes started from zero state and the page's stateful run differed from the command line's
  it.each(['TimeLSTM', 'TimeRNN'] as const)('keeps the carried state of a %s through snapshots, predictions and generated text', async (type) => {
    const rnnSpec: NetSpec = { ...spec, layers: spec.layers.map((l) => (l.type === 'TimeLSTM' ? { type, hidden: 24 } : l)) }
    const run = (snapshotEveryMs: number) => {
      let clock = 0
      const data = { train: textExamples(corpus.train, T, V), test: textExamples(corpus.test, T, V) }
      // a clock that moves 10 ms a reading: a snapshot after every batch
      return new Trainer({ spec: rnnSpec, data, settings: { ...settings, epochs: 1, stateful: true }, snapshotEveryMs, now: () => (clock += 10) })
    }
    const quiet = await run(0).run()
    const watched = await run(1).run()
    expect(watched.reports[0].trainLoss).toBe(quiet.reports[0].trainLoss)
    expect(watched.reports[0].testLoss).toBe(quiet.reports[0].testLoss)
    // between two batches: a snapshot, a prediction and generated text leave h (and c) as they were, and each
    // probe starts from zero state (the same maps twice, not the second carried on from the first)
    const trainer = run(0)
    const layer = trainer.model.layers[1] as unknown as { carried(): unknown }
    const work = trainer.work()
    work.next()
    work.next()
    const before = structuredClone(layer.carried())
    const probe = textExamples(corpus.test, T, V).input(0)
    const maps = () => takeSnapshot(trainer.model, probe).featureMaps!.find((m) => m.layer === 'lstm1' || m.layer === 'rnn1')!.maps.data
    const first = maps()
    expect(maps()).toEqual(first)
    predictValue(trainer.model, { type: 'predict', reqId: 1, input: probe, count: 1, maps: true }, () => 0)
    generateText(trainer.model, corpus.vocab, { prompt: 'the', length: 5, temperature: 1 })
    expect(layer.carried()).toEqual(before)
    expect((before as { length?: number; h?: Float32Array }).length ?? (before as { h: Float32Array }).h.length).toBe(8 * 24)
  })

  // A TimeLSTM whose own spec says stateful (the editor's checkbox), in a run that is not: its carried state must not
  // reach from the training batches into the held-out evaluation (nor back): the evaluation's chunks are of the
  // batch's size since ab18db8, so the last batch's h fitted the first chunk and the test loss depended on it
  it('evaluates a layer that is stateful by its spec from zero state, whatever the training batches carried', async () => {
    const corpus = textCorpus(TEXT, 0.1)
    const V = corpus.vocab.chars.length
    const data = { train: textExamples(corpus.train, 8, V), test: textExamples(corpus.test, 8, V) }
    const spec: NetSpec = { ...CHAR_LM, vocab: V, layers: CHAR_LM.layers.map((l) => (l.type === 'TimeLSTM' ? { ...l, stateful: true } : l)) }
    const B = data.train.n
    const t = new Trainer({ spec, data, settings: { optimizer: 'Adam', lr: 0.01, batchSize: B, epochs: 1, seed: 2 }, snapshotEveryMs: 0 })
    const out = await t.run()
    const lstm = t.model.layers[1] as unknown as { resetState(): void; stateful: boolean }
    expect(lstm.stateful).toBe(true)
    lstm.resetState()
    let e = evaluate(t.model, data.test, B)
    let r = e.next()
    while (!r.done) r = e.next()
    expect(out.reports[0].testLoss).toBe(r.value.loss)
  })
})
