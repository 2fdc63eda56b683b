import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Trainer } from '../../../src-engine/train/trainer'
import { loadTrainData, specForData } from '../../../src-engine/train/data'
import { subset } from '../../../src-engine/data/dataset'
import { encodeProject } from '../../../src-engine/io/project'
import { encodeSafetensors } from '../../../src-engine/io/safetensors'
import { encodeWeightsFile } from '../../../src-engine/cli/weights-file'
import { confusionText, evalChunk, EVAL_CHUNK_MAX, perClass } from '../../../src-engine/cli/evaluate'
import { engineMemory } from '../../../src-engine/kernels/gemm'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { EpochReport } from '../../../src-engine/protocol'
import { lab, tempDir, writeJson } from './helpers'

// A teacher scores handed-in models (Q5's F10): `evaluate` gives the numbers the app showed for the same weights.
const dir = tempDir()
const MLP: NetSpec = {
  name: 'hand-in mlp', input: [1, 28, 28],
  layers: [{ type: 'Affine', units: 24 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]
}
const OTHER: NetSpec = { ...MLP, name: 'other', layers: [{ type: 'Affine', units: 12 }, ...MLP.layers.slice(1)] }

/** One epoch on 1,000 of the built-in training digits, judged by the trainer on the usual 2,000 held-out (once for the file). */
let once: Promise<{ trainer: Trainer; report: EpochReport }> | null = null
function trained(): Promise<{ trainer: Trainer; report: EpochReport }> {
  once ??= train()
  return once
}
async function train(): Promise<{ trainer: Trainer; report: EpochReport }> {
  const digits = loadTrainData({ kind: 'mnist' })
  const train = subset(digits.train as Parameters<typeof subset>[0], Array.from({ length: 1000 }, (_, i) => i))
  const trainer = new Trainer({ spec: MLP, settings: { optimizer: 'SGD', lr: 0.1, batchSize: 50, epochs: 1, seed: 2 }, data: { train, test: digits.test }, snapshotEveryMs: 0 })
  const { reports } = await trainer.run()
  return { trainer, report: reports[0] }
}

type ScoreEvent = { event: 'score'; file: string; loss: number; acc: number; confusion: { classes: number; counts: number[] }; perClass: number[]; examples: number }

describe('command line: evaluate', () => {
  it('scores a safetensors file and a .bplab project as the trainer did, and a batch reports a bad file on its line', async () => {
    const { trainer, report } = await trained()
    const st = join(dir, 'ana.safetensors')
    writeFileSync(st, encodeWeightsFile(trainer.model))
    const project = join(dir, 'ben.bplab')
    writeFileSync(project, encodeProject({ spec: MLP, settings: { batchSize: 50 }, weights: trainer.model.weights() }))

    for (const file of [st, project]) {
      const r = await lab('evaluate', '--weights', file, '--json')
      expect(r.code, r.out.join('\n')).toBe(0)
      const s = r.events.find((e) => e.event === 'score') as ScoreEvent
      expect(s.examples).toBe(2000)
      expect(s.loss).toBeCloseTo(report.testLoss, 5)
      expect(s.acc).toBe(report.testAcc)
      expect(s.confusion).toEqual(report.confusion)
      const K = 10
      for (let i = 0; i < K; i++) {
        const row = s.confusion.counts.slice(i * K, (i + 1) * K)
        expect(s.perClass[i]).toBeCloseTo(row[i] / row.reduce((a, b) => a + b, 0), 12)
      }
    }

    // the readable form: the headline, then the matrix with each class's accuracy
    const h = await lab('evaluate', '--weights', project)
    expect(h.code).toBe(0)
    expect(h.out.join('\n')).toContain(`${project} (hand-in mlp): held-out loss ${report.testLoss.toFixed(4)}, accuracy ${(report.testAcc! * 100).toFixed(2)}%`)
    expect(h.out.join('\n')).toContain('confusion matrix (rows: true class, columns: predicted)')

    // a batch: a corrupt file and another network's project are reported on their lines, the others still score
    const corrupt = join(dir, 'cara.bplab')
    const bytes = encodeProject({ spec: MLP, weights: trainer.model.weights() })
    writeFileSync(corrupt, bytes.subarray(0, bytes.length - 40))
    const other = join(dir, 'dan.bplab')
    // a student who changed the network after training and saved another's weights with it
    writeFileSync(other, encodeProject({ spec: OTHER, weights: trainer.model.weights() }))
    const b = await lab('evaluate', '--weights', st, corrupt, other, project, '--json')
    expect(b.code).toBe(1)
    const lines = b.events.filter((e) => e.event === 'score' || e.event === 'failed')
    expect(lines.map((e) => [e.event, e.file])).toEqual([['score', st], ['failed', corrupt], ['failed', other], ['score', project]])
    expect(String(lines[2].message)).toContain('do not fit its architecture')
    expect(b.events.at(-1)).toEqual({ event: 'done', count: 4, failed: 2 })
    const t = await lab('evaluate', '--weights', st, corrupt, project)
    expect(t.code).toBe(1)
    const text = t.out.join('\n')
    expect(text).toContain(`${corrupt}: not scored: `)
    expect(text).toMatch(new RegExp(`${project.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +hand-in mlp +${report.testLoss.toFixed(4)} +${(report.testAcc! * 100).toFixed(2)}%`))
    expect(text).toContain('2 of 3 files scored; 1 could not be (see above)')

    // a class's folder: each file's engine memory is given back before the next (no turn of the event loop between
    // them returns it), so ten hand-ins cut no more blocks than one
    const mem = engineMemory()!
    await lab('evaluate', '--weights', st, project)
    const one = mem.blockBytes.bytes
    await lab('evaluate', '--weights', ...new Array<string>(10).fill(st))
    expect(mem.blockBytes.bytes - one).toBeLessThan(1e6)
  })

  it('evaluates a project trained with batches of 4,096 in chunks of at most 100, with the figures of a batch of 50', async () => {
    const { trainer, report } = await trained()
    const scores: ScoreEvent[] = []
    for (const batchSize of [50, 4096]) {
      const file = join(dir, `batch-${batchSize}.bplab`)
      writeFileSync(file, encodeProject({ spec: MLP, settings: { batchSize }, weights: trainer.model.weights() }))
      const r = await lab('evaluate', '--weights', file, '--json')
      expect(r.code, r.out.join('\n')).toBe(0)
      scores.push(r.events.find((e) => e.event === 'score') as ScoreEvent)
    }
    expect(scores[1].loss).toBeCloseTo(report.testLoss, 5)
    expect(scores[1].acc).toBe(scores[0].acc)
    expect(scores[1].confusion).toEqual(scores[0].confusion)
    // the chunk: the batch size up to 100 (a chunk of 4,096 holds every layer's activations for 4,096 examples)
    expect(evalChunk(4096, 60000)).toBe(EVAL_CHUNK_MAX)
    expect(EVAL_CHUNK_MAX).toBe(100)
    expect(evalChunk(undefined, 60000)).toBe(100)
    expect(evalChunk(16, 60000)).toBe(16)
    expect(evalChunk(4096, 7)).toBe(7)
  })

  it('takes a .bplab project as --weights for predict and export too, and says when a project has no trained weights', async () => {
    const { trainer } = await trained()
    const project = join(dir, 'eve.bplab')
    writeFileSync(project, encodeProject({ spec: MLP, weights: trainer.model.weights() }))
    const npz = join(dir, 'eve.npz')
    const e = await lab('export', '--weights', project, '--npz', npz, '--json')
    expect(e.code, e.out.join('\n')).toBe(0)
    expect(e.events[0]).toMatchObject({ event: 'written', format: 'npz', arrays: ['affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'] })
    const fresh = join(dir, 'fresh.bplab')
    writeFileSync(fresh, encodeProject({ spec: MLP }))
    const r = await lab('evaluate', '--weights', fresh)
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toContain(`${fresh} is a project with no trained weights (it was saved before training)`)
  })

  it('scores a language model project on the text it carries: the trainer\'s loss and perplexity; another text is refused', async () => {
    const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran']
    let seed = 7
    const story = Array.from({ length: 400 }, () => words[(seed = (seed * 48271) % 2147483647) % words.length]).join(' ')
    const storyPath = join(dir, 'story.txt')
    writeFileSync(storyPath, story)
    const lm: NetSpec = {
      name: 'tiny rnn', input: [12], task: 'language-model',
      layers: [{ type: 'TimeEmbedding', dim: 8 }, { type: 'TimeRNN', hidden: 16 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }]
    }
    const data = loadTrainData({ kind: 'text', file: storyPath }, undefined, lm)
    const spec = specForData(lm, data)
    const trainer = new Trainer({ spec, settings: { optimizer: 'Adam', lr: 0.01, batchSize: 16, epochs: 1, seed: 1 }, data, snapshotEveryMs: 0 })
    const [report] = (await trainer.run()).reports
    const project = join(dir, 'fay.bplab')
    // trained on a text of the student's computer, which the teacher does not have: the project carries it
    writeFileSync(project, encodeProject({
      spec, vocab: [...data.chars!], weights: trainer.model.weights(),
      settings: { batchSize: 16, data: { kind: 'text', file: '/home/fay/story.txt' } }, text: { fileName: 'story.txt', bytes: new TextEncoder().encode(story) }
    }))
    const r = await lab('evaluate', '--weights', project, '--json')
    expect(r.code, r.out.join('\n')).toBe(0)
    const s = r.events.find((e) => e.event === 'score') as { loss: number; acc: number; perplexity: number; data: string; task: string }
    expect(s.task).toBe('language-model')
    expect(s.loss).toBeCloseTo(report.testLoss, 5)
    expect(s.acc).toBeCloseTo(report.testAcc!, 12)
    expect(s.perplexity).toBeCloseTo(report.perplexity!, 4)
    expect(s.data).toMatch(/^story\.txt \(carried in the project\): /)
    // the built-in text has other characters: refused with what to give instead
    const other = await lab('evaluate', '--weights', project, '--data', 'text:builtin')
    expect(other.code).toBe(1)
    expect(other.err.join('\n')).toContain(`was trained on a text of ${data.chars!.length} distinct characters, this one has 74`)
    // a hand-in carrying no text names a path of the student's: a device there (/dev/zero would fill the memory, a pipe
    // wait for ever) is refused before it is read; /dev/null stands for them (read, it is an empty text)
    const device = join(dir, 'gus.bplab')
    writeFileSync(device, encodeProject({ spec, vocab: [...data.chars!], weights: trainer.model.weights(), settings: { batchSize: 16, data: { kind: 'text', file: '/dev/null' } } }))
    const refused = await lab('evaluate', '--weights', device)
    expect(refused.code).toBe(1)
    expect(refused.err.join('\n')).toContain('the project trained on the text /dev/null, which on this computer is not a text file')
  })

  it('per-class accuracy and the matrix text', () => {
    const c = { classes: 3, counts: [8, 2, 0, 0, 0, 0, 1, 1, 2] }
    expect(perClass(c)).toEqual([0.8, null, 0.5])
    expect(confusionText(c, perClass(c)).split('\n')).toEqual([
      'confusion matrix (rows: true class, columns: predicted)',
      '       0   1   2   accuracy',
      '   0   8   2   0   80.00%',
      '   1   0   0   0   –',
      '   2   1   1   2   50.00%'
    ])
  })

  it('refuses --weights missing, and a spec file given as weights in a batch is one failed line', async () => {
    const r = await lab('evaluate')
    expect(r.code).toBe(2)
    expect(r.err.join('')).toContain('evaluate needs --weights FILE')
    const spec = writeJson(dir, 'spec.json', MLP)
    const b = await lab('evaluate', '--weights', spec, join(dir, 'missing.safetensors'), '--json')
    expect(b.code).toBe(1)
    expect(b.events.map((e) => e.event)).toEqual(['failed', 'failed', 'done'])
    expect(String(b.events[1].message)).toContain('does not exist')
    // weights with no spec inside are one file's problem in a batch (a usage error alone); a bad --data is the command's
    const bare = join(dir, 'bare.safetensors')
    writeFileSync(bare, encodeSafetensors({ 'affine1.b': { shape: [2], data: new Float32Array(2) } }))
    const nb = await lab('evaluate', '--weights', bare, spec, '--json')
    expect(nb.events.map((e) => [e.event, e.code])).toEqual([['failed', 'usage'], ['failed', 'not-weights'], ['done', undefined]])
    expect(String(nb.events[0].message)).toContain('does not say which network it belongs to; add --spec SPEC.json')
    const badData = await lab('evaluate', '--weights', bare, spec, '--data', 'digits')
    expect(badData.code).toBe(2)
    expect(badData.err).toHaveLength(1)
    // the folder of hand-ins itself, where its files were meant: said so, with the glob to give
    const folder = await lab('evaluate', '--weights', dir)
    expect(folder.code).toBe(1)
    expect(folder.err.join('\n')).toBe(`error: ${dir} is a folder, not a weights file\nGive the files in it: --weights ${dir}/*`)
  })
})
