/**
 * The one contract between the renderer and the main process, shared by Electron IPC and the
 * web shell's WebSocket. Types and constants only. Channel names are `area:verb`.
 * Every request answers with a Result; failures are data, never throws across the boundary.
 */
import type { NetSpec, SpecIssue, SpecReport } from '../../src-engine/spec-types'
import type { CheckResult } from '../../src-engine/train/gradcheck-run'
import type { TrainSettings, BatchPoint, DataSource, DivergenceFacts, EpochReport, Snapshot, RunState, LayerMaps } from '../../src-engine/protocol'
import type { IdxFolderProblem } from '../../src-engine/data/idx-problem'

/**
 * A refusal or failure. `code` names the case (stable: programs branch on it, and the page words it in the
 * learner's language from `params`); `message` says the same in English with what to change, for logs and
 * the CLI (and for the page when it has no words for the code); `path` is the payload field at fault.
 * `params`: names and numbers the wording needs (`case` picks a variant of the code's wording, e.g. busy
 * while opening a project); `issue`: an invalid architecture's first error, as the editor words it.
 */
export type LabError = { code: string; message: string; path?: string; params?: ErrorParams; issue?: SpecIssue }
export type ErrorParams = { case?: string } & { [name: string]: string | number | undefined }

/** The payload rules a 'bad-payload' refusal names (its `params.case`), with the field, limit and value received. */
export const PAYLOAD_RULES = [
  'min', 'max', 'gt', 'lt', 'integer', 'finite', 'type', 'one-of', 'length', 'min-length', 'max-length', 'not-empty',
  'no-nul', 'format', 'pixels-per-label', 'file-too-big', 'missing', 'too-deep'
] as const

/**
 * Kinds of value a 'bad-payload' refusal's `expected` and `received` params name by code (the page words them:
 * `errors.value.<code>`). `expected` lists one or more, or literals such as "vocab", joined by " | "; `received`
 * is one of them, or the value itself as JSON-like text ("fast", 5000, true).
 */
export const VALUE_TYPES = ['number', 'string', 'boolean', 'array', 'object', 'null', 'undefined', 'function', 'bigint', 'symbol'] as const
export type ValueType = (typeof VALUE_TYPES)[number]

/**
 * Every error code the page can receive (replies and error events), each with the cases worded apart.
 * The page words `errors.<code>` and `errors.<code>.<case>` (i18n errors.ts); a test fails when one of them
 * lacks words in either language or when the sources give a code not listed here.
 */
export const LAB_ERRORS = {
  // the dispatcher and the wire (ipc/handlers.ts, ipc/validate.ts, web-shell.ts)
  'unknown-channel': [], 'forbidden-sender': [], internal: [], 'bad-payload': PAYLOAD_RULES, 'bad-frame': [], 'no-memory': ['file', 'predict'],
  // the host (lab-host.ts)
  closed: [], busy: ['start', 'load', 'open', 'import', 'views', 'gradcheck', 'priority', 'upload'], 'engine-error': [], 'invalid-spec': ['import'],
  'no-model': ['predict', 'decode', 'generate', 'views', 'export'], 'no-run': [],
  'bad-state': ['pause', 'resume', 'stop', 'step', 'set-lr'], timeout: ['upload'], 'worker-crashed': [], 'worker-failed': ['priority'],
  'data-unavailable': ['idx', 'size'], 'export-failed': [], 'weights-mismatch': ['import', 'import-missing', 'import-extra', 'project'],
  // the engine threads (their replies and events pass through the host)
  failed: [], 'not-autoencoder': [], 'not-language-model': [], 'no-vocab': [], 'bad-prompt': ['char'], unavailable: [],
  'bad-command': [], 'unknown-command': [], diverged: [], 'train-failed': ['input', 'classes', 'vocab', 'memory', 'threads', 'text', 'text-gone', 'text-file', 'folder', 'not-folder', 'idx-none', 'idx-missing', 'idx-empty-file', 'idx-not-idx', 'idx-gzip', 'idx-type', 'idx-truncated', 'idx-extra', 'idx-count-mismatch', 'idx-label', 'idx-shape', 'lanes', 'train-size', 'train-size-batch'], protocol: [], 'worker-error': [],
  // projects and files (projects.ts; the engine's project reader)
  'save-failed': [], 'bad-text': ['empty', 'encoding'], 'bad-project': ['part-value', 'part-damaged'], 'newer-project': [], 'bad-spec': [], 'bad-weights': ['vocab', 'format', 'dtype', 'value', 'other-project', 'other-npz', 'other-npy', 'other-onnx', 'other-json'], 'no-dialog': ['save'],
  canceled: [], 'not-recent': [], 'no-recovery': [], missing: [], 'read-failed': ['permission', 'is-folder'], 'write-failed': ['permission', 'no-space', 'read-only', 'is-folder', 'data', 'data-read-only', 'data-no-space', 'data-permission'],
  // the page's own connection (src-renderer/lib/lab.ts)
  'no-token': [], disconnected: [], 'transport-failed': [], 'bad-message': []
} as const satisfies Record<string, readonly string[]>

