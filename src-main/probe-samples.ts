/**
 * The feature maps' probe images (data:samples) from the data the run trains on: held-out examples of the built-in
 * digits (engine-pure.ts) or of an IDX folder, its t10k files. A run on Fashion-MNIST was probed with handwritten
 * digits, since the channel knew no source (Q1 F14). A text gives none: it has no images to probe with.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import type { Dataset } from '../src-engine/data/dataset'
import { idxSplitFiles } from '../src-engine/data/files'
import { IdxTooLargeError, isGzip, MAX_IDX_BYTES, maybeGunzip, parseIdx, type IdxArray } from '../src-engine/data/idx'
import { Rng } from '../src-engine/rng'

const inflate = promisify(gunzip)

export interface SampleSet { images: number[][]; labels: number[] }

/** The probe's size: 28 × 28 grey levels, as the host's train:set-probe takes them (lab-host.ts IMAGE_SIZE). */
export const PROBE_SIDE = 28

/** `count` of `n` indices picked by `seed`, without repeats (the same seed picks the same ones). */
function pickOrder(n: number, count: number, seed: number): number[] {
  const rng = new Rng(seed)
  // Partial Fisher–Yates: the first `count` slots end up a seeded sample without repeats.
  const order = Array.from({ length: n }, (_, i) => i)
  const m = Math.min(count, n)
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i)
    const t = order[i]; order[i] = order[j]; order[j] = t
  }
  return order.slice(0, m)
}

/** `count` examples of `test` picked by `seed` (the built-in digits' held-out set: engine-pure.ts). */
export function pickSamples(test: Dataset, count: number, seed: number): SampleSet {
  const [c, h, w] = test.shape
  const size = c * h * w
  const picked = pickOrder(test.n, count, seed)
  return {
    images: picked.map((k) => Array.from(test.images.subarray(k * size, (k + 1) * size))),
    labels: picked.map((k) => test.labels[k])
  }
}

/** Why an IDX folder gives no probe images: its files could not be read, or its images are not 28 × 28. */
export type IdxSamplesProblem =
  | { case: 'idx'; dir: string; detail: string }
  | { case: 'size'; dir: string; shape: string }

/** A folder's held-out images as their files hold them: n images of h × w bytes, and n labels. */
interface HeldOut { dir: string; n: number; h: number; w: number; pixels: Uint8Array; labels: Uint8Array }

/**
 * The last folder's held-out set, kept so that "Other images" does not read and inflate its files again; only one, as
 * bytes (Fashion-MNIST's t10k: 4.4 MB gzipped, 7.8 MB kept; as the engine's floats it would be 31 MB).
 */
let kept: HeldOut | null = null

/**
 * An IDX file's bytes read and inflated off this thread (the host's: the page's requests wait behind it). Inflating
 * Fashion-MNIST's t10k images here took 80-140 ms of it; read and parsed as the engine reads them (files.ts), it is the
 * header's check only. Errors worded as the engine's (idx.ts maybeGunzip, parseIdx).
 */
async function readIdx(dir: string, name: string): Promise<IdxArray> {
  const path = join(dir, name)
  if ((await stat(path)).size > MAX_IDX_BYTES) throw new IdxTooLargeError(name, MAX_IDX_BYTES)
  const raw = await readFile(path)
  let bytes: Uint8Array = raw
  if (isGzip(raw)) {
    try {
      bytes = await inflate(raw, { maxOutputLength: MAX_IDX_BYTES })
    } catch (e) {
      bytes = maybeGunzip(raw, name, () => { throw e })
    }
  }
  return parseIdx(bytes, name)
}

async function readHeldOut(dir: string): Promise<HeldOut> {
  const files = idxSplitFiles(dir)('test')
  const [images, labels] = await Promise.all([readIdx(dir, files.images), readIdx(dir, files.labels)])
  if (images.dims.length !== 3) throw new Error(`${files.images} should hold images (3 dimensions: count, height, width) but declares ${images.dims.length}`)
  const [n, h, w] = images.dims
  if (labels.dims.length !== 1 || labels.dims[0] !== n) throw new Error(`${files.images} has ${n} images but ${files.labels} holds ${labels.dims.join(' × ')} labels; they must come in matching pairs`)
  return { dir, n, h, w, pixels: images.data, labels: labels.data }
}

/** `count` held-out images of the IDX folder `dir`, picked by `seed`, or what stands in the way. */
export async function idxSamples(dir: string, count: number, seed: number): Promise<{ ok: true; value: SampleSet } | { ok: false; problem: IdxSamplesProblem }> {
  let held: HeldOut
  try {
    held = kept?.dir === dir ? kept : await readHeldOut(dir)
  } catch (e) {
    return { ok: false, problem: { case: 'idx', dir, detail: e instanceof Error ? e.message : String(e) } }
  }
  kept = held
  if (held.h !== PROBE_SIDE || held.w !== PROBE_SIDE) return { ok: false, problem: { case: 'size', dir, shape: `${held.h}\u00a0×\u00a0${held.w}` } }
  const size = held.h * held.w
  // grey levels as the engine scales them for training (dataset.ts datasetFromBytes), as float32
  const scale = 1 / 255
  const picked = pickOrder(held.n, count, seed)
  return {
    ok: true,
    value: {
      images: picked.map((k) => Array.from(held.pixels.subarray(k * size, (k + 1) * size), (v) => Math.fround(v * scale))),
      labels: picked.map((k) => held.labels[k])
    }
  }
}
