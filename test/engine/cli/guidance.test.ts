/**
 * The command line says what a learner needs before it costs them (Q2's G1–G3): a thread count above the cores is
 * warned about (and one whose copies of the weights do not fit refused), a language model's parameters are counted with
 * the vocabulary it would train with, and a file of another format given as --weights is named for what it is.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Rng } from '../../../src-engine/rng'
import { Sequential } from '../../../src-engine/models/sequential'
import { PRESETS } from '../../../src-engine/models/presets'
import { validateSpec, withVocab } from '../../../src-engine/spec'
import { encodeNpz } from '../../../src-engine/io/npz'
import { encodeNpy } from '../../../src-engine/io/npy'
import { exportOnnx } from '../../../src-engine/io/onnx'
import { coresWarning, threadsRefusal } from '../../../src-engine/cli/threads'
import { lab, tempDir, writeJson } from './helpers'

const dir = tempDir()
const spec = (id: string) => PRESETS.find((p) => p.id === id)!.spec

describe('--threads against the cores and the memory limit', () => {
  it('words the warning with the core count and the count to use, and says nothing within the cores', () => {
    expect(coresWarning(99, 2)).toBe('warning: --threads 99, but this computer has 2 cores: more threads than cores make training ' +
      'slower, not faster (each waits for a core the others hold); use --threads 2')
    expect(coresWarning(2, 1)).toContain('this computer has 1 core:')
    expect(coresWarning(2, 2)).toBeNull()
    expect(coresWarning(1, 1)).toBeNull()
  })

  it('train warns on stderr above the cores as it starts, and --json output stays JSON lines with a warning event', async () => {
    const cores = availableParallelism()
    // a folder that is not there: the warning comes before the data is read (a run that trains says it the same way)
    const r = await lab('train', '--preset', 'mlp', '--data', `idx:${join(dir, 'none')}`, '--threads', String(cores + 1), '--json')
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toBe(`warning: --threads ${cores + 1}, but this computer has ${cores} core${cores === 1 ? '' : 's'}: more ` +
      `threads than cores make training slower, not faster (each waits for a core the others hold); use --threads ${cores}`)
    // lab() parsed every stdout line as JSON: no text in between
    expect(r.events[0]).toMatchObject({ event: 'warning', code: 'threads-over-cores', threads: cores + 1, cores })
    expect(r.events.at(-1)).toMatchObject({ event: 'error', code: 'data' })
    const within = await lab('train', '--preset', 'mlp', '--data', `idx:${join(dir, 'none')}`, '--threads', String(cores))
    expect(within.err.join('\n')).not.toContain('warning')
    // --stateful trains on 1 thread whatever --threads says (its own note): 'use --threads N' would be no advice
    const stateful = await lab('train', '--preset', 'char-rnn', '--stateful', '--data', `text:${join(dir, 'none.txt')}`, '--threads', String(cores + 1), '--json')
    expect(stateful.events.at(-1)).toMatchObject({ event: 'error', code: 'data' })
    expect(stateful.err.join('\n')).not.toContain('warning')
    expect(stateful.events.filter((e) => e.event === 'warning')).toEqual([])
  })

  it('refuses a count whose copies of the weights do not fit, naming the count that does, before training', async () => {
    // 784·4096 + 4096·10 ≈ 3.3 M parameters: about 48 MB a thread, so 64 threads are over the 2,048 MB limit
    const big = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 4096 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const r = await lab('train', '--spec', writeJson(dir, 'big.json', big), '--epochs', '1', '--threads', '64')
    expect(r.code).toBe(2)
    expect(r.err.at(-1)).toMatch(/^error: on 64 threads this network needs about [\d,]+ MB \(every thread keeps its own copy of the weights and their gradients\), more than the 2,048 MB limit(, and this computer has \d+ cores?)?; use --threads \d+( or fewer)?$/)
    expect(r.out.join('\n')).not.toContain('Training')
  })

  it('says one line when 64 threads are both over the cores and over the memory: the refusal, with the count that fits both', async () => {
    const big = { input: [1, 28, 28], layers: [{ type: 'Affine', units: 4096 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    const r = await lab('train', '--spec', writeJson(dir, 'big2.json', big), '--epochs', '1', '--threads', '64')
    // the old command said the cores warning ('use --threads 2'), then refused with the memory's count ('use --threads 40 or fewer')
    expect(r.err).toHaveLength(1)
    expect(r.err[0]).toMatch(/^error: on 64 threads /)
    const j = await lab('train', '--spec', writeJson(dir, 'big2.json', big), '--epochs', '1', '--threads', '64', '--json')
    expect(j.err).toEqual([])
    expect(j.events.map((e) => e.event)).toEqual(['error'])
    const cores = availableParallelism()
    const over = { threads: 64, needs: 3100, limit: 2048, fits: 40 }
    expect(threadsRefusal(over, 2)).toBe('on 64 threads this network needs about 3,100 MB (every thread keeps its own copy of the weights and their ' +
      'gradients), more than the 2,048 MB limit, and this computer has 2 cores; use --threads 2')
    // fewer fit than the cores: the memory's count alone; one fits: that one
    expect(threadsRefusal(over, 48)).toMatch(/2,048 MB limit; use --threads 40 or fewer$/)
    expect(threadsRefusal({ ...over, fits: 1 }, 2)).toMatch(/2,048 MB limit; use --threads 1$/)
    if (cores < 40) expect(r.err.at(-1)).toContain(`this computer has ${cores} core`)
  })
})

describe('a language model counted with its vocabulary', () => {
  it('presets: char-lstm and char-rnn with the built-in text\'s 74 characters, as the editor counts them, and says so', async () => {
    const j = await lab('presets', '--json')
    const lstm = j.events.find((e) => e.id === 'char-lstm')
    // the editor's count for the preset on the built-in text (Q2: 328,704 + 321·74)
    expect(lstm).toMatchObject({ params: 352_458, vocab: 74, vocabFrom: 'text:builtin' })
    expect(lstm?.spec).toEqual(spec('char-lstm')) // the spec itself stays vocabulary-free, for any text
    const rnn = j.events.find((e) => e.id === 'char-rnn')
    expect(rnn?.params).toBe(validateSpec(withVocab(spec('char-rnn'), 74)).totalParams)
    expect(rnn?.params).toBeGreaterThan(82_176)
    expect(j.events.find((e) => e.id === 'simple-convnet')).not.toHaveProperty('vocab')

    const h = await lab('presets')
    const text = h.out.join('\n')
    expect(text).toMatch(/^char-lstm\s+352,458 params\* /m)
    expect(text).toContain('* with the vocabulary layers sized for the 74 distinct characters of the built-in text, Pride and Prejudice')
  })

  it('validate counts with the text --data names (the built-in one by default), not "not counted"', async () => {
    const path = writeJson(dir, 'charlstm.json', spec('char-lstm'))
    for (const args of [[], ['--data', 'text:builtin']]) {
      const r = await lab('validate', path, ...args)
      expect(r.code).toBe(0)
      const out = r.out.join('\n')
      expect(out).toContain('total 352,458 parameters')
      expect(out).not.toContain('not counted')
    }
    // a text of 5 distinct characters: embed 64·5, taffine 256·5 + 5 beside the 328,704 of the rest
    const file = join(dir, 'five.txt')
    writeFileSync(file, 'abcde'.repeat(200))
    const r = await lab('validate', path, '--data', `text:${file}`, '--json')
    expect(r.events.at(-1)).toMatchObject({ event: 'done', vocab: 5, vocabFrom: `text:${file}` })
    expect((r.events.at(-1)?.report as { totalParams: number }).totalParams).toBe(328_704 + 321 * 5)
    const missing = await lab('validate', path, '--data', `text:${join(dir, 'none.txt')}`)
    expect(missing.code).toBe(1)
    expect(missing.err.join('\n')).toContain('none.txt')
  })
})

describe('--weights given a file of another format', () => {
  const x = join(dir, 'x.npy')
  writeFileSync(x, encodeNpy([1, 1, 28, 28], new Float32Array(784)))
  const model = Sequential.fromSpec(spec('mlp'), new Rng(1))
  const arrays = Object.fromEntries(Object.entries(model.weights()).map(([k, t]) => [k, { shape: t.shape, data: t.data }]))

  async function weightsError(name: string, bytes: Uint8Array | string): Promise<string> {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    const r = await lab('predict', '--weights', path, '--input', x)
    expect(r.code).toBe(1)
    const err = r.err.join('\n')
    expect(err).not.toContain('declares a header')
    expect(err).toContain(`${path} is `)
    return err
  }

  it('names an .npz, an ONNX model, a project, an .npy and a spec, and says which file --weights takes', async () => {
    const takes = 'not a weights file: --weights takes the .safetensors file or the .bplab project the lab writes'
    expect(await weightsError('model.npz', encodeNpz(arrays))).toContain(`model.npz is a NumPy .npz (zip) archive, ${takes}`)
    expect(await weightsError('model.npz', encodeNpz(arrays))).toContain('Model & project › Export weights (safetensors)')
    const onnx = exportOnnx(spec('mlp'), model.weights())
    expect(await weightsError('model.onnx', onnx)).toContain(`model.onnx is an ONNX model, ${takes}`)
    expect(await weightsError('model.bin', onnx)).toContain('model.bin is an ONNX model') // by its first bytes
    // a .bplab is read as a project (M30): a zip of something else by that name is said to be no project
    expect(await weightsError('work.bplab', encodeNpz(arrays))).toContain('work.bplab is a zip archive named .bplab, but not a Backprop Lab project (it has no project.json)')
    expect(await weightsError('x-as-weights.npy', encodeNpy([1, 784], new Float32Array(784)))).toContain('is a NumPy .npy array (the form --input takes)')
    expect(await weightsError('spec.json', JSON.stringify(spec('mlp')))).toContain('is a JSON file (a network spec goes to --spec)')
  })
})
