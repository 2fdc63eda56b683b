/**
 * Projects, weights import and autosave on the host side (plain Node, no Electron).
 *
 * - save: the page's state (spec, settings, history) plus the worker's weights and optimizer state,
 *   encoded as one .bplab file; to the page as a download, or to disk (desktop dialogs via FileAccess).
 * - open: the whole file is read and validated (decodeProject) before anything changes, in a reader thread
 *   (project-read.ts: a carried text of 50 MB held this thread 2.4 s); then its weights are loaded into the
 *   worker ('load-model'), so predict and export work at once.
 * - a language model's uploaded text (one the lab keeps under texts/) goes into the project it trains, and
 *   opening the project keeps it again (the same text kept once) and points the settings at it, so the
 *   project trains on another computer too.
 * - import weights: a safetensors file read and decoded in the reader thread too (project-read.ts), checked tensor
 *   by tensor against the open architecture; the loaded model is replaced only when every tensor fits.
 * - what a read brings back is applied only if nothing changed meanwhile (a run started, the lab closed: refused), and
 *   opens and imports apply one at a time, so the host holds the model of the last one answered.
 * - autosave: after every epoch the worker keeps a checkpoint and says so; this service sends it the run's
 *   settings and history and the worker writes <dataDir>/recovery.bplab itself, atomically
 *   (src-engine/train/autosave.ts), so the checkpoint's arrays never reach this thread. An explicit save
 *   removes the autosave only when it is of the project saved (its run is in the saved history, or is the run of
 *   the weights saved): a crashed session's unsaved training, still offered, outlives the save of another project
 *   (Q3's F20). On start the page asks `recovery()` and offers to recover it, but only an autosave an earlier host
 *   session left (a crash, a quit without saving): one this service wrote is of a run the page can see, never offered.
 */
import { accessSync, constants, existsSync, readFileSync, rmSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { NetSpec, SpecIssue } from '../src-engine/spec-types'
import type { LAB_ERRORS } from './ipc/contract'
import { TRAINING_PRIORITIES, type AutosaveProject, type BatchPoint, type Checkpoint, type TrainingPriority, type TrainSettings } from '../src-engine/protocol'
import { validateSpec } from '../src-engine/spec'
import { layerNames } from '../src-engine/spec-names'
import { PROJECT_EXTENSION, type ProjectData, type ProjectText } from '../src-engine/io/project'
import { readProject, readText, readWeights, uploaded, type ProjectJob, type WeightsJob } from './project-read'
import { checkWeightsAgainst, describeWeightProblem, specFromMetadata } from '../src-engine/io/safetensors'
import type {
  ErrorParams, ExportFormat, FileSource, FileTarget, LabError, LabEvent, OpenedProject, ProjectState, RecoveryInfo, Result,
  SavedFile, SavedHistory, SavedRun, StoredText, TextProblem
} from './ipc/contract'
import { cleanHistory } from './ipc/project-schemas'
import { MAX_VOCAB } from './ipc/validate'
import { errorText, refuse } from './ipc/refuse'
import { RECENT_FILE, RECOVERY_FILE, RecentList, keepText, keptText, listTextFiles, removeTextFile, storeTextFile, textsDir, writeFileAtomicAsync } from './file-store'
import { CurveThinner } from '../src-engine/train/loss-curve'
import { vocabFromChars } from '../src-engine/data/text'
import { encodeProjectAsync } from './project-writer'
import { withFileBytes } from './file-base64'
import { setImmediate as yieldToLoop } from 'node:timers/promises'

export type FileKind = 'project' | ExportFormat

/** The desktop's file dialogs (Electron); absent in the web shell, where the page uploads and downloads. */
export interface FileAccess {
  /** Asks where to save; null when the user cancels. */
  askSavePath(suggestedName: string, kind: FileKind): Promise<string | null>
  /** Asks which file to open; null when the user cancels. */
  askOpenPath(kind: FileKind): Promise<string | null>
  /** Tells the system (and the File › Open Recent menu) that a project was used. */
  noteRecent?(path: string, all: string[]): void
}

/** What the service needs from LabHost. */
export interface ModelHost {
  getModel(): Promise<Result<Checkpoint>>
  /** handOver: the arrays are the caller's to give up (moved to the training thread, unusable here after). */
  loadModel(spec: NetSpec, weights: Record<string, Float32Array>, optimizer?: Checkpoint['optimizer'], vocab?: string[], handOver?: boolean): Promise<Result<{ params: number }>>
  modelFile(format: ExportFormat): Promise<Result<{ fileName: string; bytes: Uint8Array }>>
  isTraining(): boolean
  /** The lab is shutting down (its window closed): what a read brings back is no longer applied. Absent: never. */
  isClosed?(): boolean
  /** The priority an opened project's settings ask for: a training worker started for its weights starts at it. Returns the one it replaces. */
  preferPriority(priority: TrainingPriority): TrainingPriority
  /** Has the training worker write the checkpoint it kept after `epoch` of `runId` to `path` (its 'autosave' command). */
  autosave(job: AutosaveJob): Promise<Result<unknown>>
  /** Holds no model any more (an opened project without weights is untrained): predict and export say "train first". */
  forgetModel(): void
}

/** An autosave the training worker writes from the checkpoint it kept. */
export interface AutosaveJob { runId: string; epoch: number; path: string; project: AutosaveProject }

export interface ProjectServiceOptions {
  /** Folder for recovery.bplab and the recent list; null = no autosave. */
  dataDir: string | null
  files?: FileAccess
  /** The project reader thread's entry (the bundled project-reader.ts): projects are read and decoded there,
   *  off this thread (project-read.ts). Absent: on this thread (tests with a fake training worker). */
  reader?: string | URL
  /** An autosave failed after one written (or the first), params saying why; or one was written after failures (null). */
  onAutosave?: (runId: string, failed: ErrorParams | null) => void
}

/** Runs kept in an autosave's history (as the training page keeps them). */
const MAX_RUNS = 6

/**
 * Beside recovery.bplab: the runs forgotten (train:forget-runs) that the autosave on disk may still list, because it was
 * written (or was being written) before they were forgotten. recovery() and a recovery's open leave them out, so a crash
 * before the next autosave does not offer them back. Removed once an autosave made after the forget is written, and
 * with the autosave (a save of its project, a discard). A few hundred bytes, where rewriting the autosave itself would
 * write its weights and optimizer state again (measured in ProjectService.forgetRuns' notes).
 */
export const FORGOTTEN_FILE = 'recovery-forgotten.json'
const FORGOTTEN_FORMAT = 'backprop-lab-forgotten-runs'
/** Ids the side file keeps at most (a request names at most 100; a session forgetting more keeps the latest). */
const MAX_FORGOTTEN = 600

/** The run ids a forgotten-runs side file lists; none for a missing, damaged or foreign file. */
export function readForgotten(path: string | null): Set<string> {
  if (!path) return new Set()
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; ids?: unknown }
    if (raw?.format !== FORGOTTEN_FORMAT || !Array.isArray(raw.ids)) return new Set()
    return new Set(raw.ids.filter((id): id is string => typeof id === 'string'))
  } catch {
    return new Set()
  }
}