export type LabErrorCode = keyof typeof LAB_ERRORS
export type Result<T> = { ok: true; value: T } | { ok: false; error: LabError }

export interface PresetInfo { id: string; title: string; kind: 'cnn' | 'mlp' | 'rnn' | 'autoencoder'; spec: NetSpec; params: number }

/**
 * A prediction; with `maps` asked for, every layer's activations (and an LSTM's gates) for the input.
 * `ms`: the host's time for it (request to the engine thread and back); `engineMs`: the part spent in the
 * engine thread itself (forward pass and copies).
 */
export interface Prediction { probs: number[]; logits: number[]; top: number; ms: number; engineMs?: number; maps?: LayerMaps[]; gates?: Snapshot['gates'] }

/** Requests: channel → [payload, reply value]. */
export interface Requests {
  /** priorityChoice: the host trains at 'low' priority below the window's threads (Linux, trainingNice > 0), so the
   * training page's choice of priority does something; elsewhere both train alike and the page hides it. */
  'app:info': [void, { version: string; transport: 'electron' | 'web'; threads: number; platform: string; priorityChoice: boolean }]
  'preset:list': [void, PresetInfo[]]
  'spec:validate': [NetSpec, SpecReport]
  /** from 'model': continue from the model the host holds (trained, opened or imported) instead of fresh weights.
   * epochOffset: epochs trained before (a continued run): the autosave's history numbers this run's epochs on.
   * xOffset: where its curve begins when that is not epochOffset (weights kept part-way through an epoch,
   * SavedContinuation.xOffset): the autosave places its batch points from there, as the page does.
   * settings.priority: when the live training thread runs at another priority, the host first moves its model
   * (weights, optimizer state) into a new thread at the run's (LabHost.setPriority), then starts. */
  'train:start': [{ spec: NetSpec; settings: TrainSettings; from?: 'model'; epochOffset?: number; xOffset?: number }, { runId: string }]
  'train:pause': [void, null]
  'train:resume': [void, null]
  'train:stop': [void, null]
  'train:step': [void, null]
  'train:set-lr': [{ lr: number }, null]
  'train:set-probe': [{ input: number[] }, null]
  /** The host's latest run (CurrentRun), or null before any: a page loaded again (or reconnected) during a run takes it over. */
  'train:current': [void, CurrentRun | null]
  /**
   * An experiment's clear (lib/lessons/run-queue.svelte.ts): the listed runs leave the host's run history as they left
   * the page, so a page loaded again (or a second window) does not bring them back. Only runs that ended (done,
   * stopped, failed); a running or paused one, the one whose model the host holds (a Continue links to it), or an id
   * not listed, stays. Answers the ids forgotten.
   */
  'train:forget-runs': [{ ids: string[] }, { forgotten: string[] }]
  /** input: 784 grey levels; a Float32Array travels compactly (base64 over the WebSocket). */
  'model:predict': [{ input: number[] | Float32Array; maps?: boolean }, Prediction]
  /** Probe images: held-out examples of `data` (default the built-in digits), none for a text (probe-samples.ts). */
  'data:samples': [{ count: number; seed?: number; data?: DataSource }, { images: number[][]; labels: number[] }]
}

export type Channel = keyof Requests

