/**
 * Predictions that never wait behind a training batch. A batch runs synchronously in the training
 * thread, so a `predict` posted to it waits until the batch ends (tens of milliseconds). While a run
 * trains, the host sends predictions to an inference thread instead (worker.ts, workerData.role
 * 'infer'), which holds its own copy of the model:
 *
 *   host ──predict──▶ inference thread (InferenceSession) ◀──model (port)── training thread (InferenceFeed)
 *                                      └── shared memory: want ▶ / ◀ weights ──┘
 *
 * The training thread posts the model's spec with a block of shared memory holding its weights when its
 * model changes (a run starts, a model is loaded). After that nothing is posted: the inference thread
 * says it wants fresh weights by setting a word of that memory (after answering, when its copy is older
 * than `freshMs`), the training thread looks at that word whenever it posts an event (`InferenceFeed.poll`: batch
 * points go out between batches, about every 100 ms, while a run trains) and writes its weights into the
 * block, and the inference thread copies them before its next answer. So weights only
 * travel while someone is drawing, and an answer uses weights at most about one batch plus `freshMs` old.
 *
 * Why shared memory and not messages: a post takes the receiving port's mutex and wakes the receiver inside
 * it, and a training thread under SCHED_IDLE with every core busy can keep that mutex for a second
 * (docs/architecture.md, "The host"), so a prediction waited for a starved training thread (worst answer
 * 0.25–0.68 s with one busy loop per core). Atomics.load and Atomics.store take no lock, and neither
 * thread ever waits for the other.
 *
 * The block is never read while it is written: the training thread writes only while the `WANT` word is
 * set, then clears it and bumps `GEN`; the inference thread reads only after `GEN` has changed (so `WANT`
 * is clear) and sets `WANT` only once it has read. Those are Atomics operations, which order the plain
 * reads and writes of the block between them.
 */
import { Rng } from '../rng'
import { Sequential } from '../models/sequential'
import type { NetSpec } from '../spec-types'
import type { WorkerCommand, WorkerEvent } from '../protocol'
import { takeSnapshot } from './probes'
import { aside } from '../models/recurrent-state'
import { errorMessage } from './errors'

type PredictCommand = Extract<WorkerCommand, { type: 'predict' }>

/** The value of a predict reply: flat (count·classes) probs and logits, `ms` spent, and maps when asked. */
export function predictValue(model: Sequential, cmd: PredictCommand, now: () => number): Record<string, unknown> {
  const t0 = now()
  // aside: a prediction asked for while a stateful run trains this model leaves the run's carried state alone
  const { probs, logits } = aside(model, () => model.predict(model.inputTensor(cmd.input, cmd.count)))
  const value: Record<string, unknown> = { count: cmd.count, classes: probs.data.length / cmd.count, probs: probs.data.slice(), logits: logits.data.slice() }
  if (cmd.maps) {
    const snap = takeSnapshot(model, cmd.input.subarray(0, cmd.input.length / cmd.count))
    value.maps = snap.featureMaps
    if (snap.gates) value.gates = snap.gates
  }
  value.ms = now() - t0
  return value
}

/** Messages from the training thread to the inference thread. */
export type FeedMessage =
  | { type: 'model'; spec: NetSpec; shared: SharedWeights }
  | { type: 'no-model' }

/** A model's weights in shared memory, and the two words the threads hand them over with (see above). */
export interface SharedWeights {
  /** Int32 words: `GEN` (bumped after each write of `data`) and `WANT` (1: the inference thread wants a write). */
  control: SharedArrayBuffer
  /** Float32: every weight, one after another in `layout` order. */
  data: SharedArrayBuffer
  /** Each weight's name and length. */
  layout: [string, number][]
}
const GEN = 0
const WANT = 1

/** The part of a MessagePort both ends use (worker_threads' MessagePort, or a fake in tests). */
export interface FeedPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  close?(): void
}

/** The training thread's end: posts the current model, and writes its weights into shared memory when asked. */
export class InferenceFeed {
  private shared: { model: Sequential; control: Int32Array; data: Float32Array; layout: [string, number][] } | null = null

