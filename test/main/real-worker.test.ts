/**
 * LabHost with the real training worker (src-engine/worker.ts bundled from the sources), and the main
 * event loop's worst gap while a SimpleConvNet trains and the web shell streams its telemetry to a connected client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import { LabHost } from '../../src-main/lab-host'
import { startWebShell } from '../../src-main/web-shell'
import { PRESETS } from '../../src-engine/models/presets'
import { image, isState, record, settings } from './helpers'
import { bundleEngineWorker } from '../helpers/bundle'

const preset = (id: string) => {
  const p = PRESETS.find((x) => x.id === id)
  if (!p) throw new Error(`no preset ${id}`)
  return p
}

let path: string
beforeAll(async () => { path = await bundleEngineWorker() }, 60_000)

describe('LabHost with the real worker', () => {
  let host: LabHost
  afterAll(async () => { await host?.dispose() })

  it('trains the MLP preset on the built-in digits, then predicts with it', async () => {
    host = new LabHost({ workerPath: path, transport: 'web', version: 'test' })
    const rec = record(host)
    const mlp = preset('mlp')
    const r = host.start(mlp.spec, settings({ optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, seed: 1 }))
    expect(r.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && (e.state === 'done' || e.state === 'failed'), 90_000)
    const failure = rec.of('error')[0]
    expect(failure, failure?.message).toBeUndefined()
    const epoch = rec.of('epoch')[0]
    expect(epoch.report.testAcc).toBeGreaterThan(0.8)
    expect(rec.of('batches').flatMap((e) => e.points).length).toBe(80)
    const samples = await host.samples(8, 3)
    expect(samples.ok).toBe(true)
    if (!samples.ok) return
    let right = 0
    for (let i = 0; i < 8; i++) {
      const p = await host.predict(samples.value.images[i])
      expect(p.ok).toBe(true)
      if (p.ok) {
        expect(p.value.probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
        if (p.value.top === samples.value.labels[i]) right++
      }
    }
    expect(right).toBeGreaterThanOrEqual(5)
  }, 120_000)

  it('exports the trained model as safetensors and as ONNX that ONNX Runtime runs with the same answer', async () => {
    const st = await host.exportModel('safetensors')
    expect(st.ok, JSON.stringify(st).slice(0, 300)).toBe(true)
    if (!st.ok) return
    const { decodeSafetensors, specFromMetadata } = await import('../../src-engine/io/safetensors')
    const file = decodeSafetensors(new Uint8Array(Buffer.from(st.value.base64, 'base64')))
    expect(Object.keys(file.tensors).sort()).toEqual(['affine1.W', 'affine1.b', 'affine2.W', 'affine2.b'])
    expect((specFromMetadata(file) as { layers: unknown[] }).layers).toHaveLength(preset('mlp').spec.layers.length)

    const onnx = await host.exportModel('onnx')
    expect(onnx.ok).toBe(true)
    if (!onnx.ok) return
    expect(onnx.value.fileName).toMatch(/\.onnx$/)
    const ort = await import('onnxruntime-node')
    const session = await ort.InferenceSession.create(new Uint8Array(Buffer.from(onnx.value.base64, 'base64')))
    const samples = await host.samples(4, 11)
    if (!samples.ok) throw new Error('no samples')
    for (const img of samples.value.images) {
      const ours = await host.predict(img)
      if (!ours.ok) throw new Error(ours.error.message)
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(img), [1, 1, 28, 28]) })
      const theirs = Array.from(out[session.outputNames[0]].data as Float32Array)
      const top = theirs.indexOf(Math.max(...theirs))
      expect(top).toBe(ours.value.top)
    }
  }, 60_000)
})

/** Event-loop delay (ms) over `ms` of wall time, while `during` runs. */
async function loopDelay(ms: number, during: () => Promise<void> = () => new Promise((r) => setTimeout(r, ms))) {
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  await during()
  h.disable()
  return { max: h.max / 1e6, p99: h.percentile(99) / 1e6, mean: h.mean / 1e6 }
}