/** The event stream, main → renderer (throttled by LabHost). */
export type LabEvent =
  | { type: 'state'; runId: string; state: RunState; message?: string }
  | { type: 'batches'; runId: string; points: BatchPoint[] }
  | { type: 'epoch'; runId: string; report: EpochReport }
  | { type: 'snapshot'; runId: string; snapshot: Snapshot }
  /** starved: the run stands still because other programs keep every core busy (its threads run at idle priority); false once it trains again. */
  | { type: 'cpu'; runId: string; starved: boolean }
  /** The autosave after an epoch of `runId` could not be written (`failed`: 'write-failed' params, case and file), sent at
   *  the first failure; `failed` null when one is written again after failures (ProjectService.drain). */
  | { type: 'autosave'; runId: string; failed: ErrorParams | null }
  /** Finished runs a page dropped left the host's history (train:forget-runs' answer): every other page drops them too. */
  | { type: 'forgotten'; runId: null; ids: string[] }
  /** code 'diverged': `divergence` holds the facts of the English `message` for the page to word (absent from older hosts); `params` what the page words the code with (an exception's text as `detail`). */
  | { type: 'error'; runId: string | null; code: string; message: string; divergence?: DivergenceFacts; params?: ErrorParams }

export const EVENT_CHANNEL = 'lab:event'

/** The API the renderer sees, as exposed by the preload (window.lab) or the WebSocket client. */
export interface LabApi {
  request<C extends Channel>(channel: C, payload: Requests[C][0]): Promise<Result<Requests[C][1]>>
  onEvent(listener: (event: LabEvent) => void): () => void
}

/** Web shell envelope over the WebSocket (the same contract, framed as JSON). */
export type WsClientMessage = { id: number; channel: Channel; payload: unknown }
export type WsServerMessage =
  | { id: number; result: Result<unknown> }
  | { event: LabEvent }
  /** A slice of upload `ack` taken: `received` of its bytes have come (only to a page that asked, binary-request.ts). */
  | { ack: number; received: number }

/** Every request channel, for allow-lists in the preload, handlers and the web shell. */
export const CHANNELS: readonly Channel[] = [
  'app:info', 'preset:list', 'spec:validate', 'train:start', 'train:pause', 'train:resume', 'train:stop',
  'train:step', 'train:set-lr', 'train:set-probe', 'model:predict', 'data:samples', 'model:export',
  'project:save', 'project:open', 'project:recent', 'project:recovery', 'project:discard-recovery',
  'model:import-weights', 'model:save-export', 'model:decode', 'model:ae-views', 'model:generate', 'model:gradcheck',
  'model:gradcheck-cancel', 'data:text-upload', 'data:texts', 'data:text-remove', 'model:held', 'data:idx-classes', 'train:current',
  'train:forget-runs'
]

/** The one Electron IPC channel carrying requests: `invoke(REQUEST_CHANNEL, channel, payload)`. */
export const REQUEST_CHANNEL = 'lab:request'

/**
 * Application-menu commands, main → renderer (Electron only; the web shell has no menu).
 * The renderer subscribes with `LabApi.onMenu` where it exists.
 */
export type MenuCommand =
  | 'project:new' | 'project:open' | 'project:save' | 'project:save-as'
  | 'export:weights' | 'export:onnx' | 'view:toggle-theme'
  | 'export:npz' | 'import:weights' | 'project:open-recent'

export const MENU_CHANNEL = 'lab:menu'

export const MENU_COMMANDS: readonly MenuCommand[] = [
  'project:new', 'project:open', 'project:save', 'project:save-as', 'export:weights', 'export:onnx', 'view:toggle-theme',
  'export:npz', 'import:weights'
  // 'project:open-recent' is sent by index.ts after a File › Open Recent choice (that item moves to the top of the list).
]

/** The preload's `window.lab`: LabApi plus the menu stream (absent in the web shell). */
export interface DesktopLabApi extends LabApi {
  onMenu(listener: (command: MenuCommand) => void): () => void
}

/*
 * Wire note for the web shell: JSON has no typed arrays, so every Float32Array inside an event or a
 * result (snapshots, epoch reports…) arrives as a plain number[]. Index it the same way, or wrap it
 * with Float32Array.from where a typed array is needed. Over Electron IPC typed arrays stay typed.
 */

/** Extra preset facts (additive): both titles, the training defaults and the teaching note. */
export interface PresetInfo {
  titles?: { en: string; ko: string }
  defaults?: { optimizer: TrainSettings['optimizer']; lr: number; batchSize: number; epochs: number; clip?: number }
  note?: { en: string; ko: string }
}

