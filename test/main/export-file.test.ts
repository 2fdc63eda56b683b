import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportToFile, type ExportDeps } from '../../src-main/export-file'
import { encodeModelWeights } from '../../src-engine/io/safetensors'
import type { ExportedFile, Result } from '../../src-main/ipc/contract'

const weightsFile = (): ExportedFile => {
  const bytes = encodeModelWeights({ input: [2], layers: [{ type: 'Affine', units: 1 }] }, { 'affine1.W': { shape: [2, 1], data: new Float32Array([0.5, -1]) }, 'affine1.b': { shape: [1], data: new Float32Array([0.25]) } })
  return { fileName: 'tiny.safetensors', mime: 'application/octet-stream', bytes: bytes.length, base64: Buffer.from(bytes).toString('base64') }
}

function deps(over: Partial<ExportDeps> = {}) {
  const warnings: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'export-'))
  const d: ExportDeps = {
    exportModel: async (): Promise<Result<ExportedFile>> => ({ ok: true, value: weightsFile() }),
    askPath: async (name) => join(dir, name),
    write: (p, b) => writeFile(p, b),
    read: async (p) => new Uint8Array(await readFile(p)),
    warn: async (title, detail) => { warnings.push(`${title}: ${detail}`) },
    ...over
  }
  return { d, warnings, dir }
}

describe('File ▸ Export', () => {
  it('writes the model where the user chose and verifies it by reading it back', async () => {
    const { d, warnings, dir } = deps()
    expect(await exportToFile('safetensors', d)).toBe('saved')
    expect(warnings).toEqual([])
    expect(readFileSync(join(dir, 'tiny.safetensors')).equals(Buffer.from(weightsFile().base64, 'base64'))).toBe(true)
  })

  it('does nothing when the user cancels', async () => {
    let wrote = false
    const { d, warnings } = deps({ askPath: async () => null, write: async () => { wrote = true } })
    expect(await exportToFile('onnx', d)).toBe('cancelled')
    expect(wrote).toBe(false)
    expect(warnings).toEqual([])
  })

  it('explains when there is no model yet', async () => {
    const { d, warnings } = deps({ exportModel: async () => ({ ok: false, error: { code: 'no-model', message: 'train one first' } }) })
    expect(await exportToFile('safetensors', d)).toBe('failed')
    expect(warnings[0]).toMatch(/Nothing to export yet: train one first/)
  })

  it('reports a file that does not read back the same, or a write that fails', async () => {
    const bad = deps({ read: async () => new Uint8Array([1, 2, 3]) })
    expect(await exportToFile('safetensors', bad.d)).toBe('failed')
    expect(bad.warnings[0]).toMatch(/differs from what was written/)
    const denied = deps({ write: async () => { throw new Error('EACCES: permission denied') } })
    expect(await exportToFile('onnx', denied.d)).toBe('failed')
    expect(denied.warnings[0]).toMatch(/EACCES.*Choose another folder/)
  })
})
