/**
 * Opening a project that carries a long text does not stall the main thread: the file is read, checked and decoded
 * in the reader thread (src-main/project-read.ts), and this thread only applies the result. On the old code (the
 * read on the main thread) the worst gap of a 1 ms timer while opening a 50 MB text was seconds (25 MB: about one);
 * the bound here is generous (MAX_STALL_MS), the machine is shared. Also: the reader's refusals are the ones the main thread gave (projects.test.ts
 * runs the rest of them through the reader), and a reader thread that dies refuses the file rather than hanging.
 * An uploaded text alone (data:text-upload) is read in the same thread: 50 MB took the main thread over a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDispatcher } from '../../src-main/ipc/handlers'
import type { OpenedProject, RecoveryInfo, Result } from '../../src-main/ipc/contract'
import { encodeProject } from '../../src-engine/io/project'
import { PRESETS } from '../../src-engine/models/presets'
import type { NetSpec } from '../../src-engine/spec-types'
import { readProject } from '../../src-main/project-read'
import { expectedWeights } from '../../src-main/projects'
import { encodeModelWeights } from '../../src-engine/io/safetensors'
import { disposingHosts, settings, worstStall } from './helpers'
import { bundleWorker } from '../helpers/bundle'

/**
 * The worst stall allowed. The machine is shared: at load 8 on 2 cores, with the reader thread on one core, this
 * thread waited up to 210 ms for a core while it had nothing to do (gaps in the middle of a read); alone it stalls
 * 30-60 ms. The old read on this thread: 1.6-4.7 s.
 */
const MAX_STALL_MS = 400

const charLstm = PRESETS.find((p) => p.id === 'char-lstm')!.spec as NetSpec
const newHost = disposingHosts()
const dirs: string[] = []
let reader: string

beforeAll(async () => { reader = await bundleWorker('src-main/project-reader.ts') }, 60_000)
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'backprop-lab-stall-'))
  dirs.push(d)
  return d
}


const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

/**
 * The text's size: 25 MB, not the 50 MB this test was written with (the case took 9.6-10.9 s, 4.5-5.0 s now). Read on
 * this thread as the old code did (the host without a reader entry runs the same job here), 25 MB still stalls it
 * 952-1548 ms (open, recovery, upload; 3 runs at load ~6 on 2 cores), over twice the bound (20 MB: 523-1914 ms, too
 * close at the low end); through the reader 12-53 ms (at 20 MB).
 */
const TEXT_MB = 25

describe(`opening a project with a ${TEXT_MB} MB text`, () => {
  it('keeps the main thread serving its timers (worst stall under 400 ms), from a file, from the autosave, and the text uploaded alone', async () => {
    // the text, multi-byte characters included (the strict UTF-8 decode and the count do real work)
    const line = new TextEncoder().encode('오늘 도서관에서 책을 읽었다. The quick brown fox jumps over the lazy dog.\n')
    const bytes = new Uint8Array(TEXT_MB * 1024 * 1024 - ((TEXT_MB * 1024 * 1024) % line.length))
    for (let at = 0; at < bytes.length; at += line.length) bytes.set(line, at)
    const dir = tempDir()
    const file = join(dir, 'diary.bplab')
    const project = encodeProject({ spec: charLstm, settings: settings({ data: { kind: 'text', file: '/elsewhere/diary.txt' }, batchSize: 20 }), text: { fileName: 'diary.txt', bytes } })
    writeFileSync(file, project)
    writeFileSync(join(dir, 'recovery.bplab'), project)
    const host = newHost({ dataDir: dir, projectReader: reader, files: { askOpenPath: async () => file, askSavePath: async () => null } })
    const call = <T>(channel: string, payload?: unknown) => createDispatcher(host)(channel, payload, true) as Promise<Result<T>>

    const opened = await worstStall(() => call<OpenedProject>('project:open', { from: 'dialog' }))
    const text = value(opened.value).text
    expect(text?.fileName).toBe('diary.txt')
    expect(readFileSync(text!.file).equals(bytes)).toBe(true)
    expect(opened.worstMs).toBeLessThan(MAX_STALL_MS)

    // the recovery offered at start reads the whole autosave too
    const recovery = await worstStall(() => call<RecoveryInfo | null>('project:recovery'))
    expect(value(recovery.value)?.specName).toBe(charLstm.name ?? '')
    expect(recovery.worstMs).toBeLessThan(MAX_STALL_MS)

    // the same text uploaded on its own (data:text-upload) is read there too; called past the dispatcher, whose
    // check of the base64's letters (~100 ms for 50 MB) is not the reader's
    const upload = { from: 'upload' as const, fileName: 'again.txt', base64: Buffer.from(bytes).toString('base64') }
    const stored = await worstStall(() => host.projects.storeText(upload))
    expect(value(stored.value)).toMatchObject({ file: text!.file.replace('diary-', 'again-'), fileName: 'again.txt', chars: text!.chars, vocab: text!.vocab })
    expect(stored.worstMs).toBeLessThan(MAX_STALL_MS)
  }, 60_000)
})

