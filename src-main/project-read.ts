/**
 * Reading a project file off the main thread. A project carries its language model's uploaded text (up to
 * 300 MB); reading, checksumming (CRC-32), decoding (strict UTF-8), counting and hashing it took the main
 * thread 2.4 s for 50 MB, and every window's requests, the training thread's telemetry and the autosave waited.
 * So the whole read runs in a thread of its own (`project-reader.ts`, one per read, ended once it answers): it
 * reads the file (or decodes the page's base64 upload), validates it (io/project.ts decodeProject), hashes the
 * carried text as the kept texts are named (file-store.ts contentHash), and hands the result back with its arrays
 * transferred, not copied. The main thread only applies it.
 *
 * A language model's text uploaded by the page (data:text-upload, up to 300 MB) is read there too: decoded from
 * base64, checked as a text file (strict UTF-8, not empty), counted and hashed (`TextJob`). So is a weights file to
 * import (`WeightsJob`): read (or decoded from the page's base64) and decoded tensor by tensor, every value checked
 * finite (io/safetensors.ts decodeSafetensors); a 100 MB file (25 M parameters) held the main thread 0.5-0.66 s at load 8.5.
 *
 * Without a reader entry (tests with a fake training worker) the same job runs on the calling thread.
 */
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { decodeProject, ProjectError, type ProjectData, type ProjectErrorCode, type ProjectErrorFacts } from '../src-engine/io/project'
import { contentHash, readUploadedText } from './file-store'
import { textCounts } from '../src-engine/data/text'
import { decodeSafetensors, SafetensorsError, type SafetensorsFile } from '../src-engine/io/safetensors'
import { otherFormatKind, type OtherFormat } from '../src-engine/cli/weights-file'

/**
 * The bytes the page uploaded: as they are (the page's own uploads; handed to the reader thread by transfer, so
 * the caller must not use them afterwards), or as base64 (scripts, older pages), decoded and checked by the reader.
 */
export type Uploaded = { bytes: Uint8Array } | { base64: string }

/** An upload's bytes or base64, as a job carries them. */
export const uploaded = (source: Uploaded): Uploaded => ('bytes' in source ? { bytes: source.bytes } : { base64: source.base64 })

/** What to read: a file on this computer, or the bytes the page uploaded. */
export type ProjectJob = { name: string } & ({ path: string } | Uploaded)

/** The reader's answer; every failure as data (what the host then words as it always has). */
export type ProjectReply =
  | { kind: 'ok'; project: ProjectData; textHash?: string }
  /** The file could not be read: the system's error code (ENOENT…) and text. */
  | { kind: 'read-failed'; code?: string; message: string }
  /** decodeProject refused it (a ProjectError, its facts kept). */
  | { kind: 'project-error'; code: ProjectErrorCode; message: string } & ProjectErrorFacts
  /** Anything else went wrong (the thread failed, ran out of memory…). */
  | { kind: 'failed'; message: string }

/** An uploaded text to read as a language model's training text. */
export type TextJob = { text: true; name: string } & Uploaded

/** A text job's answer: its bytes, counts and contents hash, or why it cannot be trained on (file-store.ts readUploadedText). */
export type TextReply =
  | { kind: 'text'; bytes: Uint8Array; chars: number; vocab: number; hash: string }
  | { kind: 'bad-text'; why: 'empty' | 'encoding'; message: string }
  | { kind: 'failed'; message: string }

/** A weights file to import: a file on this computer, or the bytes the page uploaded (base64). */
export type WeightsJob = { weights: true; name: string } & ({ path: string } | Uploaded)

/** A weights job's answer: the decoded tensors and metadata, or why not (what importWeights then words as it always has). */
export type WeightsReply =
  | { kind: 'weights'; file: SafetensorsFile }
  | { kind: 'read-failed'; code?: string; message: string }
  /** decodeSafetensors refused it: its message, and `why` (SafetensorsError's kind and dtype) when it is not safetensors or not float32. */
  | { kind: 'bad-weights'; message: string; why?: { case: SafetensorsError['kind'] | `other-${PageOtherFormat}`; dtype?: string; tensor?: string; value?: string; index?: number } }
  | { kind: 'failed'; message: string }

