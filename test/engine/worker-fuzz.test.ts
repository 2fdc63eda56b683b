/**
 * Fuzzing the training thread's commands (protocol.ts WorkerCommand, checked by train/commands.ts, handled by
 * train/session.ts as worker.ts does): seeded near-misses of good commands and random values, sent to a session
 * holding a trained-looking model. The session must never throw; a request (a whole-number reqId) gets exactly one
 * reply with its reqId, anything else an error event at most; and after all of them it still holds the same model,
 * predicting the same numbers. A failure names its seed.
 */
import { describe, expect, it } from 'vitest'
import type { WorkerEvent } from '../../src-engine/protocol'
import { recordingSession, smallDigits, TINY_MLP } from './train/fixtures'
import { below, hostileValue, mutateJson, pick, seeded, type Rand, SLOW_CASE_MS } from './io/fuzz-mutate'

const weights = (): Record<string, Float32Array> => ({
  'affine1.W': Float32Array.from({ length: 784 * 32 }, (_, i) => Math.sin(i) * 0.05), 'affine1.b': new Float32Array(32).fill(0.01),
  'affine2.W': Float32Array.from({ length: 320 }, (_, i) => Math.cos(i) * 0.1), 'affine2.b': new Float32Array(10)
})
const probe = Float32Array.from({ length: 784 }, (_, i) => (i % 9) / 9)

/** Commands that work on a session holding TINY_MLP's weights (JSON-like, so mutateJson can change them). */
const GOOD: Record<string, unknown>[] = [
  { type: 'predict', reqId: 1, input: 'PROBE', count: 1, maps: true },
  { type: 'get-weights', reqId: 1 },
  { type: 'set-lr', lr: 0.1 },
  { type: 'set-probe', input: 'PROBE' },
  { type: 'pause' }, { type: 'resume' }, { type: 'stop' }, { type: 'step' },
  { type: 'decode', reqId: 1, code: 'CODE', count: 1 },
  { type: 'generate', reqId: 1, prompt: 'ab', length: 3, temperature: 1, seed: 1 },
  { type: 'ae-views', reqId: 1, data: { kind: 'mnist' }, testFraction: 0.2 },
  { type: 'load-model', reqId: 1, spec: TINY_MLP, weights: 'WEIGHTS', vocab: ['a', 'b'], optimizer: { name: 'Adam', state: {} } },
  { type: 'autosave', reqId: 1, runId: 'none', epoch: 1, path: '/nonexistent/never-written.bplab', project: {} },
  { type: 'drop-model-not', reqId: 1 }
]

/** Typed arrays go in after mutation (mutateJson clones plain JSON): markers become the arrays, or a hostile array. */
function materialise(v: unknown, r: Rand): unknown {
  if (v === 'PROBE') return pick(r, [probe, probe, new Float32Array(0), new Float32Array(3), new Float32Array(784 * 3), Float32Array.from(probe, () => NaN), new Float64Array(784)])
  if (v === 'CODE') return pick(r, [new Float32Array(2), new Float32Array(0), new Float32Array(100_000)])
  if (v === 'WEIGHTS') return pick(r, [weights(), { 'affine1.W': new Float32Array(3) }, { ...weights(), extra: new Float32Array(1) }, {}])
  if (Array.isArray(v)) return v.map((x) => materialise(x, r))
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialise(x, r)]))
  return v
}

