/**
 * The project writers: the main thread's (a checkpoint the host holds: same bytes as encodeProject, atomic, NaN
 * refused, the event loop served while it works) and the training thread's autosave (the same bytes, at once).
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { writeProjectFile } from '../../src-main/project-writer'
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

describe('writeProjectFile', () => {
  it('writes encodeProject\'s bytes, which open again with the same weights; no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const path = join(dir, 'recovery.bplab')
    const data = convnetProject()
    const size = await writeProjectFile(path, data)
    const bytes = readFileSync(path)
    expect(size).toBe(bytes.length)
    expect(bytes.length).toBeGreaterThan(4_000_000)
    expect(bytes.equals(Buffer.from(encodeProject(data)))).toBe(true)
    const back = decodeProject(new Uint8Array(bytes))
    expect(back.epoch).toBe(2)
    expect(Buffer.from(back.weights!['affine1.W'].data.buffer).equals(Buffer.from(data.weights!['affine1.W'].data.buffer))).toBe(true)
    expect(Object.keys(back.optimizer!.state)).toHaveLength(Object.keys(data.optimizer!.state).length)
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
  })

  it('refuses NaN, naming the tensor and the value, and leaves the previous file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const path = join(dir, 'recovery.bplab')
    writeFileSync(path, 'previous autosave')
    const data = convnetProject()
    data.optimizer!.state['affine1.W.v'][300_000] = Number.POSITIVE_INFINITY
    await expect(writeProjectFile(path, data)).rejects.toThrow(/"affine1\.W\.v": value #300000 is Infinity/)
    expect(readFileSync(path, 'utf8')).toBe('previous autosave')
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
  })

  it('works in slices: the event loop turns many times before the file is even opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    let turns = 0
    let turnsBeforeFile = -1
    let stop = false
    const spin = (): void => {
      if (turnsBeforeFile < 0 && readdirSync(dir).length > 0) turnsBeforeFile = turns
      turns++
      if (!stop) setImmediate(spin)
    }
    setImmediate(spin)
    await writeProjectFile(join(dir, 'p.bplab'), convnetProject())
    stop = true
    // 1.3 M values checked, at most 128 K between two turns of the loop, then 5.2 MB checksummed, at
    // most 512 KB between two turns; encoded in one block, the file would appear within a turn or two.
    expect(turnsBeforeFile).toBeGreaterThanOrEqual(20)
  })
})

describe('writeProjectFileSync (the training thread\'s autosave)', () => {
  it('writes the same bytes as writeProjectFile and encodeProject; no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const data = convnetProject()
    const size = writeProjectFileSync(join(dir, 'recovery.bplab'), data)
    await writeProjectFile(join(dir, 'async.bplab'), data)
    const bytes = readFileSync(join(dir, 'recovery.bplab'))
    expect(size).toBe(bytes.length)
    expect(bytes.equals(readFileSync(join(dir, 'async.bplab')))).toBe(true)
    expect(bytes.equals(Buffer.from(encodeProject(data)))).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['async.bplab', 'recovery.bplab'])
  })

  it('refuses NaN, naming the tensor and the value, and leaves the previous file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'))
    const path = join(dir, 'recovery.bplab')
    writeFileSync(path, 'previous autosave')
    const data = convnetProject()
    data.weights!['conv1.W'].data[7] = Number.NaN
    expect(() => writeProjectFileSync(path, data)).toThrow(/"conv1\.W".*NaN/)
    expect(readFileSync(path, 'utf8')).toBe('previous autosave')
    expect(readdirSync(dir)).toEqual(['recovery.bplab'])
  })
})
