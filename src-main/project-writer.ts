/**
 * Encodes a project file (.bplab) on the main process without stalling its event loop: an explicit save
 * while a run trains (the autosave after every epoch is written by the training thread itself,
 * src-engine/train/autosave.ts). Encoding a 5 MB project at once (copies, zip CRC) held the loop for
 * 70–190 ms; here the tensors are laid out as views of the model's arrays (src-engine/io/project.ts), and
 * the NaN check and the CRC-32 run about a millisecond of work at a time with the event loop served in
 * between.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { projectParts, zipChunks, type ProjectData } from '../src-engine/io/project'
import { crc32 } from '../src-engine/train/autosave'
import { checkFinite } from '../src-engine/io/safetensors'
import { joinChunks } from '../src-engine/io/chunks'

/** Bytes checksummed at a time (zlib.crc32 ran at ~300 MB/s here: ~0.2 ms), and at most per turn of the loop. */
const PIECE_BYTES = 64 * 1024
const TURN_BYTES = 512 * 1024
/** Values checked for NaN and ±Infinity at a time (~0.1 ms), and at most per turn of the loop. */
const PIECE_VALUES = 32 * 1024
const TURN_VALUES = 128 * 1024
/** Work done between two turns of the event loop at most. */
const TURN_MS = 1

/**
 * Returns a function to call after each piece of work, with the piece's share of a turn's work: it
 * yields to the event loop once a turn's worth has been done or TURN_MS have passed since the last
 * yield. (Yielding only inside arrays larger than a slice let a project's many smaller tensors be
 * checksummed in one turn: 18 ms.)
 */
function turns(): (share: number) => Promise<void> | undefined {
  let since = performance.now()
  let done = 0
  return (share) => {
    done += share
    if (done < 1 && performance.now() - since < TURN_MS) return undefined
    return yieldToLoop().then(() => {
      since = performance.now()
      done = 0
    })
  }
}

/** encodeProject's bytes, computed a millisecond's work at a time: an explicit save during training. Rejects on NaN weights. */
export async function encodeProjectAsync(data: ProjectData): Promise<Uint8Array> {
  return joinChunks(await projectChunks(data))
}

/** The project's zip as chunks (views of the tensors), checked for NaN and checksummed a millisecond's work at a time. */
async function projectChunks(data: ProjectData): Promise<Uint8Array[]> {
  // Not in the turn that received the model (a get-weights reply)
  await yieldToLoop()
  const tensors: [string, Float32Array][] = [
    ...Object.entries(data.weights ?? {}).map(([k, t]): [string, Float32Array] => [k, t.data]),
    ...Object.entries(data.optimizer?.state ?? {})
  ]
  const turn = turns()
  for (const [name, a] of tensors) {
    for (let at = 0; at < a.length; at += PIECE_VALUES) {
      const end = Math.min(a.length, at + PIECE_VALUES)
      checkFinite(name, a, at, end)
      await turn((end - at) / TURN_VALUES)
    }
  }
  const parts = projectParts(data, { finiteChecked: true })
  const withCrc = []
  for (const part of parts) {
    let crc = 0
    for (const chunk of part.chunks) {
      for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
        const piece = chunk.subarray(at, at + PIECE_BYTES)
        crc = crc32(piece, crc)
        await turn(piece.length / TURN_BYTES)
      }
    }
    withCrc.push({ ...part, crc })
  }
  return zipChunks(withCrc)
}