/** A file made in the main process for the page to save (a download in both transports). */
export interface ExportedFile { fileName: string; mime: string; bytes: number; base64: string }

/** Export formats: safetensors (weights + spec in metadata "spec"), ONNX (the whole model) or NumPy .npz (the tensors by name). */
export type ExportFormat = 'safetensors' | 'onnx' | 'npz'

/** Additive channels. */
export interface Requests {
  /** The latest run's model (trained so far), encoded; fails with 'no-model' before any run. */
  'model:export': [{ format: ExportFormat }, ExportedFile]
}

// ── projects, weights import and recovery (issue 8) ─────────────────────────

/** One training run as a project file keeps it: its settings, batch losses and epoch reports. */
export interface SavedRun {
  id: string
  specName: string
  settings: TrainSettings
  state: RunState
  /** x in epochs (epoch − 1 + batch/batches) and the batch loss there. */
  batchX: number[]
  batchLoss: number[]
  /** Epoch reports without their example images (confidentWrong). */
  epochs: EpochReport[]
  /** Continue training: the run this one carried on. Absent for a run of its own (and in older projects). */
  continues?: SavedContinuation
  /** The network it trained (about 1 kB), so a page that restores the run tells networks apart and knows a language
   *  model's run (its perplexity) by its own network, not the current one. Absent in older projects. */
  spec?: NetSpec
  /** The run's colour on the charts, "#rrggbb"; a continuation has the colour of the run it continues. */
  color?: string
}

/** A continued run's link: the run it carries on (by id, in the same history when still listed), the
 * epochs trained before it (its points and epochs are stored already numbered on) and, when the optimizer
 * changed, the optimizer it started fresh from and to. */
export interface SavedContinuation {
  runId: string
  epochOffset: number
  /** Where its curve begins, in epochs, when that is not epochOffset: a continuation from weights kept part-way
   * through an epoch (its held-out losses sit where its epochs' batches end). Absent: epochOffset. */
  xOffset?: number
  optimizerFresh?: { from: TrainSettings['optimizer']; to: TrainSettings['optimizer'] }
}

/** The training history of a project: its runs, oldest first. */
export interface SavedHistory { runs: SavedRun[]; currentId: string | null }

/**
 * The host's latest run, for a page that did not start it (train:current): a page loaded again, or a renderer come back,
 * while it trains. `history`: the runs the host tracked for the autosave (bounded curves, epoch reports without their
 * images), this one among them as far as it has gone (its `state` may lag `state` here); `stride`: batches per point of
 * its curve (CurveThinner). `last`: its latest batch point (progress, speed), `lr` the learning rate in force and
 * `lrChanges` its live changes (set-lr), each at the run's latest batch then (x in the run's own epochs, as a batch
 * point's), `snapshot` the last one sent. The events after the answer carry it on.
 */
export interface CurrentRun {
  runId: string
  state: RunState
  spec: NetSpec
  settings: TrainSettings
  lr: number
  lrChanges: { x: number; lr: number }[]
  history: SavedHistory
  stride: number
  last: BatchPoint | null
  snapshot: Snapshot | null
  /** Whether the host still holds this run's trained model (a finished run's: a page loaded again lists it with
   *  Continue, attach-run.ts); absent from older hosts. */
  modelHeld?: boolean
  /** Why the host's autosave is failing now (the 'autosave' event's `failed`), null when the last one was written or
   *  none failed: a page loaded again shows the failure it did not hear (RecoveryBanner). Absent from older hosts. */
  autosaveFailed?: ErrorParams | null
}

/** What the page holds of a project (the host adds the weights and optimizer state). */
export interface ProjectState {
  spec: NetSpec
  presetId?: string | null
  settings?: TrainSettings
  history?: SavedHistory
  vocab?: string[]
}

/** A project opened (or recovered): what the page shows; the host already holds its model. */
export interface OpenedProject extends ProjectState {
  fileName: string
  path?: string
  savedAt: string
  /** Epochs trained when saved (autosaves). */
  epoch?: number
  /** The file had weights and the host loaded them: predict and export work at once. */
  hasWeights: boolean
  params?: number
  /** The uploaded text the project carried, kept again among the lab's texts (settings.data.file names it). */
  text?: StoredText
  /** Why the text the project carried could not be taken back (the rest of the project opened). */
  textProblem?: TextProblem
}