describe('importing a large weights file', () => {
  it('keeps the main thread serving its timers while the file is read and decoded (100 MB: 256 filters)', async () => {
    // 25 M parameters, most of them the Affine after 256 filters of 14x14 (read and decoded on this thread: 0.6-1.2 s)
    const big: NetSpec = {
      name: 'wide', input: [1, 28, 28],
      layers: [{ type: 'Convolution', filters: 256, kernel: 3, pad: 1 }, { type: 'Relu' }, { type: 'Pooling', size: 2, stride: 2 }, { type: 'Affine', units: 500 }, { type: 'SoftmaxWithLoss' }]
    }
    const shapes = expectedWeights(big)
    if (!shapes.ok) throw new Error(shapes.message)
    const tensors = Object.fromEntries(Object.entries(shapes.shapes).map(([k, shape]) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
      for (let i = 0; i < data.length; i++) data[i] = ((i % 1000) - 500) / 1e4
      return [k, { shape, data }]
    }))
    const dir = tempDir()
    const file = join(dir, 'wide.safetensors')
    writeFileSync(file, encodeModelWeights(big, tensors))
    const host = newHost({ projectReader: reader, files: { askOpenPath: async () => file, askSavePath: async () => null } })
    const imported = await worstStall(() => host.projects.importWeights(big, { from: 'dialog' }))
    console.log(`import of ${statSync(file).size} bytes: worst stall ${imported.worstMs.toFixed(1)} ms`)
    expect(value(imported.value)).toMatchObject({ fileName: 'wide.safetensors', tensors: 4, params: 25_091_060 })
    expect(imported.worstMs).toBeLessThan(MAX_STALL_MS)
  }, 60_000)
})

describe('the reader thread', () => {
  it('refuses as the main thread did: the same code, message and facts', async () => {
    const bad = encodeProject({ spec: { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 40 }] } as NetSpec })
    const job = { name: 'bad-spec.bplab', base64: Buffer.from(bad).toString('base64') }
    const here = await readProject(null, job)
    const there = await readProject(reader, job)
    expect(here.kind).toBe('project-error')
    expect(there).toEqual(here)
    const missing = await readProject(reader, { name: 'gone.bplab', path: join(tempDir(), 'gone.bplab') })
    expect(missing).toMatchObject({ kind: 'read-failed', code: 'ENOENT' })
  })

  it('refuses the file when its thread dies instead of answering', async () => {
    const dir = tempDir()
    const dying = join(dir, 'dying.cjs')
    writeFileSync(dying, 'process.exit(3)')
    expect(await readProject(dying, { name: 'x.bplab', base64: '' })).toEqual({ kind: 'failed', message: 'the reading thread stopped (exit code 3)' })
    const host = newHost({ projectReader: dying })
    const r = await createDispatcher(host)('project:open', { from: 'upload', fileName: 'x.bplab', base64: '' }, true)
    expect(r.ok === false && r.error).toMatchObject({ code: 'bad-project', params: { file: 'x.bplab' } })
  })
})
