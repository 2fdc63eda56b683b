/**
 * Fuzzing the project reader (io/project.ts decodeProject and the zip, safetensors and text readers it uses):
 * seeded mutations of a real project's bytes, of its project.json and of its weights part. Every case must
 * open or be refused with a ProjectError whose message says what is wrong; never a TypeError or RangeError
 * from inside, never a hang, never an allocation the file's header asked for. A failure names its seed.
 */
import { describe, expect, it } from 'vitest'
import { strToU8, zipSync } from 'fflate'
import { crc32, decodeProject, encodeProject, ProjectError, zipChunks, type ProjectData } from '../../../src-engine/io/project'
import { joinChunks } from '../../../src-engine/io/chunks'
import { encodeSafetensors } from '../../../src-engine/io/safetensors'
import type { NetSpec } from '../../../src-engine/spec-types'
import { attempt, deepJson, isCrash, mutateBytes, mutateJson, overlappingZip, seeded, below, SLOW_CASE_MS } from './fuzz-mutate'

const spec: NetSpec = {
  name: 'tiny', input: [4],
  layers: [{ type: 'Affine', units: 3 }, { type: 'Relu' }, { type: 'Affine', units: 2 }, { type: 'SoftmaxWithLoss' }]
}
const f = (n: number, k = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => (i + 1) * 0.01 * k)
const weights = { 'affine1.W': { shape: [4, 3], data: f(12) }, 'affine1.b': { shape: [3], data: f(3) }, 'affine2.W': { shape: [3, 2], data: f(6) }, 'affine2.b': { shape: [2], data: f(2) } }
const project: ProjectData = {
  spec, presetId: null, epoch: 2, savedAt: '2026-01-01T00:00:00.000Z',
  settings: { data: { kind: 'text', file: 'a.txt' }, optimizer: 'Adam', lr: 0.01, batchSize: 10, epochs: 3, weightDecay: 0, seed: 1, threads: 1 },
  history: { runs: [], currentId: null },
  vocab: ['a', 'b'],
  weights,
  optimizer: { name: 'Adam', state: { 'affine1.W.m': f(12, 2), t: f(1) } },
  text: { fileName: 'a.txt', bytes: strToU8('abba abba\n') }
}
const base = encodeProject(project)

/** Offsets where the zip's structure is: each header's start and its size, CRC, name-length and offset fields. */
function zipBoundaries(b: Uint8Array): number[] {
  const out: number[] = []
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i + 4 <= b.length; i++) {
    const sig = v.getUint32(i, true)
    if (sig === 0x04034b50) out.push(i, i + 14, i + 18, i + 22, i + 26, i + 30)
    else if (sig === 0x02014b50) out.push(i, i + 10, i + 20, i + 24, i + 28, i + 42, i + 46)
    else if (sig === 0x06054b50) out.push(i, i + 8, i + 10, i + 12, i + 16)
  }
  return out
}

/** A project zip of these parts exactly as given (CRCs computed): a project.json or a weights part of a test's own. */
function zipOf(parts: Record<string, Uint8Array>): Uint8Array {
  return joinChunks(zipChunks(Object.entries(parts).map(([name, bytes]) => ({ name, chunks: [bytes], crc: crc32(bytes) }))))
}

function jsonOf(p: ProjectData): Record<string, unknown> {
  return { format: 'backprop-lab-project', version: 1, savedAt: p.savedAt, spec: p.spec, presetId: p.presetId, settings: p.settings, history: p.history, vocab: p.vocab, epoch: p.epoch, optimizer: 'Adam', text: { fileName: 'a.txt', bytes: 10, crc32: crc32(project.text!.bytes) } }
}

type Failure = { seed: number; what: string; got: string }