/** The other files a weights import names to the page (bad-weights.other-<kind>); a zip of something else stays 'format'. */
type PageOtherFormat = Extract<OtherFormat, 'project' | 'npz' | 'npy' | 'onnx' | 'json'>
const PAGE_OTHER_FORMATS: ReadonlySet<OtherFormat> = new Set<PageOtherFormat>(['project', 'npz', 'npy', 'onnx', 'json'])

/** Reads and decodes one weights file (never throws). */
export function readWeightsJob(job: WeightsJob): WeightsReply {
  const bytes = jobBytes(job)
  if (!(bytes instanceof Uint8Array)) return bytes
  try {
    return { kind: 'weights', file: decodeSafetensors(bytes, job.name) }
  } catch (e) {
    const why = e instanceof SafetensorsError ? { case: e.kind, ...(e.dtype !== undefined ? { dtype: e.dtype } : {}), ...e.value } : undefined
    // no safetensors at all, but another of the lab's files picked by mistake (its project, its .npz or ONNX export):
    // the page says which and what to do with it (errors bad-weights.other-<kind>), not just "not safetensors" (Q4 B7)
    const other = why?.case === 'format' ? otherFormatKind(bytes, job.name) : null
    if (other !== null && PAGE_OTHER_FORMATS.has(other)) return { kind: 'bad-weights', message: e instanceof Error ? e.message : String(e), why: { case: `other-${other as PageOtherFormat}` } }
    return { kind: 'bad-weights', message: e instanceof Error ? e.message : String(e), ...(why ? { why } : {}) }
  }
}

/** A job's bytes: its file read, or its upload; a file that cannot be read as a 'read-failed' reply. */
function jobBytes(job: { path: string } | Uploaded): Uint8Array | { kind: 'read-failed'; code?: string; message: string } {
  if ('bytes' in job) return ownBytes(job.bytes)
  if ('base64' in job) return new Uint8Array(Buffer.from(job.base64, 'base64'))
  try {
    return new Uint8Array(readFileSync(job.path))
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    return { kind: 'read-failed', ...(typeof err?.code === 'string' ? { code: err.code } : {}), message: err instanceof Error ? err.message : String(e) }
  }
}

/**
 * Uploaded bytes in a buffer of their own: an upload may be a view into a larger buffer (a request carrying more than
 * one file; Electron's IPC may give one), and what is read from it is kept, transferred and viewed as floats
 * (aligned) like a file's bytes. Copied with `new Uint8Array`, not `slice`, which on a Node Buffer is a view again.
 */
function ownBytes(b: Uint8Array): Uint8Array {
  return isWhole(b) ? b : new Uint8Array(b)
}

/** Whether `b` is all of an ArrayBuffer of its own (not a view into a larger or shared one): only then may it be moved. */
const isWhole = (b: Uint8Array): boolean => b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength

/** Reads one uploaded text (never throws). */
export function readTextJob(job: TextJob): TextReply {
  try {
    const bytes = 'bytes' in job ? ownBytes(job.bytes) : new Uint8Array(Buffer.from(job.base64, 'base64'))
    const read = readUploadedText(bytes, job.name)
    if (!read.ok) return { kind: 'bad-text', why: read.why, message: read.message }
    return { kind: 'text', bytes, ...textCounts(read.text), hash: contentHash(bytes) }
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) }
  }
}

/** Reads, decodes and validates one project (never throws). */
export function readProjectJob(job: ProjectJob): ProjectReply {
  const bytes = jobBytes(job)
  if (!(bytes instanceof Uint8Array)) return bytes
  try {
    const project = decodeProject(bytes, job.name)
    return project.text ? { kind: 'ok', project, textHash: contentHash(project.text.bytes) } : { kind: 'ok', project }
  } catch (e) {
    if (e instanceof ProjectError) {
      return { kind: 'project-error', code: e.code, message: e.message, ...(e.issue ? { issue: e.issue } : {}), ...(e.problems ? { problems: e.problems } : {}), ...(e.part ? { part: e.part } : {}) }
    }
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) }
  }
}

