/**
 * Writes a project file (.bplab) from the main process without stalling its event loop: the autosave
 * after every epoch, while the page streams telemetry. Encoding a 5 MB project at once (copies, zip
 * CRC) held the loop for 70–190 ms; here the tensors are not copied (the zip's chunks are views of the
 * checkpoint's arrays, src-engine/io/project.ts), the NaN check and the CRC-32 run one slice at a time with the
 * event loop served between slices, and the file is written asynchronously and atomically.
 */
import * as zlib from 'node:zlib'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { crc32 as crc32Js, projectParts, zipChunks, type ProjectData } from '../src-engine/io/project'
import { checkFinite } from '../src-engine/io/safetensors'
import { chunksLength, joinChunks } from '../src-engine/io/chunks'
import { writeFileAtomicAsync } from './file-store'

/** Bytes checksummed between two turns of the event loop (~0.1 ms natively, ~0.5 ms in JS). */
const SLICE_BYTES = 512 * 1024
/** Values checked for NaN and ±Infinity between two turns of the event loop (~0.3 ms). */
const SLICE_VALUES = 128 * 1024

/** Node's native CRC-32 (zlib.crc32, Node ≥ 20.15) when present; the same numbers in JS otherwise. */
const crc32: (bytes: Uint8Array, crc: number) => number =
  (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32 ?? crc32Js

/**
 * Encodes `data` as a project file and writes it to `path` atomically (temporary file, then rename).
 * The arrays in `data` must not change until this resolves. Returns the file's size in bytes.
 * Rejects (and leaves any previous file at `path`) on NaN weights or a failed write.
 */
export async function writeProjectFile(path: string, data: ProjectData): Promise<number> {
  const chunks = await projectChunks(data)
  await writeFileAtomicAsync(path, chunks)
  return chunksLength(chunks)
}

/** encodeProject's bytes, computed like writeProjectFile's (a slice at a time): an explicit save during training. */
export async function encodeProjectAsync(data: ProjectData): Promise<Uint8Array> {
  return joinChunks(await projectChunks(data))
}

/** The project's zip as chunks (views of the tensors), checked for NaN and checksummed a slice at a time. */
async function projectChunks(data: ProjectData): Promise<Uint8Array[]> {
  // Not in the turn that received the checkpoint: that one also delivered the epoch's report.
  await yieldToLoop()
  const tensors: [string, Float32Array][] = [
    ...Object.entries(data.weights ?? {}).map(([k, t]): [string, Float32Array] => [k, t.data]),
    ...Object.entries(data.optimizer?.state ?? {})
  ]
  for (const [name, a] of tensors) {
    for (let at = 0; at < a.length; at += SLICE_VALUES) {
      checkFinite(name, a, at, Math.min(a.length, at + SLICE_VALUES))
      if (a.length > SLICE_VALUES) await yieldToLoop()
    }
  }
  const parts = projectParts(data, { finiteChecked: true })
  const withCrc = []
  for (const part of parts) {
    let crc = 0
    for (const chunk of part.chunks) {
      for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
        crc = crc32(chunk.subarray(at, at + SLICE_BYTES), crc)
        if (chunk.length > SLICE_BYTES) await yieldToLoop()
      }
    }
    withCrc.push({ ...part, crc })
  }
  return zipChunks(withCrc)
}