describe('the main event loop during training', () => {
  it('never stalls long while SimpleConvNet trains and the web shell streams to a client', async () => {
    const host = new LabHost({ workerPath: path, transport: 'web', version: 'test' })
    // Listeners run in order: one before and one after the web shell's time its encode-and-send.
    let before = 0
    let worstSend = 0
    let worstSendType = ''
    const sends: number[] = []
    host.onEvent(() => { before = performance.now() })
    const dir = mkdtempSync(join(tmpdir(), 'renderer-'))
    const shell = await startWebShell({ port: 0, rendererDir: dir, labHost: host })
    host.onEvent((e) => {
      const d = performance.now() - before
      sends.push(d)
      if (d > worstSend) { worstSend = d; worstSendType = e.type }
    })
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws?token=${shell.token}`, { origin: shell.origin })
    await new Promise((ok, bad) => { ws.once('open', ok); ws.once('error', bad) })
    let bytes = 0
    let frames = 0
    ws.on('message', (d: Buffer) => { bytes += d.length; frames++ })
    const rec = record(host)
    host.setProbe(image(0.2))
    // The same measurement with nothing training: what the machine's own load costs.
    const idle = await loopDelay(3000)

    const histogram = monitorEventLoopDelay({ resolution: 1 })
    // A drift sampler too: the gap between 1 ms timers is what a renderer request would wait.
    let last = performance.now()
    let worstGap = 0
    const sampler = setInterval(() => {
      const now = performance.now()
      worstGap = Math.max(worstGap, now - last)
      last = now
    }, 1)

    const convnet = preset('simple-convnet')
    const started = host.start(convnet.spec, settings({ optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, seed: 1 }))
    expect(started.ok).toBe(true)
    await rec.waitFor(isState('running'), 30_000)
    await rec.waitFor((e) => e.type === 'batches', 60_000)
    histogram.enable()
    const elu0 = perf.eventLoopUtilization()
    last = performance.now()
    worstGap = 0
    const t0 = performance.now()
    // Requests answered while training: they must stay quick.
    const latencies: number[] = []
    while (performance.now() - t0 < 6000) {
      const q0 = performance.now()
      const info = host.info()
      const presets = host.presets()
      expect(info.ok && presets.ok).toBe(true)
      latencies.push(performance.now() - q0)
      await new Promise((r) => setTimeout(r, 50))
    }
    histogram.disable()
    // Share of wall time the main thread's loop was busy (our handlers, the sampler, vitest).
    const elu = perf.eventLoopUtilization(elu0).utilization
    clearInterval(sampler)
    host.stop()
    await rec.waitFor((e) => e.type === 'state' && (e.state === 'stopped' || e.state === 'done'), 30_000)

    const points = rec.of('batches').flatMap((e) => e.points)
    const snapshots = rec.of('snapshot').length
    const seconds = (performance.now() - t0) / 1000
    const result = {
      mainLoopUtilization: Math.round(elu * 1000) / 1000,
      idleMaxDelayMs: idle.max,
      idleP99DelayMs: idle.p99,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      meanDelayMs: histogram.mean / 1e6,
      worstTimerGapMs: worstGap,
      worstRequestMs: Math.max(...latencies),
      worstEncodeAndSendMs: worstSend,
      medianEncodeAndSendMs: [...sends].sort((a, b) => a - b)[Math.floor(sends.length / 2)],
      worstEncodeAndSendEvent: worstSendType,
      batchPoints: points.length,
      imagesPerSec: points.at(-1)?.examplesPerSec,
      snapshotsPerSec: snapshots / seconds,
      wsFrames: frames,
      wsKiB: Math.round(bytes / 1024)
    }
    console.log(`event loop during SimpleConvNet training: ${JSON.stringify(result)}`)
    ws.close()
    await shell.close()
    await host.dispose()

    expect(points.length).toBeGreaterThan(0)
    expect(snapshots / seconds).toBeLessThanOrEqual(4.5)
    // Target: worst gap under 20 ms. On a 2-core machine shared with other jobs the OS alone can
    // deschedule the main thread for tens or hundreds of ms (the idle figures show how much), so the
    // bounds are relative and the worst gap is reported, not asserted: our own work per event
    // (median) far below 20 ms, and a 99th percentile near the idle one (a batch trained on the main
    // thread would add hundreds of ms).
    expect(result.medianEncodeAndSendMs).toBeLessThan(10)
    expect(result.p99DelayMs).toBeLessThan(idle.p99 + 50)
  }, 120_000)
})