/** The ArrayBuffers a reply's arrays live in (weights, optimizer state, text), each once: moved to the main thread, not copied. */
export function replyTransfers(reply: ProjectReply | TextReply | WeightsReply): ArrayBuffer[] {
  if (reply.kind === 'text') return reply.bytes.buffer instanceof ArrayBuffer ? [reply.bytes.buffer] : []
  if (reply.kind !== 'ok' && reply.kind !== 'weights') return []
  const p = reply.kind === 'ok' ? reply.project : { weights: reply.file.tensors }
  const views: ArrayBufferView[] = [
    ...Object.values(p.weights ?? {}).map((t) => t.data),
    ...('optimizer' in p ? Object.values(p.optimizer?.state ?? {}) : []),
    ...('text' in p && p.text ? [p.text.bytes] : [])
  ]
  const out = new Set<ArrayBuffer>()
  for (const v of views) if (v.buffer instanceof ArrayBuffer) out.add(v.buffer)
  return [...out]
}

/**
 * Runs `job` in a reader thread started from `entry` (the bundled project-reader.ts), or here when there is
 * none. A thread that fails or ends without answering gives 'failed' with what it said.
 */
export function readProject(entry: string | URL | null, job: ProjectJob): Promise<ProjectReply> {
  return entry === null ? Promise.resolve(readProjectJob(job)) : inReader(entry, job)
}

/** Runs an uploaded text's job (readTextJob) in a reader thread started from `entry`, or here when there is none. */
export function readText(entry: string | URL | null, job: TextJob): Promise<TextReply> {
  return entry === null ? Promise.resolve(readTextJob(job)) : inReader(entry, job)
}

/** Runs a weights file's job (readWeightsJob) in a reader thread started from `entry`, or here when there is none. */
export function readWeights(entry: string | URL | null, job: WeightsJob): Promise<WeightsReply> {
  return entry === null ? Promise.resolve(readWeightsJob(job)) : inReader(entry, job)
}

/**
 * An upload's bytes go to the thread by transfer, not by copy: cloning 50 MB took the main thread ~40 ms. Only a
 * buffer the upload has to itself is moved: a view into a larger one (Electron's IPC may give one) has its own bytes
 * copied into a buffer of their own, which is moved (moving the larger buffer would take the rest of it from whatever
 * else uses it here, and send all of it to the reader). Whatever cannot be transferred is copied as before.
 */
function startReader(entry: string | URL, job: ProjectJob | TextJob | WeightsJob): Worker {
  if ('bytes' in job && job.bytes.byteLength >= TRANSFER_FROM) {
    const own = ownBytes(job.bytes)
    try {
      return new Worker(entry, { workerData: { ...job, bytes: own }, transferList: [own.buffer as ArrayBuffer] })
    } catch {
      // not transferable: copied below
    }
  }
  return new Worker(entry, { workerData: job })
}

/** Smaller uploads are copied (a view this small may share its buffer with others). */
const TRANSFER_FROM = 1024 * 1024

function inReader<R extends ProjectReply | TextReply | WeightsReply>(entry: string | URL, job: ProjectJob | TextJob | WeightsJob): Promise<R> {
  return new Promise((resolve) => {
    let done = false
    const finish = (r: R): void => {
      if (done) return
      done = true
      resolve(r)
      void worker.terminate().catch(() => undefined)
    }
    const worker = startReader(entry, job)
    worker.once('message', (m: R) => finish(m))
    worker.once('error', (e) => finish({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } as R))
    worker.once('exit', (code) => finish({ kind: 'failed', message: `the reading thread stopped (exit code ${code})` } as R))
  })
}
