/**
 * Projects and model files in the page: save/open a project, export weights (safetensors, .npz) and
 * the model (ONNX), import weights, recover the autosave. The host does the reading, validating and
 * encoding; this module decides where bytes go. Desktop: the host's own file dialogs. Web shell:
 * downloads (Blob + <a download>, the bytes as base64 over the contract) and uploads (<input type=file>, the bytes as they are).
 * Every failure becomes a message (the host's refusal worded by lib/lab-errors.ts), translated when shown.
 */
import type {
  FileSource, LabApi, LabError, OpenedProject, ProjectState, RecoveryInfo, Result, SavedHistory, SavedRun, ExportFormat
} from '../../src-main/ipc/contract'
import type { TrainSettings } from '../../src-engine/protocol'
import type { NetSpec } from '../../src-engine/spec-types'
import { flushSync } from 'svelte'
import { fmtInt, msg, tr, type Msg } from '../i18n/index.svelte'
import { project } from './project.svelte'
import { editor } from './editor.svelte'
import { epochsTrained, normSnapshot, Run, RUN_COLORS, trainLab, settingsFromForm, netKind, type Continues, type NetKind, type TrainForm } from './train.svelte'
import { toasts } from './toasts.svelte'
import { isAutoencoder } from './autoencoder'
import { refusalShown } from './lab-errors'
import { validateSpec } from '../components/editor/engine'
import { issueText } from '../components/editor/issues'
import { carriedTextProblem, textUpload } from './text-upload.svelte'
import { flushTyped } from './typing'

/** The validator's codes for a network over the limits the host's payload check holds (spec-limits.ts). */
const OVER_LIMIT = new Set(['too-many-layers', 'field-too-large', 'name-too-long', 'input-size-too-large'])

/** The message for a failed request: the host's refusal in the page's language (lib/lab-errors.ts), or its
 * English words after a translated lead when the page cannot word it. */
export function errorMsg(e: LabError): Msg {
  return refusalShown(e, 'files.errOther')
}

/** errorMsg in the current language. */
export function errorText(e: LabError): string {
  return tr(errorMsg(e))
}

