/** Live predictions while drawing: one request in flight, the newest drawing wins, latency by stage. */
import { describe, expect, it } from 'vitest'
import { LatencyStats, LivePredictor, type LatencyRecord } from '../../../src-renderer/lib/live-predict'
import type { Prediction, Result } from '../../../src-main/ipc/contract'

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const answer = (ms: number, engineMs: number): Result<Prediction> =>
  ({ ok: true, value: { probs: [1], logits: [0], top: 0, ms, engineMs } })

function setup() {
  let clock = 0
  let drawing = 0
  const asked: { input: number; reply: ReturnType<typeof deferred<Result<Prediction>>> }[] = []
  const shown: Result<Prediction>[] = []
  const records: LatencyRecord[] = []
  const live = new LivePredictor<number>({
    prepare: () => {
      clock += 1 // preprocessing takes 1 ms
      return drawing === 0 ? null : drawing
    },
    ask: (input) => {
      const reply = deferred<Result<Prediction>>()
      asked.push({ input, reply })
      return reply.promise
    },
    show: async (r) => {
      shown.push(r)
      clock += 0.5 // the DOM update
    },
    measured: (r) => records.push(r),
    now: () => clock
  })
  return {
    live, asked, shown, records,
    draw: (value: number, at: number) => { drawing = value; clock = Math.max(clock, at); live.changed(at) },
    advance: (ms: number) => (clock += ms)
  }
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('LivePredictor', () => {
  it('keeps one request in flight and sends only the newest drawing after it, measured from the earliest unanswered event', async () => {
    const t = setup()
    t.draw(1, 10)
    expect(t.asked.map((a) => a.input)).toEqual([1])
    // three more changes while the first is out: no new request yet
    t.draw(2, 12)
    t.draw(3, 14)
    t.draw(4, 16)
    expect(t.asked).toHaveLength(1)
    t.advance(8) // clock 24
    t.asked[0].reply.resolve(answer(3, 1))
    await flush()
    // the first answer is shown, then one request with the newest drawing
    expect(t.shown).toHaveLength(1)
    expect(t.asked.map((a) => a.input)).toEqual([1, 4])
    // asked at 11 (after 1 ms of preparing), answered at 24 of which the host reported 3 (1 in the engine)
    expect(t.records[0]).toEqual({ total: 14.5, wait: 0, prep: 1, transport: 10, host: 2, engine: 1, dom: 0.5 })
    t.asked[1].reply.resolve(answer(2, 2))
    await t.live.idle()
    expect(t.asked).toHaveLength(2)
    // the second answer covers ink from t = 12 (the first change it is the first to include)
    const second = t.records[1]
    expect(second.wait).toBe(24.5 - 12)
    expect(second.total).toBe(26 - 12)
    expect(second.host).toBe(0)
    expect(second.engine).toBe(2)
  })

  it('asks nothing for an empty pad, and reports failures without measuring them', async () => {
    const t = setup()
    t.draw(0, 1)
    await t.live.idle()
    expect(t.asked).toHaveLength(0)
    t.draw(5, 2)
    t.asked[0].reply.resolve({ ok: false, error: { code: 'no-model', message: 'none' } })
    await t.live.idle()
    expect(t.shown).toMatchObject([{ ok: false }])
    expect(t.records).toHaveLength(0)
    // and the next change asks again
    t.draw(6, 30)
    expect(t.asked.map((a) => a.input)).toEqual([5, 6])
  })
})

describe('LatencyStats', () => {
  const rec = (total: number): LatencyRecord => ({ total, wait: total / 10, prep: 1, transport: 2, host: 0.5, engine: 0.4, dom: 0.3 })

  it('summarises the last n answers as median and worst, with each stage\'s median', () => {
    const s = new LatencyStats(4)
    expect(s.summary()).toBeNull()
    for (const v of [100, 5, 9, 7, 30]) s.add(rec(v))
    // 100 has left the window of 4
    expect(s.summary()).toEqual({ n: 4, median: 8, worst: 30, stages: { wait: 0.8, prep: 1, transport: 2, host: 0.5, engine: 0.4, dom: 0.3 } })
    s.clear()
    expect(s.count).toBe(0)
  })
})