/** Runs decodeProject on each case; collects the ones that crash, take too long, or open with a malformed result. */
function fuzz(cases: number, make: (seed: number) => { bytes: Uint8Array; what: string }): Failure[] {
  const failures: Failure[] = []
  for (let seed = 1; seed <= cases; seed++) {
    const c = make(seed)
    let opened: ProjectData | undefined
    const o = attempt(() => (opened = decodeProject(c.bytes, 'fuzz.bplab')))
    if (o.threw && (!(o.error instanceof ProjectError) || isCrash(o.error) || !o.error.message.includes('fuzz.bplab'))) {
      failures.push({ seed, what: c.what, got: `${(o.error as Error)?.name}: ${String((o.error as Error)?.message).slice(0, 200)}` })
    } else if (o.ms > SLOW_CASE_MS) failures.push({ seed, what: c.what, got: `took ${o.ms.toFixed(0)} ms` })
    else if (opened) {
      const bad = malformed(opened)
      if (bad) failures.push({ seed, what: c.what, got: `opened with ${bad}` })
    }
  }
  return failures
}

/** What the host and page rely on in an opened project (projects.ts applyProject): a result that breaks it is a failure. */
function malformed(p: ProjectData): string | null {
  if (p.savedAt !== undefined && typeof p.savedAt !== 'string') return `savedAt ${JSON.stringify(p.savedAt)}`
  if (p.presetId !== undefined && p.presetId !== null && typeof p.presetId !== 'string') return `presetId ${JSON.stringify(p.presetId)}`
  if (p.epoch !== undefined && !(Number.isInteger(p.epoch) && p.epoch >= 0)) return `epoch ${p.epoch}`
  if (p.settings !== undefined) {
    const s = p.settings as Record<string, unknown>
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return `settings ${JSON.stringify(s)}`
    const d = s.data as Record<string, unknown> | undefined
    if (d !== undefined && (typeof d !== 'object' || d === null || typeof d.kind !== 'string')) return `settings.data ${JSON.stringify(d)}`
  }
  if (p.vocab !== undefined && (new Set(p.vocab).size !== p.vocab.length || p.vocab.some((c) => [...c].length !== 1))) return `vocab ${JSON.stringify(p.vocab).slice(0, 60)}`
  if (p.optimizer && !['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam'].includes(p.optimizer.name)) return `optimizer ${JSON.stringify(p.optimizer.name)}`
  if (Object.getPrototypeOf(p) !== Object.prototype) return 'a changed prototype'
  return null
}

