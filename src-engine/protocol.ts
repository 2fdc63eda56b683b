/**
 * Messages between LabHost (main process) and the training worker. One discriminated union per
 * direction, handled by an exhaustive switch on `type`; unknown messages are errors.
 * Plain data only: typed arrays travel as transferred copies.
 */
import type { NetSpec } from './spec-types'

export type OptimizerName = 'SGD' | 'Momentum' | 'Nesterov' | 'AdaGrad' | 'RMSProp' | 'Adam'

/** Where training data comes from. */
export type DataSource =
  | { kind: 'mnist' }                 // the built-in 10,000 digits
  | { kind: 'idx'; dir: string }      // MNIST-format IDX files in a folder (gzipped or not)
  | { kind: 'text'; file: string }    // a UTF-8 text file; 'builtin' for the shipped corpus

/**
 * How a run's training threads share the CPU with other programs (Linux; chosen per run on the training page).
 * 'low', the default: every other thread goes first (SCHED_IDLE, train/thread-priority.ts), so the window
 * stays smooth, but training stands still while other programs keep every core busy. 'normal': the threads
 * share the cores equally with everything else, so training keeps going and the window may respond more
 * slowly. The host starts the training worker at the run's priority (src-main/lab-host.ts); the worker
 * and the CLI ignore the field.
 */
export const TRAINING_PRIORITIES = ['low', 'normal'] as const
export type TrainingPriority = (typeof TRAINING_PRIORITIES)[number]

export interface TrainSettings {
  data: DataSource
  optimizer: OptimizerName
  lr: number
  batchSize: number
  epochs: number
  weightDecay: number
  seed: number
  threads: number
  /** Gradient clipping by global norm (0 = off). */
  clip?: number
  /**
   * Language models: stateful training (truncated BPTT). The text is read in order in batchSize lanes and
   * the recurrent layers carry their state from one batch to the next (reset every epoch); one thread.
   */
  stateful?: boolean
  /** Held-out fraction for the built-in digits (default 0.2 → 8,000 / 2,000). */
  testFraction?: number
  /**
   * Image data: train on only this many of the training examples (absent = all), the first N of the training set in
   * an order shuffled by a fixed seed (data/train-size.ts), so a run on 1,000 digits trains on the same 1,000 whatever
   * its own seed, on the page and in the CLI (--train-size). The held-out set is unchanged. Not for a text.
   */
  trainSize?: number
  /**
   * The learner's own labelled drawings (draw page, "add to the dataset"), appended to the training set
   * of image data whose examples are 28×28: images flat (N·784, 0..1), labels (N).
   */
  extra?: { images: number[]; labels: number[] }
  /** How the training threads share the CPU with other programs; absent = 'low'. */
  priority?: TrainingPriority
}

/**
 * examplesPerSec: wall-clock training speed (smoothed, pauses and evaluations left out). evalSeconds: what one held-out
 * evaluation takes, with the training sample's after it (the last one's time, or an estimate before the first), for the time left.
 */
export interface BatchPoint { epoch: number; batch: number; batches: number; loss: number; examplesPerSec: number; evalSeconds?: number }

export interface EpochReport {
  epoch: number
  trainLoss: number
  /** The running mean over the epoch's batches while they trained (weights changing, Dropout on): not the training set's accuracy. */
  trainAcc: number | null
  /**
   * The accuracy on a fixed sample of the training examples (at most 1,000, the same every epoch), measured after the
   * epoch in inference mode as testAcc is (train/train-sample.ts): the figure to compare with testAcc. Null for
   * autoencoders; absent in runs saved before it was measured.
   */
  trainEvalAcc?: number | null
  testLoss: number
  testAcc: number | null
  /** Language models: exp(mean cross-entropy). */
  perplexity?: number
  seconds: number
  /** Classifiers: held-out confusion counts, K×K row-major, row = true class, column = predicted. */
  confusion?: { classes: number; counts: number[] }
  /** Classifiers: the held-out examples predicted wrong with the highest confidence, most confident first (≤ 12). */
  confidentWrong?: WrongExample[]
  /** Autoencoders: the held-out reconstruction loss (the loss layer's: BCE for SigmoidWithLoss, MSE for MSE). */
  reconstructionLoss?: number
  /** Autoencoders: held-out mean squared error per pixel between the output image and the input. */
  reconstructionMse?: number
  /**
   * The learning rates the epoch's mini-batches trained with, in order, each once: the first batch's, then each live
   * change (train:set-lr) a later batch of the epoch trained with (train/epoch-lr.ts). At most LR_KEPT: after more
   * changes the first rate and the last LR_KEPT − 1 are kept, and `lrLeftOut` counts the changes between them. Absent in
   * runs saved before the rate was recorded: the page says "not recorded" rather than guess the starting rate.
   */
  lr?: number[]
  /** Live changes of the learning rate during the epoch left out of `lr` (between its first and its kept last ones). */
  lrLeftOut?: number
}