/**
 * Where a file comes from: bytes the page uploaded (web shell, or drag and drop), the system dialog
 * (desktop), a recent project (desktop, from the list the host keeps), or the recovery autosave.
 * An upload carries its bytes as they are (the page's uploads: Electron IPC clones them, the web shell
 * sends them in a binary frame) or as base64 text (scripts, older pages).
 */
export type FileSource =
  | { from: 'upload'; fileName: string; bytes: Uint8Array }
  | { from: 'upload'; fileName: string; base64: string }
  | { from: 'dialog' }
  | { from: 'recent'; path: string }
  | { from: 'recovery' }

/** Where a made file goes: back to the page as a download, or to disk (desktop: `save` reuses the project's path, `save-as` asks). */
export type FileTarget = 'download' | 'save' | 'save-as'

/** A file the host made: base64 when it goes to the page, path when it was written to disk. `hasOptimizer`: a project
 * saved with weights saved their optimizer state too (false: the model had none, as after a divergence or an import). */
export interface SavedFile { fileName: string; bytes: number; base64?: string; path?: string; hasWeights?: boolean; hasOptimizer?: boolean }

/** An autosave the page offers to recover: only ever one an earlier host session left (a crash, a quit without saving);
 *  the host never offers one it wrote itself in this session (a run the page can see: ProjectService.recovery). */
/** `finished`: the autosave's run had trained all its epochs (the banner offers no "continue where it stopped"); its epoch count. */
export interface RecoveryInfo { savedAt: string; epoch: number | null; specName: string; runs: number; finished?: { epochs: number } }

export interface Requests {
  /** Save the project: the page's state plus the host's weights and optimizer state (when they fit the spec). */
  'project:save': [{ project: ProjectState; to: FileTarget }, SavedFile]
  /** Open a project: validated completely before anything changes, then its model is loaded for predict. */
  'project:open': [FileSource, OpenedProject]
  /** Recent projects (desktop; empty in the web shell). */
  'project:recent': [void, { path: string; name: string }[]]
  /** The autosave an earlier host session left, not saved or discarded since; null when there is none or it is this session's own. */
  'project:recovery': [void, RecoveryInfo | null]
  'project:discard-recovery': [void, null]
  /** Import safetensors weights into `spec` (the open architecture); nothing changes unless every tensor fits.
   * vocab: a language model's vocabulary size, when the file gave it (the page's spec had none: no text loaded yet). */
  'model:import-weights': [{ spec: NetSpec; source: FileSource }, { fileName: string; tensors: number; params: number; vocab?: number }]
  /** Export to disk through the save dialog (desktop) — model:export with a target. */
  'model:save-export': [{ format: ExportFormat }, SavedFile]
}

// ── autoencoders (issue 11) ──────────────────────────────────────────────────

/** An image decoded from a code: h×w grey levels in 0..1, row-major (channel mean for C > 1). */
export interface DecodedImage { image: number[]; h: number; w: number; ms: number }

export interface Requests {
  /**
   * Autoencoders: run the layers after the bottleneck on one code (as many values as the bottleneck
   * has per example: 2 for ae-2d) and return the image it decodes to. Fails with 'no-model' before a
   * run and 'not-autoencoder' for other networks.
   */
  'model:decode': [{ code: number[] }, DecodedImage]
  /**
   * Autoencoders: the reconstruction row and (2-unit bottleneck) the code plane of the model the host
   * holds, on the held-out examples of `data` — what a run's snapshots show — for a reopened project.
   * Fails with 'no-model', 'not-autoencoder', and 'busy' while a run trains (its snapshots carry them).
   */
  'model:ae-views': [{ data: DataSource; testFraction?: number }, AutoencoderViews]
}

/** The autoencoder parts of a snapshot. */
export type AutoencoderViews = Pick<Snapshot, 'reconstructions' | 'codes'>

// ── language models (issue 9) ───────────────────────────────────────────────

/** Text written by a language model: the prompt (as the model read it, NFC) and what followed. */
export interface GeneratedText { prompt: string; text: string; ms: number }