  constructor(private readonly port: FeedPort, private readonly current: () => Sequential | null) {
    this.modelChanged()
  }

  /** A new model (a run started, a model was loaded): its spec and its weights in a new block. */
  modelChanged(): void {
    const model = this.current()
    if (!model) {
      this.shared = null
      this.port.postMessage({ type: 'no-model' } satisfies FeedMessage)
      return
    }
    const layout = Object.entries(model.weights()).map(([k, t]): [string, number] => [k, t.data.length])
    const control = new Int32Array(new SharedArrayBuffer(8))
    const data = new Float32Array(new SharedArrayBuffer(4 * layout.reduce((n, [, len]) => n + len, 0)))
    this.shared = { model, control, data, layout }
    this.write()
    this.port.postMessage({ type: 'model', spec: model.spec, shared: { control: control.buffer as SharedArrayBuffer, data: data.buffer as SharedArrayBuffer, layout } } satisfies FeedMessage)
  }

  /** Writes the weights when the inference thread wants them (session.ts: before each event the training thread posts). */
  poll(): void {
    const s = this.shared
    if (s && Atomics.load(s.control, WANT) === 1 && this.current() === s.model) this.write()
  }

  private write(): void {
    const s = this.shared!
    const weights = s.model.weights()
    let at = 0
    for (const [k, len] of s.layout) {
      const w = weights[k]?.data
      if (w?.length === len) s.data.set(w, at)
      at += len
    }
    Atomics.store(s.control, WANT, 0)
    Atomics.add(s.control, GEN, 1)
  }

  close(): void {
    this.shared = null
    this.port.close?.()
  }
}

/**
 * The inference thread's brain: answers `predict` from the host with its copy of the model. Posts
 * `ready` each time a model arrives; before that the host asks the training thread.
 */
export class InferenceSession {
  private model: Sequential | null = null
  private shared: { control: Int32Array; data: Float32Array; layout: [string, number][]; gen: number } | null = null
  private weightsAt = -Infinity
  private asked = false
  private readonly now: () => number

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    feed: FeedPort,
    private readonly freshMs = 100,
    now?: () => number
  ) {
    this.now = now ?? (() => performance.now())
    feed.on('message', (m) => this.onFeed(m as FeedMessage))
  }

  private onFeed(m: FeedMessage): void {
    if (m?.type === 'no-model') {
      this.model = null
      this.shared = null
    } else if (m?.type === 'model') {
      try {
        this.model = Sequential.fromSpec(m.spec, new Rng(0))
        this.shared = { control: new Int32Array(m.shared.control), data: new Float32Array(m.shared.data), layout: m.shared.layout, gen: -1 }
        this.refresh()
        // the host sends predictions here only once this thread has said it has a model
        this.post({ type: 'ready' })
      } catch {
        // A model that cannot be built answers 'no-model' (the host then asks the training thread).
        this.model = null
        this.shared = null
      }
    }
  }

  /** Copies the weights out of shared memory if the training thread has written them since the last copy. */
  private refresh(): void {
    const s = this.shared
    const model = this.model
    if (!s || !model) return
    const gen = Atomics.load(s.control, GEN)
    if (gen === s.gen) return
    const weights: Record<string, Float32Array> = {}
    let at = 0
    for (const [k, len] of s.layout) {
      weights[k] = s.data.subarray(at, at + len)
      at += len
    }
    s.gen = gen
    this.asked = false
    model.loadWeights(weights) // copies; throws, keeping the old weights, on non-finite ones (a diverged run's)
    this.weightsAt = this.now()
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
    try {
      this.refresh()
    } catch {
      // weights that do not load (a diverged run's): answer with the last ones that did
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
    // After answering (and copying), so the training thread never writes while this one reads: the next
    // answer uses fresher weights.
    const s = this.shared
    if (s && !this.asked && this.now() - this.weightsAt >= this.freshMs) {
      this.asked = true
      Atomics.store(s.control, WANT, 1)
    }
  }
}
