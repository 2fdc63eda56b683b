/**
 * NumPy .npz archives: a ZIP of .npy files, one per array, named "<key>.npy" (what np.savez writes
 * and np.load reads as a dict). Built on fflate; pure functions on bytes.
 */
import { zipSync, type Zippable } from 'fflate'
import { decodeNpy, encodeNpy, type NpyArray } from './npy'
import { printable, readZip } from './zip'

/**
 * Encode float32 arrays as an .npz. `compress` gives np.savez_compressed's deflate; otherwise the
 * entries are stored, like np.savez.
 */
export function encodeNpz(arrays: Record<string, { shape: readonly number[]; data: Float32Array }>, compress = false): Uint8Array {
  const files: Zippable = {}
  for (const [key, a] of Object.entries(arrays)) {
    if (key === '' || key.includes('\0')) throw new Error(`encodeNpz: ${JSON.stringify(key)} is not a usable array name`)
    files[`${key}.npy`] = [encodeNpy(a.shape, a.data), { level: compress ? 6 : 0 }]
  }
  // A fixed timestamp keeps the archive byte-identical from run to run.
  return zipSync(files, { mtime: new Date('2000-01-01T00:00:00Z') })
}

/** An .npz entry's array larger than this is refused before it is inflated (the lab's inputs are kilobytes to megabytes). */
const MAX_ARRAY_BYTES = 1024 * 1024 * 1024

/** Decode an .npz into its arrays (float32), keyed by entry name without ".npy". */
export function decodeNpz(bytes: Uint8Array, name = 'arrays.npz'): Record<string, NpyArray> {
  let entries: Record<string, Uint8Array>
  try {
    // entries checked against the file's real size before anything is inflated (io/zip.ts)
    entries = readZip(bytes, { want: (f) => f.name.endsWith('.npy'), maxEntryBytes: MAX_ARRAY_BYTES })
  } catch (e) {
    throw new Error(`${name} is not a readable .npz (zip) archive: ${(e as Error).message}`)
  }
  const out: Record<string, NpyArray> = Object.create(null)
  for (const [entry, data] of Object.entries(entries)) out[entry.slice(0, -4)] = decodeNpy(data, `${name}/${printable(entry)}`)
  return out
}