/** Bytes → base64 in chunks (String.fromCharCode on a whole file would overflow the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

/** A file the learner picked, as the upload a FileSource carries: its bytes as they are (no base64 for the host to check). */
export async function uploadOf(file: File): Promise<Extract<FileSource, { from: 'upload' }>> {
  return { from: 'upload', fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Hands bytes to the browser as a download. */
export function download(fileName: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A run as a project keeps it (no example images: they are large and re-made by training). */
export function savedRun(r: Run): SavedRun {
  const c = r.continues
  return {
    id: r.id, specName: r.specName, settings: r.settings, state: r.state,
    batchX: [...r.batchX], batchLoss: [...r.batchLoss],
    epochs: r.epochs.map(({ confidentWrong: _images, ...e }) => e),
    ...(c ? { continues: { runId: c.runId, epochOffset: c.epochOffset, ...(c.xOffset !== undefined ? { xOffset: c.xOffset } : {}), ...(c.optimizerFresh ? { optimizerFresh: c.optimizerFresh } : {}) } } : {}),
    color: r.color,
    ...(r.spec ? { spec: r.spec } : {})
  }
}

/** The runs of a saved history as the page shows them, numbered #1… in order. A continuation gets its
 * link back: the number and colour of the run it continues when that run is listed, else its own saved
 * colour and "continues an earlier run". Its points and epochs were saved already numbered on. */
/**
 * A saved continuation's link as the page draws it: the number and colour of the run it continues when `listed` holds
 * it, else no number and `color` (restoredRuns, and a run taken over after a reload: attach-run.ts).
 */
export function continuesLink(c: NonNullable<SavedRun['continues']>, listed: readonly Run[], color: string): Continues {
  const prev = listed.find((x) => x.id === c.runId)
  return {
    runId: c.runId, index: prev?.index ?? null, color: prev?.color ?? color,
    epochOffset: c.epochOffset, ...(c.xOffset !== undefined ? { xOffset: c.xOffset } : {}), optimizerFresh: c.optimizerFresh ?? null
  }
}

export function restoredRuns(saved: readonly SavedRun[], kind: NetKind): Run[] {
  const runs: Run[] = []
  saved.forEach((r, i) => {
    const c = r.continues
    const cont = c ? continuesLink(c, runs, r.color ?? RUN_COLORS[i % RUN_COLORS.length]) : null
    // each run by its own network (kept since M32): a char-LSTM run listed beside a classifier's keeps its perplexity,
    // and the charts tell networks apart by their layers, not their titles (Q5's F4)
    const own = r.spec && validateSpec(r.spec).ok ? r.spec : null
    const run = new Run(r.id, i + 1, r.settings, r.specName, own ? netKind(own) : savedKind(r, kind), cont)
    run.spec = own
    // an autosave is written at an epoch's end, before the run's end: one kept after its last epoch finished it (Q1's F2:
    // a recovered 3-epoch run read 'Stopped' after all 3)
    const finished = (r.epochs.at(-1)?.epoch ?? 0) >= (c?.epochOffset ?? 0) + r.settings.epochs
    run.state = r.state === 'running' || r.state === 'paused' || r.state === 'idle' ? (finished ? 'done' : 'stopped') : r.state
    run.batchX = r.batchX.map((v) => v ?? NaN)
    run.batchLoss = r.batchLoss.map((v) => v ?? NaN)
    run.epochs = r.epochs
    // the rate it last trained with, as its epochs recorded it (a live change included): what the run list says it
    // ended at, and what carries on when it goes on; an older run's (not recorded) stays its starting rate
    const lastLr = r.epochs.at(-1)?.lr?.at(-1)
    if (lastLr !== undefined) run.lr = lastLr
    runs.push(run)
  })
  return runs
}

/** A run saved without its network (an older project): a text's run is a language model's, whatever the current one is. */
function savedKind(r: SavedRun, kind: NetKind): NetKind {
  if (r.settings.data.kind === 'text') return 'language-model'
  return kind === 'language-model' ? 'classifier' : kind
}

/**
 * The epochs a restored run had left when it was saved while it trained (an autosave, written after each epoch; a
 * project saved during a run), by its settings: null for a run that ended (done, stopped by the learner, failed) or
 * had none left.
 */
export function epochsLeft(run: Run | null, saved: readonly SavedRun[]): number | null {
  const was = run ? saved.find((r) => r.id === run.id)?.state : undefined
  if (!run || run.state !== 'stopped' || (was !== 'running' && was !== 'paused' && was !== 'idle')) return null
  const left = run.epochOffset + run.settings.epochs - epochsTrained(run)
  return left > 0 ? left : null
}

/** The training page's form filled from saved settings. */
export function formFromSettings(base: TrainForm, s: TrainSettings): TrainForm {
  return {
    ...base,
    dataKind: s.data.kind,
    idxDir: s.data.kind === 'idx' ? s.data.dir : base.idxDir,
    textFile: s.data.kind === 'text' ? s.data.file : base.textFile,
    optimizer: s.optimizer, lr: s.lr, batchSize: s.batchSize, epochs: s.epochs, weightDecay: s.weightDecay,
    seed: s.seed, threads: Math.min(s.threads, Math.max(1, trainLab.threads)), clip: s.clip ?? 0,
    stateful: s.stateful === true, priority: s.priority ?? base.priority, trainSize: s.trainSize ?? null
  }
}

export type FileAction = 'save' | 'save-as' | 'open' | 'import' | 'export-safetensors' | 'export-npz' | 'export-onnx' | 'recover'

export class FilesLab {
  /** The action in progress (buttons wait). */
  busy = $state<FileAction | null>(null)
  /** The last failure, kept as a message so that it is shown in the language of the moment. */
  errorMsg = $state.raw<Msg | null>(null)
  /** The last success. */
  noticeMsg = $state.raw<Msg | null>(null)
  /**
   * The autosave the host offers, one an earlier host session left (project:recovery never names this session's own);
   * null when there is none, or it was recovered or discarded. RecoveryBanner shows it while no run trains.
   */
  recovery = $state.raw<RecoveryInfo | null>(null)
  recent = $state.raw<{ path: string; name: string }[]>([])
  /** The name of the project file last opened or saved. */
  fileName = $state<string | null>(null)
  private api: LabApi | null = null
  private desktop = false
  /** project:recovery asked so far: only the last one's answer is taken, and a discard or a recovery voids those out. */
  private asked = 0

  connect(api: LabApi, desktop: boolean): void {
    this.api = api
    this.desktop = desktop
  }

  /** The last failure in the current language. */
  get error(): string | null {
    return this.errorMsg && tr(this.errorMsg)
  }

  /** The last success in the current language. */
  get notice(): string | null {
    return this.noticeMsg && tr(this.noticeMsg)
  }

  get isDesktop(): boolean {
    return this.desktop
  }

  private async run<T>(action: FileAction, p: () => Promise<Result<T>>): Promise<T | null> {
    if (!this.api) {
      this.errorMsg = msg('files.errOffline')
      return null
    }
    this.busy = action
    this.errorMsg = null
    this.noticeMsg = null
    try {
      const r = await p()
      if (r.ok) return r.value
      // Closing a dialog without choosing is not a failure.
      if (r.error.code !== 'canceled') this.errorMsg = errorMsg(r.error)
      return null
    } finally {
      this.busy = null
    }
  }

  /** What the page holds of the project, for project:save. */
  state(): ProjectState | null {
    const spec = project.spec ?? trainLab.specToTrain(null)
    if (!spec) return null
    const history: SavedHistory = { runs: trainLab.runs.map(savedRun), currentId: trainLab.currentId }
    return { spec, presetId: project.presetId, settings: settingsFromForm(trainLab.form), history }
  }

  async save(as = false): Promise<boolean> {
    const state = this.state()
    if (!state) {
      this.errorMsg = msg('files.errNoSpec')
      return false
    }
    // a network over the lab's limits (src-engine/spec-limits.ts: more than 256 layers, a size or a name too large) is
    // refused by the host's payload check in its field's words ('"spec.layers" must be at most 256 long'); the editor's
    // validator says it in the learner's, with what to change, so Save says that before sending (Export JSON still keeps it)
    const over = validateSpec(state.spec).issues.find((i) => i.severity === 'error' && OVER_LIMIT.has(i.code))
    if (over) {
      this.errorMsg = msg('files.errOverLimit', { why: () => issueText(over) })
      this.noticeMsg = null
      return false
    }
    const to = this.desktop ? (as ? 'save-as' : 'save') : 'download'
    const saved = await this.run(as ? 'save-as' : 'save', () => this.api!.request('project:save', { project: state, to }))
    if (!saved) return false
    if (saved.base64 !== undefined) download(saved.fileName, fromBase64(saved.base64))
    this.fileName = saved.fileName
    // weights without optimizer state (kept after a divergence, imported) are not said to carry it; an older host does not say
    const which = !saved.hasWeights ? 'files.savedNoWeights' : saved.hasOptimizer === false ? 'files.savedWithWeightsNoOptimizer' : 'files.savedWithWeights'
    this.noticeMsg = msg(which, { name: saved.fileName })
    // the host removes the autosave only when it is of the project saved (projects.ts autosaveOf): another session's
    // unsaved training stays offered (Q3's F20)
    if (this.recovery) await this.askRecovery()
    void this.loadRecent()
    return true
  }

  /** Opens a project from an uploaded file, the desktop dialog, a recent path or the autosave. */
  async open(source: FileSource): Promise<OpenedProject | null> {
    const opened = await this.run(source.from === 'recovery' ? 'recover' : 'open', () => this.api!.request('project:open', source))
    if (!opened) return null
    const left = this.apply(opened)
    this.fileName = source.from === 'recovery' ? null : opened.fileName
    const recovered = left !== null ? 'files.recoveredLeft' : 'files.recovered'
    this.noticeMsg = msg(source.from === 'recovery' ? recovered : opened.hasWeights ? 'files.opened' : 'files.openedNoWeights', { name: opened.fileName, epoch: opened.epoch ?? 0, left: left ?? 0 })
    if (source.from === 'recovery') this.dropRecovery()
    // a project trained on an uploaded text the lab no longer keeps says so (its name, not the host's path);
    // the text it carried is kept again and named by its settings, unless it could not be taken back (why)
    if (opened.settings?.data.kind === 'text') {
      textUpload.noteNotCarried(opened.settings.data.file, opened.textProblem)
      await textUpload.refresh(this.api!)
      const gone = textUpload.missing
      if (opened.textProblem) this.errorMsg = carriedTextProblem(opened.fileName, opened.textProblem)
      else if (gone) this.errorMsg = msg('files.textMissing', { name: opened.fileName, text: gone })
    }
    void this.loadRecent()
    await this.showAutoencoderViews(opened)
    return opened
  }

  /**
   * A reopened autoencoder shows its reconstructions and code plane without training again: the host
   * computes them from the opened weights on the held-out digits of the project's data, as a run's
   * snapshots do. They become the current run's, or with no run (a project saved with weights but no
   * runs) the page's views of the model (trainLab.modelViews). Failing (a data folder gone) leaves the panel as it was.
   */
  async showAutoencoderViews(p: OpenedProject): Promise<void> {
    if (p.hasWeights) await this.loadAutoencoderViews(p.spec, p.settings)
  }

  /** The host's views of the autoencoder it holds, for the current run or, with none, the page's model. */
  private async loadAutoencoderViews(spec: NetSpec, s: TrainSettings | undefined): Promise<void> {
    if (!this.api || !isAutoencoder(spec)) return
    const run = trainLab.current
    const payload = { data: s?.data ?? { kind: 'mnist' as const }, ...(s?.testFraction !== undefined ? { testFraction: s.testFraction } : {}) }
    const r = await this.api.request('model:ae-views', payload)
    if (!r.ok || trainLab.current !== run || project.spec !== spec) return
    if (!run) trainLab.modelViews = normSnapshot(r.value)
    else if (!run.active) run.addSnapshot(r.value)
  }

  /** The opened project becomes the page's: architecture, settings, training history. */
  apply(p: OpenedProject): number | null {
    trainLab.modelViews = null
    // the opened project brings its own settings: the form is filled afresh, then from the saved ones
    editor.adopt(p.spec, p.presetId ?? null, p.hasWeights, true)
    // The next run continues from the opened weights (and optimizer state).
    project.weightsChoice = p.hasWeights ? 'keep' : null
    const runs = restoredRuns(p.history?.runs ?? [], netKind(p.spec))
    trainLab.runs = runs
    trainLab.currentId = p.history?.currentId && runs.some((r) => r.id === p.history?.currentId) ? p.history.currentId : (runs.at(-1)?.id ?? null)
    // New runs continue the colour sequence after the restored ones.
    ;(trainLab as unknown as { nextIndex: number }).nextIndex = runs.length + 1
    // The host now holds the opened model: the saved current run's (Continue training carries it on).
    trainLab.modelRunId = p.hasWeights ? trainLab.currentId : null
    if (p.settings) trainLab.form = formFromSettings(trainLab.form, p.settings)
    // a run saved while it trained goes on for the epochs it had left, as the recovery banner promises ("continue where
    // training stopped"): Continue training trains the form's epochs, which were the run's own (Q1 F2: a 4-epoch run
    // recovered after epoch 1 went on as "Epoch 2 / 5", four more)
    const left = p.hasWeights ? epochsLeft(trainLab.current, p.history?.runs ?? []) : null
    if (left !== null) trainLab.form = { ...trainLab.form, epochs: left }
    return left
  }

  async openFile(file: File): Promise<OpenedProject | null> {
    return this.open(await uploadOf(file))
  }

  /** Import safetensors weights into the open architecture. */
  async importWeights(file?: File): Promise<boolean> {
    const spec = project.spec ?? trainLab.specToTrain(null)
    if (!spec) {
      this.errorMsg = msg('files.errNoSpec')
      return false
    }
    const source: FileSource = file ? await uploadOf(file) : { from: 'dialog' }
    const r = await this.run('import', () => this.api!.request('model:import-weights', { spec, source }))
    if (!r) return false
    // a language model imported before any text: its vocabulary size is the file's, and the page knows it now
    const imported = r.vocab !== undefined && spec.vocab === undefined ? { ...spec, vocab: r.vocab } : spec
    if (project.spec === null || imported !== spec) project.spec = imported
    project.trained = true
    project.weightsChoice = 'keep'
    // grouped like every other count on the page (433,890 values, not 433890)
    this.noticeMsg = msg('files.imported', { name: r.fileName, tensors: r.tensors, params: fmtInt(r.params) })
    // an imported autoencoder with no run to show it: its reconstructions and code plane on the form's data
    if (!trainLab.current) await this.loadAutoencoderViews(spec, settingsFromForm(trainLab.form))
    return true
  }

  async exportModel(format: ExportFormat): Promise<boolean> {
    const action: FileAction = `export-${format}`
    if (this.desktop) {
      const saved = await this.run(action, () => this.api!.request('model:save-export', { format }))
      if (saved) this.noticeMsg = msg('files.exported', { name: saved.fileName })
      return saved !== null
    }
    const made = await this.run(action, () => this.api!.request('model:export', { format }))
    if (!made) return false
    download(made.fileName, fromBase64(made.base64))
    this.noticeMsg = msg('files.exported', { name: made.fileName })
    return true
  }

  /** Asks the host for an autosave to offer (ModelMenu, once connected). */
  async checkRecovery(): Promise<void> {
    await this.askRecovery()
  }

  /**
   * The offer once no run trains (RecoveryBanner): asked again, as a run that ended an epoch replaced the autosave with
   * its own, which the host does not offer, while one stopped before its first epoch left the earlier session's work
   * where it was, offered still (a run started by mistake must not lose it).
   */
  async runsEnded(): Promise<void> {
    if (this.recovery) await this.askRecovery()
  }

  /**
   * The host's answer is the offer: it names only an autosave an earlier host session left, never this session's own (a
   * run the page lists after a reload, one going on, one saved), so the page has nothing to compare.
   */
  private async askRecovery(): Promise<void> {
    if (!this.api) return
    const ask = ++this.asked
    const r = await this.api.request('project:recovery', undefined)
    // a later ask, a discard or a recovery meanwhile decided instead
    if (ask === this.asked) this.recovery = r.ok ? r.value : null
  }

  /** No offer any more, and none of the answers on their way brings one back. */
  private dropRecovery(): void {
    this.asked++
    this.recovery = null
  }

  async discardRecovery(): Promise<void> {
    if (!this.api) return
    await this.api.request('project:discard-recovery', undefined)
    this.dropRecovery()
  }

  async loadRecent(): Promise<void> {
    if (!this.api || !this.desktop) return
    const r = await this.api.request('project:recent', undefined)
    if (r.ok) this.recent = r.value
  }

  /** A new, empty project: the editor opens its default architecture. */
  newProject(): void {
    editor.reset()
    project.spec = null
    project.presetId = null
    project.trained = false
    project.weightsChoice = null
    trainLab.runs = trainLab.runs.filter((r) => r.active)
    this.fileName = null
    editor.ensureSpec()
    project.page = 'editor'
  }

  /** The desktop's File menu. Exports of safetensors and ONNX are done by the main process itself. */
  async onMenu(command: string): Promise<void> {
    // a value typed into a box and still waiting for its pause belongs to the project being saved or left
    if (flushTyped()) flushSync()
    switch (command) {
      case 'project:new': return this.newProject()
      case 'project:open': await this.open({ from: 'dialog' }); return
      case 'project:save': await this.save(false); return
      case 'project:save-as': await this.save(true); return
      case 'export:npz': await this.exportModel('npz'); return
      case 'import:weights': await this.importWeights(); return
      case 'project:open-recent': {
        // The main process moved the chosen project to the top of the list.
        await this.loadRecent()
        const first = this.recent[0]
        if (first) await this.open({ from: 'recent', path: first.path })
        return
      }
      default:
        return
    }
  }

  /** The toast showing the last action's outcome, replaced by the next one's. */
  private toastId: number | null = null

  /**
   * The outcome of the last action as a toast (the menu that started it has closed): a failure stays until
   * closed, a success fades (lib/toasts.svelte.ts). It replaces the previous action's toast, so 'Saved …'
   * does not sit under the failure it made out of date.
   */
  toast(): void {
    const text = this.errorMsg ?? this.noticeMsg
    if (!text) return
    if (this.toastId !== null) toasts.dismiss(this.toastId)
    this.toastId = toasts.show(text, this.errorMsg ? 'error' : 'info')
  }
}

export const files = new FilesLab()
