/**
 * data:samples from the data a run trains on (Q1 F14): an IDX folder's held-out (t10k) images, none for a text, the
 * built-in digits by default; a folder that cannot give 28 × 28 images says why. Through the dispatcher, so the new
 * `data` field is validated and reaches the host.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../../src-engine/data/idx'
import { createDispatcher } from '../../src-main/ipc/handlers'
import { disposingHosts } from './helpers'

const make = disposingHosts()

/**
 * A folder of `n` t10k images of side × side, image k all of grey level 10 k + 5 with label k % 10 (no training files:
 * the probe needs only the held-out ones).
 */
function idxFolder(n: number, side = 28, gz = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'm9-idx-'))
  const px = new Uint8Array(n * side * side)
  for (let k = 0; k < n; k++) px.fill(10 * k + 5, k * side * side, (k + 1) * side * side)
  const images = encodeIdx([n, side, side], px)
  const labels = encodeIdx([n], Uint8Array.from({ length: n }, (_, k) => k % 10))
  writeFileSync(join(dir, `t10k-images-idx3-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(images) : images)
  writeFileSync(join(dir, `t10k-labels-idx1-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(labels) : labels)
  return dir
}

describe('data:samples from the run\'s data', () => {
  it('gives an IDX folder\'s held-out images, plain or gzipped, not the built-in digits', async () => {
    const handle = createDispatcher(make())
    for (const gz of [false, true]) {
      const dir = idxFolder(6, 28, gz)
      const r = await handle('data:samples', { count: 4, seed: 3, data: { kind: 'idx', dir } }, true)
      expect(r.ok).toBe(true)
      if (!r.ok) continue
      const { images, labels } = r.value as { images: number[][]; labels: number[] }
      expect(images).toHaveLength(4)
      expect(new Set(labels).size).toBe(4)
      images.forEach((im, i) => {
        expect(im).toHaveLength(784)
        // every pixel of image k is (10 k + 5) / 255, and its label is k
        const k = labels[i]
        expect(im.every((v) => Math.abs(v - (10 * k + 5) / 255) < 1e-6)).toBe(true)
      })
      // all six when more are asked for
      const all = await handle('data:samples', { count: 12, seed: 3, data: { kind: 'idx', dir } }, true)
      expect(all.ok && (all.value as { labels: number[] }).labels.slice().sort()).toEqual([0, 1, 2, 3, 4, 5])
    }
  })

  it('gives none for a text, the built-in digits without a source, and says why a folder gives none', async () => {
    const host = make()
    const handle = createDispatcher(host)
    expect(await handle('data:samples', { count: 3, data: { kind: 'text', file: 'builtin' } }, true)).toEqual({ ok: true, value: { images: [], labels: [] } })
    const digits = await handle('data:samples', { count: 3, seed: 5 }, true)
    expect(digits).toEqual(await host.samples(3, 5))
    expect(await handle('data:samples', { count: 3, seed: 5, data: { kind: 'mnist' } }, true)).toEqual(digits)
    const missing = join(tmpdir(), 'm9-no-such-folder')
    const gone = await host.samples(3, 1, { kind: 'idx', dir: missing })
    expect(gone).toMatchObject({ ok: false, error: { code: 'data-unavailable', path: 'data.dir', params: { case: 'idx', dir: missing } } })
    const damaged = idxFolder(3, 28, true)
    writeFileSync(join(damaged, 't10k-images-idx3-ubyte.gz'), gzipSync(new Uint8Array(3000)).subarray(0, 40))
    const cut = await host.samples(3, 1, { kind: 'idx', dir: damaged })
    expect(cut).toMatchObject({ ok: false, error: { code: 'data-unavailable', params: { case: 'idx' } } })
    expect(!cut.ok && cut.error.params?.detail).toMatch(/^t10k-images-idx3-ubyte\.gz /)
    const wide = await host.samples(3, 1, { kind: 'idx', dir: idxFolder(3, 32) })
    expect(wide).toMatchObject({ ok: false, error: { code: 'data-unavailable', params: { case: 'size', shape: '32\u00a0×\u00a032' } } })
    // a source the contract does not know is refused before the host
    expect(await handle('data:samples', { count: 3, data: { kind: 'folder', dir: '/x' } }, true)).toMatchObject({ ok: false, error: { code: 'bad-payload' } })
  })
})
