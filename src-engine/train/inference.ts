/**
 * Predictions that never wait behind a training batch. A batch runs synchronously in the training
 * thread, so a `predict` posted to it waits until the batch ends (tens of milliseconds). While a run
 * trains, the host sends predictions to an inference thread instead (worker.ts, workerData.role
 * 'infer'), which holds its own copy of the model:
 *
 *   host ──predict──▶ inference thread (InferenceSession) ◀──model / weights── training thread (InferenceFeed)
 *                                      └──want-weights──────────────────────▶
 *
 * The training thread sends the model's spec and weights when its model changes (a run starts, a model
 * is loaded) and fresh weights when the inference thread asks, which it does after answering if its
 * copy is older than `freshMs` — so weights only travel while someone is drawing, and between batches.
 * An answer uses weights at most about one batch plus `freshMs` old.
 */
import { Rng } from '../rng'
import { Sequential } from '../models/sequential'
import type { NetSpec } from '../spec-types'
import type { WorkerCommand, WorkerEvent } from '../protocol'
import { takeSnapshot } from './probes'
import { errorMessage } from './errors'

type PredictCommand = Extract<WorkerCommand, { type: 'predict' }>

/** The value of a predict reply: flat (count·classes) probs and logits, `ms` spent, and maps when asked. */
export function predictValue(model: Sequential, cmd: PredictCommand, now: () => number): Record<string, unknown> {
  const t0 = now()
  const { probs, logits } = model.predict(model.inputTensor(cmd.input, cmd.count))
  const value: Record<string, unknown> = { count: cmd.count, classes: probs.data.length / cmd.count, probs: probs.data.slice(), logits: logits.data.slice() }
  if (cmd.maps) {
    const snap = takeSnapshot(model, cmd.input.subarray(0, cmd.input.length / cmd.count))
    value.maps = snap.featureMaps
    if (snap.gates) value.gates = snap.gates
  }
  value.ms = now() - t0
  return value
}

/** Messages between the training thread and the inference thread. */
export type FeedMessage =
  | { type: 'model'; spec: NetSpec; weights: Record<string, Float32Array> }
  | { type: 'weights'; weights: Record<string, Float32Array> }
  | { type: 'no-model' }
  | { type: 'want-weights' }

/** The part of a MessagePort both ends use (worker_threads' MessagePort, or a fake in tests). */
export interface FeedPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  close?(): void
}

function copies(model: Sequential): { weights: Record<string, Float32Array>; transfer: ArrayBuffer[] } {
  const weights: Record<string, Float32Array> = {}
  for (const [k, t] of Object.entries(model.weights())) weights[k] = t.data
  return { weights, transfer: Object.values(weights).map((w) => w.buffer as ArrayBuffer) }
}

/** The training thread's end: sends the current model, and its weights when asked. */
export class InferenceFeed {
  constructor(private readonly port: FeedPort, private readonly current: () => Sequential | null) {
    port.on('message', (m) => {
      if ((m as FeedMessage | null)?.type === 'want-weights') this.sendWeights()
    })
    this.modelChanged()
  }

  /** A new model (a run started, a model was loaded): its spec and weights. */
  modelChanged(): void {
    const model = this.current()
    if (!model) {
      this.port.postMessage({ type: 'no-model' } satisfies FeedMessage)
      return
    }
    const { weights, transfer } = copies(model)
    this.port.postMessage({ type: 'model', spec: model.spec, weights } satisfies FeedMessage, transfer)
  }

  private sendWeights(): void {
    const model = this.current()
    if (!model) return
    const { weights, transfer } = copies(model)
    this.port.postMessage({ type: 'weights', weights } satisfies FeedMessage, transfer)
  }

  close(): void {
    this.port.close?.()
  }
}

/**
 * The inference thread's brain: answers `predict` from the host with its copy of the model. Posts
 * `ready` each time a model arrives; before that the host asks the training thread.
 */
export class InferenceSession {
  private model: Sequential | null = null
  private weightsAt = -Infinity
  private asked = false
  private readonly now: () => number

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    private readonly feed: FeedPort,
    private readonly freshMs = 100,
    now?: () => number
  ) {
    this.now = now ?? (() => performance.now())
    feed.on('message', (m) => this.onFeed(m as FeedMessage))
  }

  private onFeed(m: FeedMessage): void {
    try {
      if (m.type === 'model') {
        const model = Sequential.fromSpec(m.spec, new Rng(0))
        model.loadWeights(m.weights)
        this.model = model
        // the host sends predictions here only once this thread has said it has a model
        this.post({ type: 'ready' })
      } else if (m.type === 'weights') {
        this.model?.loadWeights(m.weights)
      } else if (m.type === 'no-model') {
        this.model = null
      } else {
        return
      }
      this.weightsAt = this.now()
      this.asked = false
    } catch {
      // A model that cannot be built answers 'no-model' (the host then asks the training thread).
      if (m.type === 'model') this.model = null
    }
  }

  /** A command from the host: only `predict` is answered here (anything else is a host bug). */
  handle(message: unknown): void {
    const cmd = message as Partial<PredictCommand> | null
    const reqId = cmd?.reqId
    if (!Number.isInteger(reqId)) return
    const reply = (e: WorkerEvent): void => this.post(e)
    if (cmd?.type !== 'predict' || !(cmd.input instanceof Float32Array) || !Number.isInteger(cmd.count) || (cmd.count as number) < 1) {
      reply({ type: 'reply', reqId: reqId!, ok: false, code: 'bad-command', message: 'the inference thread answers only "predict" with a Float32Array input and a positive count' })
      return
    }
    const model = this.model
    if (!model) {
      reply({ type: 'reply', reqId: reqId!, ok: false, code: 'no-model', message: 'the inference thread has no model yet' })
      return
    }
    try {
      reply({ type: 'reply', reqId: reqId!, ok: true, value: predictValue(model, cmd as PredictCommand, this.now) })
    } catch (e) {
      reply({ type: 'reply', reqId: reqId!, ok: false, code: 'failed', message: errorMessage(e) })
    }
    // After answering, so the answer never waits for weights: the next one uses fresher weights.
    if (!this.asked && this.now() - this.weightsAt >= this.freshMs) {
      this.asked = true
      this.feed.postMessage({ type: 'want-weights' } satisfies FeedMessage)
    }
  }
}