/** The most learning rates an epoch report keeps (EpochReport.lr). */
export const LR_KEPT = 8

/** A held-out example the model got wrong: its image (channel-mean for C > 1), true and predicted class. */
export interface WrongExample { index: number; label: number; predicted: number; confidence: number; image: ImageStack }

/** An image grid: `count` images of h×w, stored one after another. */
export interface ImageStack { count: number; h: number; w: number; data: Float32Array }

export interface LayerMaps { layer: string; shape: number[]; maps: ImageStack }

/** Hidden units per LSTM gate a snapshot carries and the gates panel draws (enough to see patterns, few enough that six heatmaps fit). */
export const GATE_UNITS = 48

export interface Snapshot {
  /** First conv layer's filters (FN images of FH×FW, channel-mean for multi-channel input). */
  filters?: ImageStack
  /** Every layer's activations for the probe sample. */
  featureMaps?: LayerMaps[]
  /**
   * LSTM gates over time for the probe sequence: name (f, g, i, o, c, h) → (T, h), the first h of the layer's `total`
   * hidden units (absent: h is all of them). A snapshot carries the GATE_UNITS the gates panel draws, not all 256 of
   * the character LSTM's: six gates × T × 256 floats went to the page four times a second for 48 rows drawn.
   */
  gates?: { name: string; t: number; h: number; total?: number; data: Float32Array }[]
  /** Autoencoders: a row of held-out digits (one per class) and what the network redraws for each. */
  reconstructions?: { inputs: ImageStack; outputs: ImageStack }
  /** Autoencoders with a 2-unit bottleneck: held-out digits' codes, points (count·2) as x0 y0 x1 y1…, labels (count). */
  codes?: CodePlane
}

/** Held-out examples placed by their 2-D codes (the output of the bottleneck layer `layer`). */
export interface CodePlane { layer: string; dims: 2; count: number; points: Float32Array; labels: Float32Array }

export type RunState = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'failed'

/** Host → worker. */
export type WorkerCommand =
  /** checkpoints: after every epoch keep a copy of the weights and optimizer state and post 'checkpoint', for an 'autosave'. */
  /** fromModel: start from the worker's current model (trained or loaded): every weight whose name and shape
   *  still fit, and its optimizer state when all fit and the optimizer is the same; the rest fresh. */
  | { type: 'start'; runId: string; spec: NetSpec; settings: TrainSettings; weights?: Record<string, Float32Array>; checkpoints?: boolean; fromModel?: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'step' }
  | { type: 'set-lr'; lr: number }
  | { type: 'set-probe'; input: Float32Array }
  /** maps: also return every layer's activations (and LSTM gates) for the first example. */
  | { type: 'predict'; reqId: number; input: Float32Array; count: number; maps?: boolean }
  | { type: 'get-weights'; reqId: number }
  /** The host holds no model any more (a project opened without weights): drop it and give its engine memory back now. Ignored while a run is under way. */
  | { type: 'drop-model' }
  /** The host's inference thread (train/inference.ts): a MessagePort to send it this thread's model and weights. */
  | { type: 'infer-port'; port: { postMessage(message: unknown, transfer?: ArrayBuffer[]): void } }
  | { type: 'load-model'; reqId: number; spec: NetSpec; weights: Record<string, Float32Array>; optimizer?: { name: OptimizerName; state: Record<string, Float32Array> }; vocab?: string[] }
  /** Replies gradcheck-run's GradcheckResult; with `explain`, the lesson explainer's CheckResult (a row per array).
   *  explain.cancel: a flag on a SharedArrayBuffer the host sets to stop the check (reason 'cancelled'). */
  | { type: 'gradcheck'; reqId: number; spec: NetSpec; seed: number; explain?: { samples?: number; bug?: boolean; cancel?: Int32Array } }
  /** Autoencoders: run the layers after the bottleneck on `count` codes (count·code size values); replies { count, h, w, images }. */
  | { type: 'decode'; reqId: number; code: Float32Array; count: number }
  /** Autoencoders: the reconstruction row and (2-unit bottleneck) code plane of the current model on the held-out
   *  examples of `data`, as a training snapshot shows them (a reopened project, before any new run);
   *  replies Pick<Snapshot, 'reconstructions' | 'codes'>. */
  | { type: 'ae-views'; reqId: number; data: DataSource; testFraction?: number }
  /** Language models: continue `prompt` by `length` characters sampled at `temperature` (seeded); replies { prompt, text }. */
  | { type: 'generate'; reqId: number; prompt: string; length: number; temperature: number; seed: number }
  /** Writes the checkpoint kept after epoch `epoch` of run `runId` as a project file at `path` (train/autosave.ts), with
   *  the project.json fields only the host knows; replies { written: true, bytes }, or { written: false } when that
   *  checkpoint is no longer the one kept (a later epoch's replaced it, or it was written already). */
  | { type: 'autosave'; reqId: number; runId: string; epoch: number; path: string; project: AutosaveProject }