export interface Requests {
  /**
   * Language models: continue `prompt` by `length` characters (0..2000), each drawn from
   * softmax(scores / temperature) (0 = always the likeliest, 0..10) with a seeded generator, using the
   * latest run's model and its text's characters. Fails with 'no-model' before a run,
   * 'not-language-model' for other networks, 'no-vocab' for a model whose text is unknown (weights
   * opened without a vocabulary) and 'bad-prompt' for a prompt character the text never had.
   */
  'model:generate': [{ prompt: string; length: number; temperature: number; seed?: number }, GeneratedText]
}

// ── the gradient-check explainer (lessons) ──────────────────────────────────

/** The explainer's check as the host answers it: a row per array, or why the network was not checked; `ms`: the host's time. */
export type GradcheckReply = CheckResult & { ms: number }

export interface Requests {
  /**
   * Gradient check of `spec` (backprop against central differences, gradcheck-run.ts explainGradients) on
   * the training thread, so the page stays responsive: every element of every array (a small network,
   * up to 20,000 parameters), or `samples` (1..50) per array; `bug` plants a ReLU backward that forgets its
   * mask. Networks it cannot check answer ok with `{ ok: false, reason }`. Fails with 'busy' (case
   * 'gradcheck') while a run trains: the check holds the training thread for up to a few seconds.
   */
  'model:gradcheck': [{ spec: NetSpec; seed?: number; samples?: number; bug?: boolean }, GradcheckReply]
  /** Stops the gradient checks under way: each answers `{ ok: false, reason: 'cancelled' }` at its next forward pass
   *  (the training thread polls a shared flag). `cancelled`: whether one was under way. */
  'model:gradcheck-cancel': [void, { cancelled: boolean }]
  /**
   * The model the host holds for predict and export (a run's, once it trained a batch; an opened project's or imported
   * weights), as its architecture, or null: a page loaded again learns from it that its trained model is still there.
   */
  'model:held': [void, { spec: NetSpec } | null]
  /**
   * How many classes an IDX folder's training labels use (its largest label + 1; the folder declares 10), for the
   * editor's class-count warning, and how many training examples they label (`examples`, for the cost note's epoch);
   * null when the folder has no labels file the host can read (a run says why). `problem`: what Start would refuse
   * about the folder (no such folder, a missing IDX file, a file that is not IDX), as the train-failed refusal's
   * message and params; `used` is 0 when it has no labels to count.
   */
  'data:idx-classes': [{ dir: string }, { used: number; examples?: number; problem?: { message: string; facts: IdxFolderProblem }; images?: { file: string; height: number; width: number }[] } | null]
}

// ── a language model's own text, uploaded (the web shell has no host path to offer) ─────────

/** A text the host keeps for training: `file` is what a run's data source names ({ kind: 'text', file }); `chars`
 * its characters (code points, NFC) and `vocab` the distinct ones, the vocabulary size a run on it gets. */
export interface StoredText { file: string; fileName: string; chars: number; vocab: number }

/** A project's text that could not be taken back: its part is 'damaged' (missing, or not the size or CRC-32
 * described), 'too-large' (over 300 MB), not UTF-8 ('encoding'), 'empty', or could not be kept ('write-failed',
 * with the system's `detail` and, when known, why: `fs`). `fileName` when the project named the text. */
export interface TextProblem {
  case: 'damaged' | 'too-large' | 'encoding' | 'empty' | 'write-failed'
  fileName?: string
  detail?: string
  fs?: (typeof LAB_ERRORS)['write-failed'][number]
}

export interface Requests {
  /**
   * A UTF-8 text file the page uploaded (as base64, the same limit as projects and weights), kept by the host
   * for a language model to train on. Fails with 'bad-text' (case 'empty': no characters; 'encoding': not
   * UTF-8: upload it again) and 'write-failed'. The host keeps it (and its name and counts) until it is removed.
   */
  'data:text-upload': [Extract<FileSource, { from: 'upload' }>, StoredText]
  /** The texts uploaded before and still kept, the most recently uploaded first. */
  'data:texts': [void, StoredText[]]
  /** Removes a kept text (`file` as data:texts names it; any other path is left alone: removed false). Fails with 'write-failed'. */
  'data:text-remove': [{ file: string }, { removed: boolean }]
}