describe('training thread command fuzz', () => {
  it('400 seeded malformed commands: never a throw, one reply per request, the model kept', () => {
    const { s, events } = recordingSession(smallDigits(), { batchFlushMs: 0 })
    s.handle({ type: 'load-model', reqId: 0, spec: TINY_MLP, weights: weights() })
    expect(events.at(-1)).toMatchObject({ type: 'reply', reqId: 0, ok: true })
    const predict = (): number[] => {
      s.handle({ type: 'predict', reqId: -7, input: probe, count: 1 })
      const e = events.at(-1) as Extract<WorkerEvent, { type: 'reply' }>
      return e.ok ? Array.from((e.value as { probs: Float32Array }).probs) : []
    }
    const before = predict()
    expect(before.length).toBe(10)
    const failures: { seed: number; what: string; got: string }[] = []
    for (let seed = 1; seed <= 400; seed++) {
      const r = seeded(seed)
      const base = pick(r, GOOD)
      const m = below(r, 6) === 0 ? { value: hostileValue(r), what: 'random value' } : mutateJson(base, r)
      const cmd = materialise(m.value, r)
      // a mutation that made a good load-model of other weights would change the model on purpose: not that
      const changesModel = (x: unknown): boolean => typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'load-model'
      const n = events.length
      const t0 = performance.now()
      try {
        s.handle(cmd)
      } catch (e) {
        failures.push({ seed, what: m.what, got: `threw ${(e as Error).message}` })
        continue
      }
      const ms = performance.now() - t0
      if (ms > SLOW_CASE_MS) failures.push({ seed, what: m.what, got: `took ${ms.toFixed(0)} ms` })
      const reqId = (cmd as { reqId?: unknown } | null)?.reqId
      const replies = events.slice(n).filter((e) => e.type === 'reply')
      if (Number.isInteger(reqId)) {
        if (replies.length !== 1 || (replies[0] as { reqId: number }).reqId !== reqId) failures.push({ seed, what: m.what, got: `${replies.length} replies` })
      } else if (replies.length > 0) failures.push({ seed, what: m.what, got: 'a reply without a request id' })
      const reply = replies[0] as Extract<WorkerEvent, { type: 'reply' }> | undefined
      if (reply && !reply.ok && !/\w/.test(reply.message)) failures.push({ seed, what: m.what, got: 'a refusal without words' })
      const loaded = changesModel(cmd) && reply?.ok === true
      if (loaded) s.handle({ type: 'load-model', reqId: 0, spec: TINY_MLP, weights: weights() })
      const now = predict()
      if (now.length !== 10 || now.some((p, i) => p !== before[i])) failures.push({ seed, what: m.what, got: `the model changed (${reply?.ok === false ? `refused: ${reply.message.slice(0, 120)}` : 'accepted'})` })
    }
    expect(failures).toEqual([])
  })

  it('a load-model refused for its vocabulary keeps the model held before it', () => {
    const { s, events } = recordingSession(smallDigits(), { batchFlushMs: 0 })
    s.handle({ type: 'load-model', reqId: 0, spec: TINY_MLP, weights: weights() })
    const other = weights()
    other['affine2.b'].fill(3)
    s.handle({ type: 'load-model', reqId: 1, spec: TINY_MLP, weights: other, vocab: ['a', 'a'] })
    expect(events.at(-1)).toMatchObject({ type: 'reply', reqId: 1, ok: false })
    s.handle({ type: 'get-weights', reqId: 2 })
    const got = events.at(-1) as { value: { weights: Record<string, { data: Float32Array }> | Record<string, Float32Array> } }
    const b = got.value.weights['affine2.b'] as { data?: Float32Array } & Float32Array
    expect(Array.from(b.data ?? b)).toEqual(new Array(10).fill(0))
  })

  it('a start asking for 100,000 threads is refused before any thread is started', () => {
    const { s, events } = recordingSession(smallDigits(), { batchFlushMs: 0, replicaEntry: '/nonexistent/worker.js' })
    s.handle({ type: 'start', runId: 'r', spec: TINY_MLP, settings: { data: { kind: 'mnist' }, optimizer: 'SGD', lr: 0.1, batchSize: 10, epochs: 1, weightDecay: 0, seed: 1, threads: 100_000 } })
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'bad-command' })
    expect((events.at(-1) as { message: string }).message).toMatch(/threads must be a whole number from 1 to 64/)
  })

  it('a load-model whose architecture asks for billions of weights is refused before they are allocated', () => {
    const { s, events } = recordingSession(smallDigits(), { batchFlushMs: 0 })
    const before = process.memoryUsage().arrayBuffers
    s.handle({ type: 'load-model', reqId: 3, spec: { input: [100_000], layers: [{ type: 'Affine', units: 1_000_000 }, { type: 'SoftmaxWithLoss' }] }, weights: { 'affine1.W': new Float32Array(4) } })
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 2 ** 20)
    expect(events.at(-1)).toMatchObject({ type: 'reply', reqId: 3, ok: false })
  })
})