const fail = refuse

/** A file the page uploaded. */
export type UploadSource = Extract<FileSource, { from: 'upload' }>

/** "My net!" → "my-net" for file names. */
export function fileStem(name: string | undefined): string {
  return (name ?? 'model').toLowerCase().replace(/[^a-z0-9\uac00-\ud7a3]+/g, '-').replace(/^-|-$/g, '') || 'model'
}

/** Named tensors ({shape, data}: a checkpoint's or a weights file's) as the arrays loadModel takes. */
export function tensorArrays(tensors: Record<string, { data: Float32Array }>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.data]))
}

/** Every weight a spec's network holds, with its shape (params and batch-norm buffers). */
export function expectedWeights(spec: NetSpec): { ok: true; shapes: Record<string, number[]> } | { ok: false; message: string; issue?: SpecIssue } {
  const report = validateSpec(spec)
  if (!report.ok) {
    const first = report.issues.find((i) => i.severity === 'error')
    return first ? { ok: false, message: first.message, issue: first } : { ok: false, message: 'the architecture has errors' }
  }
  const shapes: Record<string, number[]> = {}
  for (const l of report.layers) {
    for (const [p, shape] of Object.entries(l.paramShapes)) shapes[`${l.name}.${p}`] = shape
    for (const [p, shape] of Object.entries(l.bufferShapes ?? {})) shapes[`${l.name}.${p}`] = shape
  }
  return { ok: true, shapes }
}

/** The page's spec, with the vocabulary size the trained model learned (language models) when it lacks one. */
function withModelVocab(spec: NetSpec, model: NetSpec | null): NetSpec {
  return model?.vocab !== undefined && spec.vocab === undefined ? { ...spec, vocab: model.vocab } : spec
}

/**
 * The vocabulary size a weights file gives a language model whose page knows none yet (no text loaded):
 * its own spec's (metadata "spec"), else the number of its characters (metadata "vocab"), else the rows of
 * the first TimeEmbedding's W (V, D). `vocab` undefined: the file says nothing (or the network has no
 * embedding), and the check against the architecture words what is missing. A size the file gives that no
 * model can have (0, 1e9, not a whole number) is the file's fault.
 */
export function fileVocabSize(
  spec: NetSpec, file: { tensors: Record<string, { shape: readonly number[] }>; metadata: Record<string, string> }, fileName: string, chars?: string[]
): { ok: true; vocab?: number } | { ok: false; got: string; from: 'spec' | 'embedding' } {
  const good = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_VOCAB
  let fileSpec: unknown = null
  try {
    fileSpec = specFromMetadata(file as Parameters<typeof specFromMetadata>[0], fileName)
  } catch {
    fileSpec = null // a damaged spec in the metadata: the tensors still say what they are
  }
  const given = fileSpec !== null && typeof fileSpec === 'object' ? (fileSpec as { vocab?: unknown }).vocab : undefined
  if (given !== undefined) return good(given) ? { ok: true, vocab: given } : { ok: false, got: givenText(given), from: 'spec' }
  if (chars) return { ok: true, vocab: chars.length }
  if (spec.task !== 'language-model' && spec.layers[0]?.type !== 'TimeEmbedding') return { ok: true }
  const names = layerNames(spec.layers)
  const at = spec.layers.findIndex((l) => l.type === 'TimeEmbedding')
  const rows = at >= 0 ? file.tensors[`${names[at]}.W`]?.shape[0] : undefined
  if (rows === undefined) return { ok: true }
  return good(rows) ? { ok: true, vocab: rows } : { ok: false, got: String(rows), from: 'embedding' }
}

/**
 * A size the file gives, as the refusal names it. JSON.stringify (and String) walk an array recursively: a value nested
 * 100,000 deep overflows the stack (a RangeError importWeights does not catch, so the dispatcher answered 'internal').
 */
function givenText(given: unknown): string {
  try {
    const text = JSON.stringify(given) ?? String(given)
    return text.length > 40 ? `${text.slice(0, 40)}…` : text
  } catch {
    return Array.isArray(given) ? 'a list nested too deep to read' : 'a value the lab cannot read'
  }
}

/**
 * The kind of a failed read or write the page has its own sentence for (params.case of 'read-failed' and
 * 'write-failed'): no permission, a full disk, a read-only disk, a folder where a file was meant. Anything else
 * goes without a case and the page shows the system's own text, labelled as such.
 */
