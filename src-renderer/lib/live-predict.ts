/**
 * Live predictions while drawing: at most one request in flight, the newest drawing wins, and every
 * answer's stroke-to-answer latency measured by stage. No DOM, no Svelte: the draw page passes in how to
 * read its input, how to ask and how to show, so tests can drive it with fakes and a fake clock.
 *
 * Latency, precisely: for each answer shown, the time from the earliest pointer event whose ink that
 * answer is the first to include (its `timeStamp`, the performance.now() clock) to the moment the answer
 * is in the DOM (after `show` has resolved, i.e. after Svelte's tick). Ink drawn while a request is out
 * waits for it, and that wait counts.
 */
import type { Prediction, Result } from '../../src-main/ipc/contract'

/** One answer's latency (ms) and where it went. */
export interface LatencyRecord {
  /** event → answer in the DOM */
  total: number
  /** event → start of preparing the request (waiting for the previous request to come back) */
  wait: number
  /** reading the pad's ink and preprocessing it to 28×28 */
  prep: number
  /** request sent → reply received, minus what the host reports (WebSocket or IPC, both directions, encoding) */
  transport: number
  /** the host's part minus the engine's (main ↔ engine thread messaging, waiting in the engine thread) */
  host: number
  /** the engine's forward pass and copies, in its thread */
  engine: number
  /** reply received → answer in the DOM */
  dom: number
}

export const STAGES = ['wait', 'prep', 'transport', 'host', 'engine', 'dom'] as const

export interface LatencySummary {
  /** answers summarised (the most recent `size`) */
  n: number
  median: number
  worst: number
  /** median of each stage */
  stages: Record<(typeof STAGES)[number], number>
}

function median(xs: number[]): number {
  const a = [...xs].sort((x, y) => x - y)
  const m = a.length >> 1
  return a.length === 0 ? NaN : a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2
}

/** The last `size` latency records, summarised as median and worst. */
export class LatencyStats {
  private records: LatencyRecord[] = []
  constructor(readonly size = 50) {}

  add(r: LatencyRecord): void {
    this.records.push(r)
    if (this.records.length > this.size) this.records.shift()
  }

  clear(): void {
    this.records = []
  }

  get count(): number {
    return this.records.length
  }

  summary(): LatencySummary | null {
    const rs = this.records
    if (rs.length === 0) return null
    const stages = Object.fromEntries(STAGES.map((s) => [s, median(rs.map((r) => r[s]))])) as LatencySummary['stages']
    return { n: rs.length, median: median(rs.map((r) => r.total)), worst: Math.max(...rs.map((r) => r.total)), stages }
  }
}

export interface LivePredictOptions<I> {
  /** Reads and preprocesses the current drawing; null when there is nothing to ask (empty pad, no model). */
  prepare(): I | null
  ask(input: I): Promise<Result<Prediction>>
  /** Puts the answer on the page; resolves once it is in the DOM. */
  show(result: Result<Prediction>): Promise<void>
  /** Called with each answered request's latency. */
  measured?(record: LatencyRecord): void
  now?: () => number
}

export class LivePredictor<I> {
  /** Time of the earliest change no request has included yet (null: everything drawn has been asked about). */
  private dirtySince: number | null = null
  private running: Promise<void> | null = null
  private readonly now: () => number

  constructor(private readonly opts: LivePredictOptions<I>) {
    this.now = opts.now ?? (() => performance.now())
  }

  /** The drawing changed at `eventTime`. Starts a request unless one is in flight (then the next one includes it). */
  changed(eventTime: number): void {
    if (this.dirtySince === null || eventTime < this.dirtySince) this.dirtySince = eventTime
    this.running ??= this.loop().finally(() => {
      this.running = null
    })
  }

  /** Resolves when nothing is in flight or waiting (tests). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve()
  }

  private async loop(): Promise<void> {
    while (this.dirtySince !== null) {
      const since = this.dirtySince
      this.dirtySince = null
      const t0 = this.now()
      const input = this.opts.prepare()
      if (input === null) continue
      const t1 = this.now()
      const r = await this.opts.ask(input)
      const t2 = this.now()
      // Shown even when newer ink is waiting: it is newer than what the page shows; the next request follows.
      await this.opts.show(r)
      const t3 = this.now()
      if (!r.ok) continue
      const hostMs = r.value.ms
      const engineMs = Math.min(hostMs, r.value.engineMs ?? 0)
      this.opts.measured?.({
        total: t3 - since,
        wait: t0 - since,
        prep: t1 - t0,
        transport: Math.max(0, t2 - t1 - hostMs),
        host: hostMs - engineMs,
        engine: engineMs,
        dom: t3 - t2
      })
    }
  }
}
