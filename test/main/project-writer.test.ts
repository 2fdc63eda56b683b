/**
 * The project writers: the training thread's autosave (encodeProject's bytes, atomic, NaN refused) and the main
 * thread's encoder for an explicit save during training (the same bytes, the event loop served while it works).
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { encodeProjectAsync } from '../../src-main/project-writer'
import { writeProjectFileSync } from '../../src-engine/train/autosave'
import { decodeProject, encodeProject, type ProjectData } from '../../src-engine/io/project'
import { presetById } from '../../src-engine/models/presets'
import { Sequential } from '../../src-engine/models/sequential'
import { Rng } from '../../src-engine/rng'

/** SimpleConvNet with Adam-shaped state: a 5 MB project, as the autosave writes after each epoch. */
function convnetProject(): ProjectData {
  const spec = presetById('simple-convnet')!.spec
  const model = Sequential.fromSpec(spec, new Rng(3))
  const weights = model.weights()
  const state: Record<string, Float32Array> = {}
  for (const [k, t] of Object.entries(weights)) {
    state[`${k}.m`] = t.data.map((v) => v * 0.1)
    state[`${k}.v`] = t.data.map((v) => v * v)
  }
  return {
    spec, savedAt: '2026-02-03T04:05:06.000Z', settings: { optimizer: 'Adam', lr: 0.002 }, epoch: 2,
    history: { runs: [{ id: 'r1', batchLoss: [2.3, 1.1, 0.4] }], currentId: 'r1' },
    weights, optimizer: { name: 'Adam', state }
  }
}

describe('writeProjectFileSync (the training thread\'s autosave)', () => {
  it('writes encodeProject\'s bytes, which open again with the same weights; no temporary file is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const path = join(dir, 'recovery.bplab')
    const data = convnetProject()
    const size = writeProjectFileSync(path, data)
    const bytes = readFileSync(path)
    expect(size).toBe(bytes.length)
    expect(bytes.length).toBeGreaterThan(4_000_000)
    expect(bytes.equals(Buffer.from(encodeProject(data)))).toBe(true)
    const back = decodeProject(new Uint8Array(bytes))
    expect(back.epoch).toBe(2)
    expect(Buffer.from(back.weights!['affine1.W'].data.buffer).equals(Buffer.from(data.weights!['affine1.W'].data.buffer))).toBe(true)
    expect(Object.keys(back.optimizer!.state)).toHaveLength(Object.keys(data.optimizer!.state).length)
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
    // written again over it: replaced whole
    data.epoch = 3
    writeProjectFileSync(path, data)
    expect(decodeProject(new Uint8Array(readFileSync(path))).epoch).toBe(3)
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
  })

  it('refuses NaN, naming the tensor and the value, and leaves the previous file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const path = join(dir, 'recovery.bplab')
    writeFileSync(path, 'previous autosave')
    const data = convnetProject()
    data.optimizer!.state['affine1.W.v'][300_000] = Number.POSITIVE_INFINITY
    expect(() => writeProjectFileSync(path, data)).toThrow(/"affine1\.W\.v": value #300000 is Infinity/)
    expect(readFileSync(path, 'utf8')).toBe('previous autosave')
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
  })
})

describe('encodeProjectAsync (an explicit save while a run trains)', () => {
  it('gives encodeProject\'s bytes and refuses NaN, naming the tensor and the value', async () => {
    const data = convnetProject()
    expect(Buffer.from(await encodeProjectAsync(data)).equals(Buffer.from(encodeProject(data)))).toBe(true)
    data.weights!['conv1.W'].data[7] = Number.NaN
    await expect(encodeProjectAsync(data)).rejects.toThrow(/"conv1\.W": value #7 is NaN/)
  })

  it('works in slices: the event loop turns many times before it is done', async () => {
    let turns = 0
    let stop = false
    const spin = (): void => {
      turns++
      if (!stop) setImmediate(spin)
    }
    setImmediate(spin)
    await encodeProjectAsync(convnetProject())
    stop = true
    // 1.3 M values checked, at most 128 K between two turns of the loop, then 5.2 MB checksummed, at
    // most 512 KB between two turns; encoded in one block, it would be done within a turn or two.
    expect(turns).toBeGreaterThanOrEqual(20)
  })
})