type FsCase<C extends 'read-failed' | 'write-failed'> = { case?: (typeof LAB_ERRORS)[C][number] }
export function fsFailureCase(e: unknown, writing: false): FsCase<'read-failed'>
export function fsFailureCase(e: unknown, writing: true): FsCase<'write-failed'>
export function fsFailureCase(e: unknown, writing: boolean): FsCase<'read-failed' | 'write-failed'> {
  const err = e as NodeJS.ErrnoException | null
  // an error that crossed a thread (the training worker's autosave) keeps only its text: "EROFS: read-only file system, …"
  const code = err?.code ?? /^(E[A-Z]+):/.exec(errorText(e))?.[1]
  if (code === 'EACCES' || code === 'EPERM') return { case: 'permission' }
  if (code === 'EISDIR') return { case: 'is-folder' }
  if (writing && (code === 'ENOSPC' || code === 'EDQUOT')) return { case: 'no-space' }
  if (writing && code === 'EROFS') return { case: 'read-only' }
  // A recursive mkdir under a read-only mount fails with ENOENT (Node names the missing folder, not the refusal: Q4's
  // B4, "ENOENT … mkdir '<data>/texts'"): the nearest folder that exists says why it could not be made.
  if (writing && code === 'ENOENT') {
    const path = err?.path ?? /, mkdir '(.*)'$/.exec(errorText(e))?.[1]
    if (path && (err?.syscall === 'mkdir' || / mkdir '/.test(errorText(e)))) return parentRefusal(path)
  }
  return {}
}

/** Why nothing can be made under `path`: its nearest existing folder is read-only or not writable to this user. */
function parentRefusal(path: string): FsCase<'write-failed'> {
  let dir = dirname(path)
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  try {
    accessSync(dir, constants.W_OK)
    return {}
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return code === 'EROFS' ? { case: 'read-only' } : code === 'EACCES' || code === 'EPERM' ? { case: 'permission' } : {}
  }
}

/**
 * A write into the lab's own data folder (an uploaded text, the autosave) refused for a known reason: the learner cannot
 * choose another folder there (the web shell has none to choose), so the case names the data folder and the page says
 * to make it writable or free space, or to start the lab with another BACKPROP_LAB_DATA_DIR.
 */
export function dataFolderFailure(e: unknown, dataDir: string | null): { detail: string; folder?: string } & FsCase<'write-failed'> {
  const fs = fsFailureCase(e, true).case
  const known = fs === 'read-only' || fs === 'no-space' || fs === 'permission'
  if (!dataDir) return { detail: errorText(e), ...(fs ? { case: fs } : {}) }
  return { detail: errorText(e), case: known ? `data-${fs}` : 'data', folder: dataDir }
}

export class ProjectService {
  private readonly dataDir: string | null
  private readonly files: FileAccess | undefined
  private readonly reader: string | URL | null
  private readonly recentList: RecentList | null
  /** The file Save writes to without asking (desktop), set by the last open or save-as. */
  private currentPath: string | null = null
  private readonly runs = new Map<string, SavedRun>()
  /** Epochs trained before a run that continues another (its epochs are kept numbered on) and where its curve
   * begins (its batch points are placed from there: part-way through an epoch after weights kept mid-epoch). */
  private readonly offsets = new Map<string, { epochs: number; x: number }>()
  /** Each run's curve thinning (the autosave keeps a bounded curve, like the page). */
  private readonly curves = new Map<string, CurveThinner>()
  private currentRunId: string | null = null
  /** The run whose model the host holds (the last started, or the opened project's current run): the run a
   * continuation (a start with an epoch offset) carries on. */
  private modelRunId: string | null = null
  /**
   * Why the last autosave failed, as told to the page (onAutosave's params: the file, the system's text as `detail`, the
   * data folder's case), null after one written; and the run it was told for. Autosave never interrupts training, but a
   * learner told that training autosaves must hear that a crash now would lose it: the first failure (again for each
   * run: a page loaded since hears it then), and the first autosave written after failures, are told, not every epoch
   * (Q4's B3). A page loaded again meanwhile missed the event and gets it from train:current (autosaveFailed).
   */
  autosaveFailure: ErrorParams | null = null
  private failedRun: string | null = null

  /** The last autosave's failure in English (logs, tests), null after one written. */
  get lastAutosaveError(): string | null {
    const f = this.autosaveFailure
    return f ? `the autosave could not be written to ${this.recoveryPath}: ${String(f.detail)}` : null
  }
  /** The autosave being written, and the newest one waiting for it (older waiting ones are dropped). */
  private writing: Promise<void> | null = null
  private queued: AutosaveJob | null = null
  /** An explicit save or discard since the autosave was queued: it must not come back. */
  private cleared = 0
  /**
   * The run the autosave on disk was written for: this service's last one written, or the one recovery() read (its
   * history's current run); null when there is none worth keeping (removed, damaged); undefined when not known
   * (a file left by another session and not read yet). A save removes only an autosave known to be of it.
   */
  private onDisk: string | null | undefined = undefined
  /** The run of the autosave being written (drain), whose file replaces the one on disk; and how many were written. */
  private inFlight: string | null = null
  private writes = 0
  /**
   * The autosave on disk is one this service wrote: of a run of this host session, which the page lists (Continue, its
   * runs, Save), so recovery() does not offer it. False for a file an earlier session left (a crash, a quit without
   * saving), offered however often it is asked for (a page loaded again many times), until this session replaces it.
   */
  private ownOnDisk = false
  /**
   * Runs forgotten while an autosave of this session that lists them was on disk or being written: the side file
   * (FORGOTTEN_FILE) lists them until an autosave made after the last forget (forgetGen; queuedGen for the one waiting)
   * replaces it. sideFile: the file may exist (an earlier session may have left one: unknown until removed).
   */
  private readonly forgotten = new Set<string>()
  private forgetGen = 0
  private queuedGen = 0
  private sideFile = true
  /** An earlier session's side file has been read into `forgotten` (forgetInAutosave: once, before this session's first write). */
  private sideMerged = false
  /** The side file's writes and removals, one at a time and in order (a forget's write, then a later write's removal). */
  private sideOps: Promise<void> = Promise.resolve()
  /**
   * The opens and weight imports applying what they read, one at a time (their reads run side by side): each
   * loads or forgets the host's model and then answers, and the page applies the answers in the order they come,
   * so the host must end up holding the model of the last one answered. A run started meanwhile waits (settled).
   */
  private applying: Promise<unknown> = Promise.resolve()

  constructor(private readonly host: ModelHost, private readonly opts: ProjectServiceOptions) {
    this.dataDir = opts.dataDir
    this.files = opts.files
    this.reader = opts.reader ?? null
    this.recentList = opts.dataDir && opts.files ? new RecentList(join(opts.dataDir, RECENT_FILE)) : null
  }

  /** Whether runs should send checkpoints (there is somewhere to autosave them). */
  get autosaves(): boolean {
    return this.dataDir !== null
  }

  get recoveryPath(): string | null {
    return this.dataDir ? join(this.dataDir, RECOVERY_FILE) : null
  }

  // ── tracking runs for the autosave ───────────────────────────────────────

  /**
   * A run started: an epoch offset (`offset`, even 0) makes it a continuation of the held model's run, as the page sends
   * it (train.svelte.ts launch: only with a continuation), e.g. from the weights kept before a diverged run that
   * began at epoch 0 (placed and numbered from 0, but linked); absent, a run of its own (perhaps from the held
   * weights: project.weightsChoice 'keep'), unless xOffset says it begins part-way through an epoch.
   */
  runStarted(runId: string, spec: NetSpec, settings: TrainSettings, offset?: number, x?: number): void {
    const run: SavedRun = { id: runId, specName: spec.name ?? '', settings, state: 'running', batchX: [], batchLoss: [], epochs: [], spec }
    const epochOffset = offset ?? 0
    const xOffset = x ?? epochOffset
    // a continuation from weights kept in epoch 1 begins part-way through it: numbered 0, placed at 0.x
    if (offset !== undefined || xOffset !== epochOffset) {
      this.offsets.set(runId, { epochs: epochOffset, x: xOffset })
      if (this.modelRunId) {
        // as the page words it: another optimizer starts with fresh state
        const from = this.runs.get(this.modelRunId)?.settings.optimizer
        run.continues = {
          runId: this.modelRunId, epochOffset, ...(xOffset !== epochOffset ? { xOffset } : {}),
          ...(from && from !== settings.optimizer ? { optimizerFresh: { from, to: settings.optimizer } } : {})
        }
      }
    }
    this.runs.set(runId, run)
    this.currentRunId = runId
    this.modelRunId = runId
    while (this.runs.size > MAX_RUNS) {
      // as the page's list drops them (train.svelte.ts nextDropped): a run that failed before its first mini-batch first,
      // so failed Starts never push a trained run out of a saved project or the autosave (Q4's B6)
      const failed = [...this.runs.values()].find((r) => r.id !== runId && r.state === 'failed' && r.batchX.length === 0 && r.epochs.length === 0)
      const oldest = failed?.id ?? (this.runs.keys().next().value as string)
      this.runs.delete(oldest)
      this.offsets.delete(oldest)
      this.curves.delete(oldest)
    }
  }

  /**
   * Forgets the listed runs that ended (done, stopped, failed; LabHost.forgetRuns): an experiment cleared them from its
   * page. A run still running, paused or starting (its state here may lag the host's: `live` is the host's run) stays.
   * So does the run whose model the host holds (modelRunId): a Continue, from this page or one loaded again (it is
   * offered the held run with Continue, train:current), links to it (continues.runId), and a link to a run no longer in
   * the history left the continuation's curve without the run it carries on (RE's finding on 5c6a061).
   */
  forgetRuns(ids: readonly string[], live: string | null): string[] {
    const gone: string[] = []
    for (const id of new Set(ids)) {
      const run = this.runs.get(id)
      if (!run || id === live || id === this.modelRunId || run.state === 'running' || run.state === 'paused' || run.state === 'idle') continue
      this.runs.delete(id)
      this.offsets.delete(id)
      this.curves.delete(id)
      if (this.currentRunId === id) this.currentRunId = null
      gone.push(id)
    }
    if (gone.length > 0) this.forgetInAutosave(gone)
    return gone
  }

  /**
   * Forgotten runs leave the autosave at once, not at its next write (a crash in between offered them back): the one
   * waiting to be written loses them (the whole job when it is a forgotten run's checkpoint), and one on disk or being
   * written, made before the forget, is answered for by the side file, written now (forgottenWritten). Rewriting
   * recovery.bplab instead would write the model again: the 5 MB SimpleConvNet project took tens of milliseconds, a
   * large model's hundreds of megabytes seconds, for the × of a run list; the side file is a few hundred bytes.
   */
  private forgetInAutosave(gone: readonly string[]): void {
    const path = this.recoveryPath
    if (!path) return
    this.forgetGen++
    const q = this.queued
    if (q) {
      if (gone.includes(q.runId)) this.queued = null
      else {
        // its history is a copy made for it (a job waits only while another is written: onWorkerCheckpoint)
        const h = q.project.history as SavedHistory
        h.runs = h.runs.filter((r) => !gone.includes(r.id))
        if (h.currentId !== null && gone.includes(h.currentId)) h.currentId = null
        this.queuedGen = this.forgetGen
      }
    }
    // no autosave of this session on disk or on its way: the file there (none, or an earlier session's) lists none of them
    if (!this.ownOnDisk && this.inFlight === null) return
    const side = join(dirname(path), FORGOTTEN_FILE)
    // this session's first autosave is still on its way over an earlier session's: that one's side file keeps its
    // ids, or a failed write would leave the earlier autosave on disk offering its forgotten runs back
    if (!this.ownOnDisk && !this.sideMerged) {
      this.sideMerged = true
      for (const id of readForgotten(side)) this.forgotten.add(id)
    }
    for (const id of gone) this.forgotten.add(id)
    const ids = [...this.forgotten].slice(-MAX_FORGOTTEN)
    const cleared = this.cleared
    const bytes = new TextEncoder().encode(JSON.stringify({ format: FORGOTTEN_FORMAT, version: 1, ids }))
    this.sideFile = true
    this.sideOps = this.sideOps.then(async () => {
      // saved or discarded meanwhile: the autosave is gone, and its side file with it
      if (cleared !== this.cleared) return
      try {
        await writeFileAtomicAsync(side, bytes)
      } catch {
        // the data folder refuses writes: the autosave after the next epoch fails the same way and is told (onAutosave)
      }
    })
  }

  /** Resolves once the side file says what was forgotten (train:forget-runs answers after it). */
  forgottenWritten(): Promise<void> {
    return this.sideOps
  }

  /** An autosave made after every forget is on disk (or the autosave is gone): the side file has nothing to answer for. */
  private dropSideFile(): void {
    this.forgotten.clear()
    const path = this.recoveryPath
    if (!path || !this.sideFile) return
    this.sideFile = false
    const side = join(dirname(path), FORGOTTEN_FILE)
    this.sideOps = this.sideOps.then(() => rm(side, { force: true })).catch(() => undefined)
  }

  /** Follows the host's event stream (the same one the page sees). */
  track(e: LabEvent): void {
    if (e.type === 'error' || e.runId === null) return
    const run = this.runs.get(e.runId)
    if (!run) return
    const off = this.offsets.get(e.runId)?.epochs ?? 0
    const x0 = this.offsets.get(e.runId)?.x ?? 0
    switch (e.type) {
      case 'batches':
        for (const p of e.points as BatchPoint[]) {
          this.curve(e.runId).push(run.batchX, run.batchLoss, x0 + (p.batches > 0 ? p.epoch - 1 + p.batch / p.batches : p.epoch), p.loss)
        }
        return
      case 'epoch': {
        const { confidentWrong: _images, ...raw } = e.report
        const report = off ? { ...raw, epoch: raw.epoch + off } : raw
        run.epochs = [...run.epochs.filter((r) => r.epoch !== report.epoch), report]
        return
      }
      case 'state':
        run.state = e.state
        return
      default:
        return
    }
  }

  /** The run's loss curve keeps at most MAX_CURVE_POINTS points, as the page's does. */
  private curve(runId: string): CurveThinner {
    let c = this.curves.get(runId)
    if (!c) this.curves.set(runId, (c = new CurveThinner()))
    return c
  }

  /** Batches per point of a run's curve (1 until it was first thinned), for a page that takes the curve over (train:current). */
  curveStride(runId: string): number {
    return this.curves.get(runId)?.stride ?? 1
  }

  history(): SavedHistory {
    return { runs: [...this.runs.values()].map((r) => ({ ...r, batchX: [...r.batchX], batchLoss: [...r.batchLoss], epochs: [...r.epochs] })), currentId: this.currentRunId }
  }

  /**
   * The training worker kept its weights after epoch `epoch` of `runId`: it writes them as the autosave
   * with the settings and history sent from here (src-engine/train/autosave.ts), so the arrays never
   * reach this thread. Never throws: a full disk must not stop training.
   */
  onWorkerCheckpoint(runId: string, epoch: number): void {
    const path = this.recoveryPath
    const run = this.runs.get(runId)
    if (!path || !run) return
    // With no autosave in progress the command is posted (and so cloned) at once: the runs need no copy,
    // which for a long history would be large arrays made and dropped here at every epoch.
    const history: SavedHistory = this.writing ? this.history() : { runs: [...this.runs.values()], currentId: this.currentRunId }
    this.queued = { runId, epoch, path, project: { settings: run.settings, history, epoch: epoch + (this.offsets.get(runId)?.epochs ?? 0) } }
    this.queuedGen = this.forgetGen
    this.writing ??= this.drain(path)
  }

  /** Resolves when every queued autosave is on disk (tests, shutdown, and a priority move before it retires the thread holding their checkpoints). */
  async flushAutosave(): Promise<void> {
    while (this.writing) await this.writing
  }

  private async drain(path: string): Promise<void> {
    try {
      while (this.queued) {
        const next = this.queued
        const generation = this.cleared
        const made = this.queuedGen
        this.queued = null
        this.inFlight = next.runId
        try {
          const r = await this.host.autosave(next)
          if (!r.ok) throw new Error(r.error.message)
          if (!(r.value as { written?: unknown } | null)?.written) continue // a later epoch's checkpoint is on its way
          // Saved or discarded while this was being written: the autosave is stale.
          if (generation !== this.cleared) await rm(path, { force: true })
          else {
            this.onDisk = next.runId
            this.ownOnDisk = true
            // made after the last forget: it lists none of the forgotten runs
            if (made === this.forgetGen) this.dropSideFile()
          }
          this.writes++
          if (this.autosaveFailure) this.opts.onAutosave?.(next.runId, null)
          this.autosaveFailure = null
        } catch (e) {
          // told again for each run: a page loaded since the first (a reload, another tab) starts one and hears it then
          const told = this.autosaveFailure !== null && this.failedRun === next.runId
          this.failedRun = next.runId
          this.autosaveFailure = { file: basename(path), ...dataFolderFailure(e, this.dataDir) }
          if (!told) this.opts.onAutosave?.(next.runId, this.autosaveFailure)
        } finally {
          this.inFlight = null
        }
      }
    } finally {
      this.writing = null
    }
  }

  // ── requests ─────────────────────────────────────────────────────────────

  async save(project: ProjectState, to: FileTarget): Promise<Result<SavedFile>> {
    const model = await this.host.getModel()
    if (!model.ok && model.error.code !== 'no-model') return model
    const data: ProjectData = {
      spec: project.spec,
      presetId: project.presetId ?? null,
      ...(project.settings ? { settings: project.settings } : {}),
      ...(project.history ? { history: project.history } : {}),
      ...(project.vocab ? { vocab: project.vocab } : {})
    }
    const text = await this.carriedText(project.settings)
    if (text) data.text = text
    let hasWeights = false
    let hasOptimizer = false
    if (model.ok) {
      // The trained weights go in only if they belong to the spec being saved (the learner may have
      // edited the architecture since training): otherwise the file would not open again.
      const spec = withModelVocab(project.spec, model.value.spec)
      const expected = expectedWeights(spec)
      if (expected.ok && checkWeightsAgainst(expected.shapes, { tensors: model.value.weights }).length === 0) {
        data.spec = spec
        data.weights = model.value.weights
        if (model.value.optimizer) data.optimizer = model.value.optimizer
        hasOptimizer = data.optimizer !== undefined
        if (model.value.vocab) data.vocab = model.value.vocab
        const current = project.history?.runs.find((r) => r.id === project.history?.currentId)
        if (current?.epochs.length) data.epoch = current.epochs[current.epochs.length - 1].epoch
        hasWeights = true
      }
    }
    let bytes: Uint8Array
    try {
      bytes = await encodeProjectAsync(data)
    } catch (e) {
      return fail('save-failed', `The project could not be saved: ${errorText(e)}`, { detail: errorText(e) })
    }
    const fileName = `${fileStem(project.spec.name)}.${PROJECT_EXTENSION}`
    const ofSaved = this.autosaveOf(project.history, hasWeights ? this.modelRunId : null)
    if (to === 'download') {
      if (ofSaved) this.clearRecovery()
      return { ok: true, value: withFileBytes({ fileName, bytes: bytes.length, hasWeights, ...(hasWeights ? { hasOptimizer } : {}) }, bytes) }
    }
    const written = await this.writeToDisk(bytes, fileName, 'project', to === 'save' ? this.currentPath : null)
    if (!written.ok) return written
    this.currentPath = written.value
    this.noteRecent(written.value)
    if (ofSaved) this.clearRecovery()
    return { ok: true, value: { fileName: basename(written.value), bytes: bytes.length, path: written.value, hasWeights, ...(hasWeights ? { hasOptimizer } : {}) } }
  }

  async open(source: FileSource): Promise<Result<OpenedProject>> {
    const busy = this.refuseNow('open')
    if (busy) return busy
    const found = await this.locateSource(source, 'project')
    if (!found.ok) return found
    const { fileName, path } = found.value
    // read, checked and decoded in the reader thread: a project carrying a long text must not stall this one
    const job: ProjectJob = path !== undefined ? { name: fileName, path } : { name: fileName, ...uploaded(source as UploadSource) }
    const read = await readProject(this.reader, job)
    if (read.kind === 'read-failed') return this.readFailed(source, path ?? fileName, read)
    if (read.kind === 'project-error') {
      // a weights or optimizer part refused: its facts (a NaN named, Q4 B7) for the page to word, not only "damaged"
      const r = fail(read.code, read.message, { file: fileName, ...(read.code === 'weights-mismatch' ? { case: 'project' } : read.part ?? {}) })
      if (read.issue) r.error.issue = read.issue
      return r
    }
    if (read.kind === 'failed') return fail('bad-project', `${fileName} could not be read: ${read.message}`, { file: fileName })
    return this.inTurn(() => this.applyProject(source, fileName, path, read.project, read.textHash))
  }

  /** An opened project's model, priority, path and text, once it has been read (in turn: inTurn). */
  private async applyProject(source: FileSource, fileName: string, path: string | undefined, p: ProjectData, textHash: string | undefined): Promise<Result<OpenedProject>> {
    // the read took a while: a run may have started, or the lab closed, since the check before it
    const late = this.refuseNow('open')
    if (late) return late
    let params: number | undefined
    // the page takes the project's priority into its form: the worker for its weights starts at it
    const priority = p.settings?.priority
    const before = TRAINING_PRIORITIES.some((x) => x === priority) ? this.host.preferPriority(priority as TrainingPriority) : null
    if (p.weights) {
      // the arrays came from the reader thread and go on to the training thread, moved rather than copied
      const loaded = await this.host.loadModel(p.spec, tensorArrays(p.weights), p.optimizer, p.vocab, true)
      if (!loaded.ok) {
        // the project did not open: the page keeps its form, so the host keeps the priority it had
        if (before !== null) this.host.preferPriority(before)
        return this.stillNow('open', loaded)
      }
      params = loaded.value.params
    }
    if (path && source.from !== 'recovery') {
      this.currentPath = path
      this.noteRecent(path)
    }
    const history = cleanHistory(p.history)
    if (history && source.from === 'recovery') {
      // the runs forgotten after the autosave was written stay forgotten (a continuation of one keeps its numbering)
      const forgotten = this.forgottenOnDisk()
      history.runs = history.runs.filter((r) => !forgotten.has(r.id))
      if (history.currentId !== null && forgotten.has(history.currentId)) history.currentId = null
    }
    // the project's own model, or none: a project without weights is its architecture untrained, not the last run's model
    if (!p.weights) this.host.forgetModel()
    this.modelRunId = p.weights ? (history?.currentId ?? null) : null
    // only now, with the project opened: a refused one leaves no text behind
    const text = p.text ? await this.keepCarriedText(p.text, textHash) : null
    const out: OpenedProject = {
      fileName, savedAt: p.savedAt ?? '', spec: p.spec, presetId: p.presetId ?? null, hasWeights: p.weights !== undefined
    }
    if (path && source.from !== 'recovery') out.path = path
    if (p.settings) out.settings = p.settings as TrainSettings
    if (text?.ok && out.settings?.data.kind === 'text') out.settings = { ...out.settings, data: { ...out.settings.data, file: text.value.file } }
    if (text?.ok) out.text = text.value
    const textProblem = text && !text.ok ? text.problem : p.textProblem
    if (textProblem) out.textProblem = textProblem
    if (history) out.history = history as SavedHistory
    if (p.vocab) out.vocab = p.vocab
    if (p.epoch !== undefined) out.epoch = p.epoch
    if (params !== undefined) out.params = params
    return { ok: true, value: out }
  }

  async importWeights(spec: NetSpec, source: FileSource): Promise<Result<{ fileName: string; tensors: number; params: number }>> {
    const busy = this.refuseNow('import')
    if (busy) return busy
    const found = await this.locateSource(source, 'safetensors')
    if (!found.ok) return found
    const { fileName, path } = found.value
    // read and decoded in the reader thread, as a project is: every value of a large file is converted and checked
    const job: WeightsJob = path !== undefined ? { weights: true, name: fileName, path } : { weights: true, name: fileName, ...uploaded(source as UploadSource) }
    const read = await readWeights(this.reader, job)
    if (read.kind === 'read-failed') return this.readFailed(source, path ?? fileName, read)
    if (read.kind === 'failed') return fail('bad-weights', `${fileName} could not be read: ${read.message}`, { file: fileName, detail: read.message })
    if (read.kind === 'bad-weights') {
      // detail: what is wrong with the file, for the page to show after its own sentence (without the file's name, which it words itself)
      const detail = read.message.replace(`${fileName}: `, '')
      // not safetensors at all, or not float32: worded apart by the page (no English detail for a learner to decode)
      return fail('bad-weights', `${read.message}. Import a .safetensors file exported by the lab (or saved with float32 tensors named like conv1.W).`, { file: fileName, detail, ...read.why })
    }
    const file = read.file
    // A language model's characters (metadata "vocab", as `train --out` and the app write it) come along.
    // A damaged vocabulary only costs text generation, not the weights: not JSON, not a list, or one the training thread
    // refuses (a character twice, an entry of two characters: vocabFromChars), which would fail the whole import with
    // words for a protocol error ('the engine did not understand the request'). Without it, the size is the embedding's.
    let vocab: string[] | undefined
    try {
      const raw: unknown = file.metadata.vocab === undefined ? undefined : JSON.parse(file.metadata.vocab)
      if (Array.isArray(raw) && raw.length > 0) vocab = [...vocabFromChars(raw as string[]).chars]
    } catch {
      vocab = undefined
    }
    // A language model's vocabulary size, when the page has none yet (no text loaded), is the file's.
    let target = spec
    if (spec.vocab === undefined) {
      const size = fileVocabSize(spec, file, fileName, vocab)
      if (!size.ok) {
        return fail('bad-weights', `${fileName} gives a vocabulary size of ${size.got} in its ${size.from}, which no model can have (1 to ${MAX_VOCAB.toLocaleString('en')} characters): the file is wrong, not the open architecture. Nothing was changed.`, {
          case: 'vocab', file: fileName, got: size.got, detail: `vocabulary size ${size.got}`
        })
      }
      if (size.vocab !== undefined) target = { ...spec, vocab: size.vocab }
    }
    const expected = expectedWeights(target)
    if (!expected.ok) {
      // type: the layer's type, so the page can say which values the setting takes (as its layer card does)
      const type = expected.issue ? target.layers[expected.issue.layer]?.type : undefined
      const r = fail('invalid-spec', `The open architecture is not valid (${expected.message}); fix it in the editor before importing weights.`, { case: 'import', ...(typeof type === 'string' ? { type } : {}) })
      if (expected.issue) r.error.issue = expected.issue
      return r
    }
    const problems = checkWeightsAgainst(expected.shapes, file)
    if (problems.length > 0) {
      const more = problems.length > 5 ? `; and ${problems.length - 5} more` : ''
      return fail('weights-mismatch', `${fileName} does not fit the open architecture: ${problems.slice(0, 5).map(describeWeightProblem).join('; ')}${more}. Nothing was changed.`, {
        // the first problem's kind words it: a tensor the file lacks, one the architecture has no place for, or a shape (Q4 B7)
        case: problems[0].got === null ? 'import-missing' : problems[0].expected === null ? 'import-extra' : 'import', file: fileName, count: problems.length, tensor: problems[0].tensor
      })
    }
    return this.inTurn(async () => {
      // the read took a while: a run may have started, or the lab closed, since the check before it
      const late = this.refuseNow('import')
      if (late) return late
      const loaded = await this.host.loadModel(target, tensorArrays(file.tensors), undefined, vocab, true)
      if (!loaded.ok) return this.stillNow('import', loaded)
      this.modelRunId = null
      return { ok: true, value: { fileName, tensors: Object.keys(file.tensors).length, params: loaded.value.params, ...(target.vocab !== undefined ? { vocab: target.vocab } : {}) } }
    })
  }

  /**
   * A text the page uploaded for a language model (the web shell cannot name a file on this machine): read
   * by a host text file's rules (file-store.ts readUploadedText), kept under the data folder's texts/ with its
   * facts, and answered with the path a run's data source names, its characters and vocabulary size.
   */
  async storeText(source: UploadSource): Promise<Result<StoredText>> {
    const fileName = basename(source.fileName) || 'upload'
    // decoded, checked, counted and hashed in the reader thread, as a project is: a long text must not stall this one
    const read = await readText(this.reader, { text: true, name: fileName, ...uploaded(source) })
    // closed while it was read: nothing is written on the way out
    if (this.host.isClosed?.()) return fail('closed', 'The lab is shutting down.')
    if (read.kind === 'bad-text') return fail('bad-text', read.message, { case: read.why, file: fileName })
    if (read.kind === 'failed') return fail('bad-text', `${fileName} could not be read: ${read.message}`, { file: fileName })
    const facts = { fileName, chars: read.chars, vocab: read.vocab }
    try {
      return { ok: true, value: { file: await storeTextFile(textsDir(this.dataDir), read.bytes, facts, read.hash), ...facts } }
    } catch (e) {
      return fail('write-failed', `${fileName} could not be kept for training: ${errorText(e)}`, { file: fileName, ...dataFolderFailure(e, this.dataDir) })
    }
  }

  /**
   * The uploaded text a language model's settings name, to go into its project: only a text the lab keeps
   * (texts/), never another file the page names (the page must not have the host read a file of its choosing
   * into a download; a text given by its path on this computer stays a path). Unreadable: saved without it.
   */
  private async carriedText(settings: TrainSettings | undefined): Promise<ProjectText | null> {
    if (settings?.data.kind !== 'text') return null
    const kept = keptText(textsDir(this.dataDir), settings.data.file)
    if (!kept) return null
    try {
      return { fileName: kept.fileName, bytes: new Uint8Array(await readFile(kept.file)) }
    } catch {
      return null
    }
  }

  /** An opened project's text kept among the uploaded texts (the one already kept when it is the same text). */
  private async keepCarriedText(text: ProjectText, hash?: string): Promise<{ ok: true; value: StoredText } | { ok: false; problem: TextProblem }> {
    const facts = { fileName: text.fileName, chars: text.chars ?? 0, vocab: text.vocab ?? 0 }
    try {
      return { ok: true, value: await keepText(textsDir(this.dataDir), text.bytes, facts, hash) }
    } catch (e) {
      const fs = fsFailureCase(e, true).case
      return { ok: false, problem: { case: 'write-failed', fileName: text.fileName, detail: errorText(e), ...(fs ? { fs } : {}) } }
    }
  }

  /** The texts uploaded before and still kept, the most recent first (file-store.ts listTextFiles). */
  async keptTexts(): Promise<Result<StoredText[]>> {
    return { ok: true, value: await listTextFiles(textsDir(this.dataDir)) }
  }

  /** Removes a kept text (only one of texts/: a run may name any file, the page may remove only the lab's copies). */
  removeText(file: string): Result<{ removed: boolean }> {
    try {
      return { ok: true, value: { removed: removeTextFile(textsDir(this.dataDir), file) } }
    } catch (e) {
      return fail('write-failed', `${basename(file)} could not be removed: ${errorText(e)}`, { file: basename(file), detail: errorText(e), ...fsFailureCase(e, true) })
    }
  }

  /** Export to disk through the save dialog (desktop). */
  async saveExport(format: ExportFormat): Promise<Result<SavedFile>> {
    const made = await this.host.modelFile(format)
    if (!made.ok) return made
    const written = await this.writeToDisk(made.value.bytes, made.value.fileName, format, null)
    if (!written.ok) return written
    return { ok: true, value: { fileName: basename(written.value), bytes: made.value.bytes.length, path: written.value } }
  }

  /** Moves a recent project to the top of the list (File › Open Recent); false when it is not listed. */
  touchRecent(path: string): boolean {
    if (!this.recentList?.has(path)) return false
    this.noteRecent(path)
    return true
  }

  recent(): Result<{ path: string; name: string }[]> {
    const list = this.recentList?.list() ?? []
    return { ok: true, value: list.map((path) => ({ path, name: basename(path) })) }
  }

  /**
   * The autosave to offer: one an earlier host session left (an explicit save or a discard removes it). Null for none,
   * a damaged one, and this session's own (written, being written or waiting: ownAutosave), which is of a run the page
   * can see; a run stopped before its first epoch replaced nothing, so the earlier one is still offered. It is read
   * whole in the reader thread, as an open is: a language model's autosave carries its text.
   */
  async recovery(): Promise<Result<RecoveryInfo | null>> {
    const path = this.recoveryPath
    if (!path || !existsSync(path) || this.ownAutosave()) return { ok: true, value: null }
    const generation = this.cleared
    const writes = this.writes
    const read = await readProject(this.reader, { name: RECOVERY_FILE, path })
    if (this.host.isClosed?.()) return fail('closed', 'The lab is shutting down.')
    // saved or discarded while it was read: that autosave is gone, and is not offered
    if (generation !== this.cleared) return { ok: true, value: null }
    // what it holds, for a save to know whether it is of the project saved (unless this service's autosave replaced it meanwhile)
    const replaced = writes !== this.writes || this.inFlight !== null
    if (read.kind !== 'ok') {
      if (!replaced) this.onDisk = null
      return { ok: true, value: null }
    }
    const p = read.project
    const history = cleanHistory(p.history)
    const runId = history?.currentId ?? history?.runs.at(-1)?.id ?? ''
    if (!replaced) this.onDisk = runId
    // this session's autosave replaced it while it was read (or is about to): nothing is offered
    if (replaced || this.ownAutosave()) return { ok: true, value: null }
    // runs forgotten after it was written (the side file) are not offered back; nor is it when the run of its weights was
    const forgotten = this.forgottenOnDisk()
    if (forgotten.has(runId)) return { ok: true, value: null }
    const runs = history?.runs.filter((r) => !forgotten.has(r.id)).length ?? 0
    // a run that ended all its epochs is offered as finished, not as one to continue where it stopped (Q8's F7); the
    // last epoch's autosave is written while the run still reads 'running', so its epoch (numbered on) tells
    const run = history?.runs.find((r) => r.id === runId)
    const epochs = run ? (run.continues?.epochOffset ?? 0) + run.settings.epochs : 0
    const ended = run?.state === 'done' || (p.epoch ?? 0) >= epochs
    const finished = run && epochs > 0 && ended ? { finished: { epochs } } : {}
    return { ok: true, value: { savedAt: p.savedAt ?? '', epoch: p.epoch ?? null, specName: p.spec.name ?? '', runs, ...finished } }
  }

  /** Whether the autosave is this session's own: written by this service, or one of its runs' being written or waiting. */
  private ownAutosave(): boolean {
    return this.ownOnDisk || this.inFlight !== null || this.queued !== null
  }

  discardRecovery(): Result<null> {
    this.clearRecovery()
    return { ok: true, value: null }
  }

  // ── plumbing ─────────────────────────────────────────────────────────────

  /**
   * Why an open or import cannot go on now: the lab is closing, or a run is in progress ('busy'). Asked before the
   * read and again after it (a read takes seconds; a run may start, or the window close, meanwhile).
   */
  private refuseNow(what: 'open' | 'import'): { ok: false; error: LabError } | null {
    if (this.host.isClosed?.()) return fail('closed', 'The lab is shutting down.')
    if (!this.host.isTraining()) return null
    return what === 'open'
      ? fail('busy', 'A training run is in progress: stop it before opening a project.', { case: 'open' })
      : fail('busy', 'A training run is in progress: stop it before importing weights.', { case: 'import' })
  }

  /**
   * A load refused because a run started while it waited (for a priority move: a run asked for first starts as soon as
   * the move is over) is refused as the open or import it is, in their words, not the load's ('busy', case 'load').
   */
  private stillNow(what: 'open' | 'import', loaded: { ok: false; error: LabError }): { ok: false; error: LabError } {
    return (loaded.error.code === 'busy' || loaded.error.code === 'closed' ? this.refuseNow(what) : null) ?? loaded
  }

  /** Runs `work` once every open or import before it has applied what it read and answered (applying). */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.applying.then(work)
    this.applying = turn.catch(() => undefined)
    return turn
  }

  /** Resolves once no open or import is applying what it read (LabHost.startRun waits for it before a run starts). */
  async settled(): Promise<void> {
    let last: Promise<unknown>
    do {
      last = this.applying
      await last
    } while (last !== this.applying)
  }

  private clearRecovery(): void {
    const path = this.recoveryPath
    this.cleared++
    this.queued = null
    this.onDisk = null
    this.ownOnDisk = false
    if (path) rmSync(path, { force: true })
    this.dropSideFile()
  }

  /** The runs the side file says were forgotten after the autosave on disk was made (none without a data folder). */
  private forgottenOnDisk(): Set<string> {
    const path = this.recoveryPath
    return readForgotten(path ? join(dirname(path), FORGOTTEN_FILE) : null)
  }

  /**
   * Whether every autosave there is (on disk, being written, waiting) is of the project being saved: its run is in
   * the saved history, or is `modelRun`, the run of the weights saved. One not known (another session's, not read)
   * or of another run is kept: it may be the only copy of a training the learner has not saved (Q3's F20).
   */
  private autosaveOf(history: SavedHistory | undefined, modelRun: string | null): boolean {
    const path = this.recoveryPath
    if (!path) return false
    const ids = new Set(history?.runs.map((r) => r.id) ?? [])
    if (modelRun) ids.add(modelRun)
    const of = (run: string | null | undefined) => run === null || (run !== undefined && ids.has(run))
    const onDisk = existsSync(path) ? this.onDisk : null
    return of(onDisk) && of(this.inFlight) && of(this.queued?.runId ?? null)
  }

  private noteRecent(path: string): void {
    if (!this.recentList) return
    this.recentList.add(path)
    this.files?.noteRecent?.(path, this.recentList.list())
  }

  /** The file a source names (a path on this computer, or an upload's name), not yet read. */
  private async locateSource(source: FileSource, kind: FileKind): Promise<Result<{ fileName: string; path?: string }>> {
    switch (source.from) {
      case 'upload':
        return { ok: true, value: { fileName: basename(source.fileName) || 'upload' } }
      case 'dialog': {
        if (!this.files) return fail('no-dialog', 'This window has no file dialog: choose the file with the upload button instead.')
        const path = await this.files.askOpenPath(kind)
        if (!path) return fail('canceled', 'No file was chosen.')
        return { ok: true, value: { fileName: basename(path), path } }
      }
      case 'recent':
        // Only paths the lab itself recorded: the page cannot make the host read an arbitrary file.
        if (!this.recentList?.has(source.path)) return fail('not-recent', `${basename(source.path)} is not in the recent projects list; open it with Open Project… instead.`, { file: basename(source.path) })
        return { ok: true, value: { fileName: basename(source.path), path: source.path } }
      case 'recovery': {
        const path = this.recoveryPath
        if (!path || !existsSync(path)) return fail('no-recovery', 'There is no autosave to recover.')
        return { ok: true, value: { fileName: basename(path), path } }
      }
      default: {
        const never: never = source
        return fail('bad-payload', `unknown file source ${JSON.stringify(never)}`, { case: 'format', field: 'from', received: JSON.stringify(never) })
      }
    }
  }

  /** A file that could not be read, worded by its system error; a recent one that is gone leaves the list. */
  private readFailed(source: FileSource, path: string, e: { code?: string; message: string }): { ok: false; error: LabError } {
    if (e.code === 'ENOENT') {
      if (source.from === 'recent') this.recentList?.remove(path)
      return fail('missing', `${path} no longer exists; it may have been moved or deleted.`, { file: basename(path) })
    }
    return fail('read-failed', `${path} could not be read: ${e.message}`, { file: basename(path), detail: e.message, ...fsFailureCase(e, false) })
  }

  /**
   * Asks for a path (unless one is given), writes atomically, reads the file back and compares it with
   * what was written, a slice at a time (a 5 MB project compared and decoded again in one block held the
   * event loop 20–60 ms; decoding bytes identical to the encoder's output only tested the encoder again).
   */
  private async writeToDisk(bytes: Uint8Array, fileName: string, kind: FileKind, path: string | null): Promise<Result<string>> {
    if (!this.files) return fail('no-dialog', 'This window cannot write files itself: use the download instead.', { case: 'save' })
    const target = path ?? (await this.files.askSavePath(fileName, kind))
    if (!target) return fail('canceled', 'The file was not saved (no place was chosen).')
    try {
      await writeFileAtomicAsync(target, bytes)
      const back = await readFile(target)
      if (!(await sameBytes(back, bytes))) throw new Error(`the file on disk (${back.length} bytes) differs from what was written (${bytes.length} bytes)`)
    } catch (e) {
      return fail('write-failed', `${target} could not be written: ${errorText(e)}. Choose another folder and try again.`, { file: basename(target), detail: errorText(e), ...fsFailureCase(e, true) })
    }
    return { ok: true, value: target }
  }

}

/** Bytes compared between two turns of the event loop (~0.1 ms). */
const COMPARE_SLICE = 1 << 20

/** Whether a and b hold the same bytes, compared a slice at a time with the event loop served in between. */
export async function sameBytes(a: Uint8Array, b: Uint8Array): Promise<boolean> {
  if (a.length !== b.length) return false
  for (let at = 0; at < a.length; at += COMPARE_SLICE) {
    if (at > 0) await yieldToLoop()
    if (Buffer.compare(a.subarray(at, at + COMPARE_SLICE), b.subarray(at, at + COMPARE_SLICE)) !== 0) return false
  }
  return true
}