describe('project reader fuzz', () => {
  it('the base project opens (the cases below are mutations of a valid file)', () => {
    const p = decodeProject(base, 'fuzz.bplab')
    expect(p.text?.fileName).toBe('a.txt')
    expect(malformed(p)).toBeNull()
  })

  it('300 byte-level mutations of the zip are opened or refused with a ProjectError', () => {
    const bounds = zipBoundaries(base)
    const t0 = performance.now()
    const failures = fuzz(300, (seed) => mutateBytes(base, seeded(seed), bounds))
    expect(failures).toEqual([])
    expect(performance.now() - t0).toBeLessThan(3000)
  })

  it('300 mutations of project.json are opened (well-formed) or refused with a ProjectError', () => {
    const json = jsonOf(project)
    const rest = { 'weights.safetensors': encodeSafetensors(weights), 'text.txt': project.text!.bytes }
    const failures = fuzz(300, (seed) => {
      const m = mutateJson(json, seeded(seed))
      return { bytes: zipOf({ 'project.json': strToU8(JSON.stringify(m.value)), ...rest }), what: m.what }
    })
    expect(failures).toEqual([])
  })

  it('300 mutations of the weights part are opened or refused with a ProjectError', () => {
    const json = strToU8(JSON.stringify(jsonOf(project)))
    const w = encodeSafetensors(weights)
    const headerLen = Number(new DataView(w.buffer).getBigUint64(0, true))
    const bounds = [0, 8, 8 + headerLen, w.length - 4]
    for (let i = 8; i < 8 + headerLen; i++) if (w[i] === 0x5b || w[i] === 0x3a || w[i] === 0x2c) bounds.push(i + 1) // [ : , in the header
    const failures = fuzz(300, (seed) => {
      const m = mutateBytes(w, seeded(seed), bounds)
      return { bytes: zipOf({ 'project.json': json, 'weights.safetensors': m.bytes }), what: m.what }
    })
    expect(failures).toEqual([])
  })

  it('hostile project.json documents: deep nesting, huge numbers, prototype keys, wrong types', () => {
    const docs: [string, string][] = [
      ['deeply nested', `{"format":"backprop-lab-project","version":1,"spec":${deepJson(200_000)}}`],
      ['a nested spec', `{"format":"backprop-lab-project","version":1,"spec":{"input":[4],"layers":${deepJson(50_000)}}}`],
      ['__proto__ at the top', `{"__proto__":{"format":"backprop-lab-project","version":1},"spec":${JSON.stringify(spec)}}`],
      ['version NaN as text', `{"format":"backprop-lab-project","version":"NaN","spec":${JSON.stringify(spec)}}`],
      ['version -1e308', `{"format":"backprop-lab-project","version":-1e308,"spec":${JSON.stringify(spec)}}`],
      ['input dims 2^53', `{"format":"backprop-lab-project","version":1,"spec":{"input":[9007199254740992,9007199254740992],"layers":[{"type":"Affine","units":9007199254740992}]}}`],
      ['layers null', `{"format":"backprop-lab-project","version":1,"spec":{"input":[4],"layers":[null,5,"x"]}}`],
      ['a string', '"backprop-lab-project"'],
      ['not UTF-8', '\u00ff\u00fe{'],
      ['settings.data null with a text', JSON.stringify({ ...jsonOf(project), settings: { data: null } })],
      ['optimizer "constructor"', JSON.stringify({ ...jsonOf(project), optimizer: 'constructor' })]
    ]
    const failures: Failure[] = []
    docs.forEach(([what, text], k) => {
      const bytes = zipOf({ 'project.json': what === 'not UTF-8' ? Uint8Array.from([0xff, 0xfe, 0x7b]) : strToU8(text), 'weights.safetensors': encodeSafetensors(weights), 'optimizer.safetensors': encodeSafetensors({ t: { shape: [1], data: f(1) } }), 'text.txt': project.text!.bytes })
      let opened: ProjectData | undefined
      const o = attempt(() => (opened = decodeProject(bytes, 'fuzz.bplab')))
      if (o.threw && (!(o.error instanceof ProjectError) || isCrash(o.error))) failures.push({ seed: k, what, got: `${(o.error as Error).name}: ${(o.error as Error).message.slice(0, 200)}` })
      else if (opened && malformed(opened)) failures.push({ seed: k, what, got: `opened with ${malformed(opened)}` })
      else if (o.ms > SLOW_CASE_MS) failures.push({ seed: k, what, got: `took ${o.ms.toFixed(0)} ms` })
    })
    expect(failures).toEqual([])
  })

  it('an architecture nested too deep is refused as the editor words a spec that is not a network', () => {
    const bytes = zipOf({ 'project.json': strToU8(`{"format":"backprop-lab-project","version":1,"spec":{"input":[4],"layers":${deepJson(50_000)}}}`) })
    const o = attempt(() => decodeProject(bytes, 'fuzz.bplab'))
    expect(o.threw && o.error instanceof ProjectError && o.error.code === 'bad-spec' && o.error.issue?.code === 'spec-not-object').toBe(true)
  })

  it('a byte flipped inside the weights is refused as damaged, not opened as other weights', () => {
    const w = encodeSafetensors(weights)
    const bytes = zipOf({ 'project.json': strToU8(JSON.stringify(jsonOf(project))), 'weights.safetensors': w })
    const bad = bytes.slice()
    const v = new DataView(bad.buffer)
    let start = -1
    for (let i = 0; i + 4 <= bad.length; i++) if (v.getUint32(i, true) === 0x04034b50 && bad[i + 30] === 0x77) start = i + 30 + 'weights.safetensors'.length
    expect(start).toBeGreaterThan(0)
    bad[start + w.length - 2] ^= 0x01 // one bit of the last weight flipped: a finite float all the same
    const o = attempt(() => decodeProject(bad, 'fuzz.bplab'))
    expect(o.threw && o.error instanceof ProjectError && /weights\.safetensors" is damaged/.test((o.error as Error).message)).toBe(true)
    expect(decodeProject(bytes, 'fuzz.bplab').weights).toBeDefined()
  })

  it('a zip whose parts declare gigabytes is refused before anything that size is allocated', () => {
    const failures: Failure[] = []
    const json = strToU8(JSON.stringify(jsonOf(project)))
    // stored and deflated parts whose sizes in the headers say 900 MB, 4 GB−1, and 2^53 (zip64)
    for (const [k, declared] of [900 * 2 ** 20, 0xffffffff - 1].entries()) {
      const z = zipOf({ 'project.json': json, 'weights.safetensors': encodeSafetensors(weights) })
      const v = new DataView(z.buffer)
      for (let i = 0; i + 4 <= z.length; i++) {
        const sig = v.getUint32(i, true)
        if (sig === 0x02014b50 && z[i + 46] === 0x77) { // the weights part's central entry ("w…")
          v.setUint16(i + 10, 8, true) // deflated
          v.setUint32(i + 24, declared, true)
        }
      }
      const before = process.memoryUsage().arrayBuffers
      const o = attempt(() => decodeProject(z, 'fuzz.bplab'))
      const grew = process.memoryUsage().arrayBuffers - before
      if (!o.threw || !(o.error instanceof ProjectError) || !/weights\.safetensors/.test(o.error.message)) failures.push({ seed: k, what: `declared ${declared}`, got: o.threw ? `${(o.error as Error).name}: ${(o.error as Error).message}` : 'opened' })
      if (grew > 64 * 2 ** 20) failures.push({ seed: k, what: `declared ${declared}`, got: `allocated ${(grew / 2 ** 20).toFixed(0)} MB` })
    }
    expect(failures).toEqual([])
  })

  it('a zip64 directory declaring four billion entries is refused at once, not walked', () => {
    const z = zipOf({ 'project.json': strToU8(JSON.stringify(jsonOf(project))) })
    const eocd = z.length - 22
    // a zip64 end record and its locator before the end record, saying 2^32−1 entries
    const z64 = new Uint8Array(56)
    const v = new DataView(z64.buffer)
    v.setUint32(0, 0x06064b50, true)
    v.setUint32(32, 0xffffffff, true) // entries (low word)
    v.setUint32(48, new DataView(z.buffer).getUint32(eocd + 16, true), true) // directory offset
    const loc = new Uint8Array(20)
    new DataView(loc.buffer).setUint32(0, 0x07064b50, true)
    new DataView(loc.buffer).setUint32(8, eocd, true)
    const bytes = new Uint8Array(z.length + 76)
    bytes.set(z.subarray(0, eocd))
    bytes.set(z64, eocd)
    bytes.set(loc, eocd + 56)
    bytes.set(z.subarray(eocd), eocd + 76)
    const o = attempt(() => decodeProject(bytes, 'fuzz.bplab'))
    expect(o.ms).toBeLessThan(250)
    expect(o.threw && o.error instanceof ProjectError && !isCrash(o.error)).toBe(true)
  })

  it('a directory listing one deflated part many times is refused, not inflated once for each listing', () => {
    // 4 MB of weights deflate to ~4 KB: listed 40 times, the old reader inflated 160 MB (a 200 KB file of 50
    // listings of 200 MB took 65 s) before finding anything wrong
    const z = zipSync({ 'project.json': [strToU8(JSON.stringify(jsonOf(project))), { level: 0 }], 'weights.safetensors': [new Uint8Array(4 * 2 ** 20), { level: 9 }] })
    const o = attempt(() => decodeProject(overlappingZip(z, 'weights.safetensors', 40), 'fuzz.bplab'))
    // refused at the second listing, before it is inflated (no time bound here: the shared machine's load makes one flaky)
    expect(o.threw && o.error instanceof ProjectError ? o.error.message : 'opened').toMatch(/^fuzz\.bplab: part "weights\.safetensors" overlaps the parts before it/)
  })

  it('random bytes of every small length are refused as not a project', () => {
    const r = seeded(7)
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: n }, () => below(r, 256))
      if (n >= 4) bytes.set([0x50, 0x4b, 0x05, 0x06], Math.max(0, n - 22)) // an end-of-directory signature where one is looked for
      const o = attempt(() => decodeProject(bytes, 'fuzz.bplab'))
      expect(o.threw && o.error instanceof ProjectError && !isCrash(o.error), `length ${n}: ${o.threw ? (o.error as Error).message : 'opened'}`).toBe(true)
    }
  })
})