/** What the host adds to a checkpoint in an autosave: the settings, the runs' history, the epoch as the page numbers it. */
export interface AutosaveProject { settings?: Partial<TrainSettings>; history?: unknown; epoch?: number }

/**
 * What a divergence message says, as facts a page can put in its own words (the renderer's i18n);
 * train/divergence.ts's describeDivergence is the English sentence built from them (CLI, logs, hosts without the facts).
 * A loss that is not finite travels as its name: JSON would turn NaN and Infinity into null.
 */
export type DivergenceFacts = (
  | { reason: 'not-finite'; loss: 'NaN' | 'Infinity' | '-Infinity' }
  /** loss: the mean of the last batches' losses; firstLoss: the first batch's (null if none was finite). */
  | { reason: 'exploded'; loss: number; firstLoss: number | null }
) & {
  /** 1-based epoch and batch within it where training stopped. */
  epoch: number
  batch: number
  optimizer: OptimizerName
  lr: number
  suggestedLr: number
  /** The model the training thread holds now (absent from older hosts: they held the diverged weights). */
  kept?: KeptModel
}

/**
 * Which model the training thread holds after a run diverged (train/last-good.ts, session.ts), the one predict,
 * export, save, generate and a run "from the model" use from then on:
 * - 'run': the run's own weights as they were at batch `batch` of epoch `epoch` (the run's own 1-based count),
 *   whose loss there, `loss`, was below the run's first batch's;
 * - 'before': the model held before the run (the run diverged before it had weights of its own worth keeping);
 * - 'none': nothing (neither of those exists).
 * The optimizer's state of the steps that diverged is not kept: a run from the model starts it afresh.
 */
export type KeptModel =
  | { from: 'run'; epoch: number; batch: number; loss: number }
  | { from: 'before' }
  | { from: 'none' }

/**
 * The codes the engine threads give their failures (replies and error events). Each is one of the host's
 * LAB_ERRORS (src-main/ipc/contract.ts checks it at compile time), so the page has words for it.
 */
export type EngineErrorCode =
  | 'failed' | 'bad-command' | 'unknown-command' | 'no-model' | 'not-autoencoder' | 'not-language-model' | 'no-vocab'
  | 'bad-prompt' | 'busy' | 'unavailable' | 'no-run' | 'train-failed' | 'diverged' | 'worker-error'

/**
 * The facts of a run the data does not fit (train/checks.ts checkData), for the page to word: 'input', the
 * examples' shape is not the network's input; 'classes', a softmax classifier's outputs are not the data's
 * classes (`layer` the output layer, `affine` 1 when its units are what to set); 'vocab', a language model's scores
 * per step are not the text's vocabulary (`affine` 1 when the layer is a TimeAffine, whose units are what to set);
 * 'text', a text too short for one window of the input's T + 1 characters in both its parts (train/data.ts): `chars`
 * it has, `needs` the fewest that give both (data/text.ts textMinChars).
 */
export type DataMismatchFacts =
  | { case: 'input'; want: string; got: string; which: 'training' | 'held-out' }
  | { case: 'classes'; layer: string; outputs: number; classes: number; affine: 0 | 1 }
  | { case: 'vocab'; layer: string; outputs: number; vocab: number; affine: 0 | 1 }
  | { case: 'text'; chars: number; needs: number; T: number; window: number }
  /** A training-set size (TrainSettings.trainSize) above the examples there are ('train-size'), or below the mini-batch ('train-size-batch'). */
  | { case: 'train-size' | 'train-size-batch'; size: number; available: number; batch: number }

/**
 * The facts of a run out of engine memory (kernels/wasm/memory.ts EngineMemoryError), for the page to word with
 * what to make smaller: `needs`, the megabytes (MiB, rounded up) the engine memory would have held, `limit` what it
 * may hold (rounded down).
 */
export type MemoryFacts = { case: 'memory'; needs: number; limit: number }

/**
 * The facts a failure's English message states, as data the page words in its own language (the host passes
 * them on as the refusal's params). 'bad-prompt': the first character the vocabulary lacks and its position;
 * 'train-failed' and 'worker-error' events: the exception's own text (`detail`), which the page words around;
 * a 'train-failed' event also the stage the run failed at (StartStage below); one the data does not fit also its facts (DataMismatchFacts above, from train/checks.ts: case 'input', 'classes' or 'vocab'), one out of engine memory its sizes (MemoryFacts, case 'memory').
 */
export type EngineErrorParams =
  | { case: 'char'; char: string; position: number } | { detail: string; stage?: StartStage }
  | ({ detail: string; stage?: StartStage } & (DataMismatchFacts | MemoryFacts))

/**
 * How far a run got when it failed ('train-failed' params.stage), so the page can say what to change: 'data',
 * loading the data its settings name (a folder or text it cannot read); 'setup', building the network and its
 * optimizer for that data with these settings (weights to continue from included); 'threads', starting the extra
 * training threads; 'training', once training began (before or after its first mini-batch).
 */
export type StartStage = 'data' | 'setup' | 'threads' | 'training'

/** Worker → host. */
export type WorkerEvent =
  | { type: 'ready' }
  | { type: 'state'; runId: string; state: RunState; message?: string }
  | { type: 'batches'; runId: string; points: BatchPoint[] }
  | { type: 'epoch'; runId: string; report: EpochReport }
  | { type: 'snapshot'; runId: string; snapshot: Snapshot }
  /** code 'diverged' carries the facts of `message` (absent from older hosts); 'train-failed' and 'worker-error' the exception's text as `params.detail`. */
  | { type: 'error'; runId: string | null; code: EngineErrorCode; message: string; divergence?: DivergenceFacts; params?: EngineErrorParams }
  /** After epoch `epoch` (when the start asked for checkpoints): the weights and optimizer state as they stood then are
   *  kept in the worker until an 'autosave' writes them (the arrays never travel to the host). */
  | { type: 'checkpoint'; runId: string; epoch: number }
  /** Once run `runId` has ended and its threads have stopped: the engine memory the training thread keeps for good
   *  (`touched`, EngineMemory.touchedBytes) and what the model it holds needs of it (`held`, bytes), for the host to
   *  judge whether to retire the thread (train/retire.ts). */
  | { type: 'memory'; runId: string; touched: number; held: number }
  | { type: 'reply'; reqId: number; ok: true; value: unknown }
  | { type: 'reply'; reqId: number; ok: false; code: EngineErrorCode; message: string; params?: EngineErrorParams }

/** A model's weights and optimizer state at one moment (get-weights replies and checkpoints carry it). */
export interface Checkpoint {
  spec: NetSpec
  weights: Record<string, { shape: number[]; data: Float32Array }>
  /** Absent when the model was loaded rather than trained. */
  optimizer?: { name: OptimizerName; state: Record<string, Float32Array> }
  /** A language model's characters in id order (known after training on a text, or loaded with the model). */
  vocab?: string[]
}
