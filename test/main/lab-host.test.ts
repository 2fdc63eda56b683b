import { describe, expect, it, vi } from 'vitest'
import { Worker } from 'node:worker_threads'
import type { LabEvent } from '../../src-main/ipc/contract'
import { disposingHosts, image, isState, mlpSpec, record, settings } from './helpers'

const make = disposingHosts()

describe('LabHost with a fake worker', () => {
  it('runs to the end and relays state, batches, epochs and snapshots in order', async () => {
    const host = make()
    const rec = record(host)
    const started = host.start(mlpSpec(), settings({ epochs: 2 }))
    expect(started.ok).toBe(true)
    const runId = started.ok ? started.value.runId : ''
    await rec.waitFor(isState('done'))
    const types = rec.events.map((e) => e.event.type)
    expect(types[0]).toBe('state')
    expect(rec.of('epoch').map((e) => e.report.epoch)).toEqual([1, 2])
    // Every batch point arrives exactly once, in order, before the epoch that closes it.
    const points = rec.of('batches').flatMap((e) => e.points)
    expect(points.map((p) => (p.epoch - 1) * p.batches + p.batch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    const firstEpochAt = types.indexOf('epoch')
    const batchesBefore = rec.events.slice(0, firstEpochAt).filter((e) => e.event.type === 'batches').flatMap((e) => (e.event as Extract<LabEvent, { type: 'batches' }>).points)
    expect(batchesBefore.at(-1)).toMatchObject({ epoch: 1, batch: 20 })
    expect(rec.events.every((e) => !('runId' in e.event) || e.event.runId === runId)).toBe(true)
    expect(host.run).toEqual({ runId, state: 'done' })
  })

  it('coalesces batch points and sends at most 4 snapshots per second', async () => {
    const host = make({ workerOptions: { workerData: { tickMs: 1, batches: 400 } } })
    const rec = record(host)
    host.start(mlpSpec(), settings({ epochs: 1 }))
    await rec.waitFor(isState('done'), 20_000)
    const batchEvents = rec.of('batches')
    const points = batchEvents.flatMap((e) => e.points).length
    expect(points).toBe(400)
    // ~400 raw messages in ≥ 400 ms come out as a handful of events (one per 100 ms window, plus flushes).
    expect(batchEvents.length).toBeLessThan(points / 4)
    const snaps = rec.events.filter((e) => e.event.type === 'snapshot').map((e) => e.at)
    expect(snaps.length).toBeGreaterThan(0)
    for (let i = 1; i < snaps.length; i++) {
      // The last one may be flushed early by the terminal state; every other gap respects 250 ms.
      if (i < snaps.length - 1) expect(snaps[i] - snaps[i - 1]).toBeGreaterThanOrEqual(245)
    }
    const seconds = (snaps.at(-1)! - snaps[0]) / 1000
    expect(snaps.length - 1).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1)
    // The newest snapshot wins: the last one shown belongs to the last batch.
    const last = rec.of('snapshot').at(-1)!
    expect(last.snapshot.filters!.data[0]).toBe(400)
  })

  it('pauses, steps one batch, resumes and stops; controls in the wrong state are refused', async () => {
    const host = make({ workerOptions: { workerData: { tickMs: 5, batches: 1000 } } })
    const rec = record(host)
    expect(host.pause()).toMatchObject({ ok: false, error: { code: 'no-run' } })
    host.start(mlpSpec(), settings())
    await rec.waitFor(isState('running'))
    expect(host.resume()).toMatchObject({ ok: false, error: { code: 'bad-state' } })
    expect(host.step()).toMatchObject({ ok: false, error: { code: 'bad-state' } })
    expect(host.pause().ok).toBe(true)
    await rec.waitFor(isState('paused'))
    const count = (): number => rec.of('batches').flatMap((e) => e.points).length
    await new Promise((r) => setTimeout(r, 150))
    const before = count()
    expect(host.step().ok).toBe(true)
    await new Promise((r) => setTimeout(r, 200))
    expect(count()).toBe(before + 1)
    expect(host.start(mlpSpec(), settings())).toMatchObject({ ok: false, error: { code: 'busy' } })
    expect(host.resume().ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'running' && rec.of('state').length > 2)
    expect(host.setLr(0.5).ok).toBe(true)
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))
    expect(host.stop()).toMatchObject({ ok: false, error: { code: 'bad-state' } })
  })

  it('takes Pause, Resume and Stop pressed while the run starts, before the thread reports it running (Q1 F5)', async () => {
    // the thread reports 'running' 150 ms after the start (its data loading, its threads starting), as a real run does
    const host = make({ workerOptions: { workerData: { tickMs: 5, batches: 1000, startMs: 150 } } })
    const rec = record(host)
    const count = (): number => rec.of('batches').flatMap((e) => e.points).length
    host.start(mlpSpec(), settings())
    expect(host.run.state).toBe('idle')
    // the old host refused this ('bad-state', the run "idle") and the run trained on
    expect(host.pause()).toEqual({ ok: true, value: null })
    await rec.waitFor(isState('paused'))
    expect(rec.of('state').map((e) => e.state)).toEqual(['running', 'paused'])
    expect(count()).toBeLessThanOrEqual(1)
    const paused = count()
    await new Promise((r) => setTimeout(r, 100))
    expect(count()).toBe(paused)
    // Step and a second Pause wait for the run itself, and say so in words the page turns into the learner's
    expect(host.pause()).toMatchObject({ ok: false, error: { code: 'bad-state', params: { case: 'pause', state: 'paused' } } })
    expect(host.resume().ok).toBe(true)
    await rec.waitFor(() => count() > paused + 3)
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))

    // a Pause taken back by Resume before the run began: it trains; a Stop then: it stops before its first batch
    host.start(mlpSpec(), settings())
    expect(host.step()).toMatchObject({ ok: false, error: { code: 'bad-state', params: { case: 'step', state: 'idle' } } })
    expect(host.pause().ok).toBe(true)
    expect(host.resume().ok).toBe(true)
    await rec.waitFor(() => rec.of('state').filter((e) => e.state === 'running').length === 3)
    await new Promise((r) => setTimeout(r, 60))
    expect(host.run.state).toBe('running')
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(() => rec.of('state').filter((e) => e.state === 'stopped').length === 2)
    const before = count()
    host.start(mlpSpec(), settings())
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(() => rec.of('state').filter((e) => e.state === 'stopped').length === 3)
    expect(count()).toBe(before)
  })

  it('correlates concurrent predictions with their own replies', async () => {
    const host = make()
    expect(await host.predict(image(0.5))).toMatchObject({ ok: false, error: { code: 'no-model' } })
    const rec = record(host)
    host.start(mlpSpec(), settings())
    await rec.waitFor(isState('done'))
    // The fake replies faster for larger classes, so replies come back out of order.
    const results = await Promise.all([0.05, 0.35, 0.95, 0.55].map((v) => host.predict(image(v))))
    expect(results.map((r) => (r.ok ? r.value.top : -1))).toEqual([0, 3, 9, 5])
    for (const r of results) {
      expect(r.ok && r.value.probs.length === 10 && r.value.logits.length === 10 && r.value.ms >= 0).toBe(true)
    }
  })

  it('survives the worker exiting mid-run: error event, failed run, and the next run uses a fresh worker', async () => {
    const host = make()
    const rec = record(host)
    // model:held: nothing before a run, nothing once its thread died (the page's export items follow it after a reload)
    expect(host.heldModel()).toEqual({ ok: true, value: null })
    const first = host.start(mlpSpec(), settings({ seed: 13 }))
    expect(first.ok).toBe(true)
    await rec.waitFor(isState('running'))
    const firstThread = host.workerThreadId
    const err = await rec.waitFor((e) => e.type === 'error')
    expect(err).toMatchObject({ type: 'error', code: 'worker-crashed', runId: first.ok ? first.value.runId : '' })
    expect((err as { message: string }).message).toMatch(/exited with code 7/)
    await rec.waitFor(isState('failed'))
    expect(host.workerThreadId).toBeNull()
    expect(host.heldModel()).toEqual({ ok: true, value: null })
    expect(host.pause()).toMatchObject({ ok: false, error: { code: 'no-run' } })
    expect(host.info().ok).toBe(true)

    const second = host.start(mlpSpec(), settings({ seed: 2 }))
    expect(second.ok).toBe(true)
    await rec.waitFor(isState('done'))
    expect(host.workerThreadId).not.toBe(firstThread)
    expect(host.heldModel()).toEqual({ ok: true, value: { spec: mlpSpec() } })
    const pred = await host.predict(image(0.25))
    expect(pred).toMatchObject({ ok: true, value: { top: 2 } })
  })

  it('model:held names no model once a run has replaced it before training a batch', async () => {
    const host = make({ workerOptions: { workerData: { tickMs: 400, batches: 1 } } })
    const rec = record(host)
    host.start(mlpSpec(), settings())
    await rec.waitFor(isState('done'))
    expect(host.heldModel()).toEqual({ ok: true, value: { spec: mlpSpec() } })
    // another architecture started and stopped before its first batch: the thread now holds its untrained model
    const wider = { ...mlpSpec(), layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as ReturnType<typeof mlpSpec>
    host.start(wider, settings())
    await rec.waitFor((e) => e.type === 'state' && e.state === 'running' && rec.of('state').filter((s) => s.state === 'running').length === 2)
    expect(host.stop().ok).toBe(true)
    await rec.waitFor(isState('stopped'))
    expect(rec.of('batches').flatMap((e) => e.points)).toHaveLength(1)
    expect(host.heldModel()).toEqual({ ok: true, value: null })
  })

  it('survives an uncaught error in the worker and a terminate() from outside', async () => {
    const host = make()
    const rec = record(host)
    host.start(mlpSpec(), settings({ seed: 14 }))
    const err = await rec.waitFor((e) => e.type === 'error')
    expect(err).toMatchObject({ code: 'worker-crashed' })
    expect((err as { message: string }).message).toMatch(/simulated engine bug/)
    // Exactly one crash report per death, even though 'error' and 'exit' both fire.
    await new Promise((r) => setTimeout(r, 100))
    expect(rec.of('error')).toHaveLength(1)

    host.start(mlpSpec(), settings({ seed: 3, epochs: 50 }))
    await rec.waitFor((e) => e.type === 'batches' && rec.of('state').filter((s) => s.state === 'running').length >= 2)
    // Reach in the way a crash would: kill the thread from outside.
    const w = (host as unknown as { worker: { terminate(): Promise<number> } }).worker
    const pending = host.predict(image(0.1))
    await w.terminate()
    await rec.waitFor((e) => e.type === 'error' && rec.of('error').length === 2)
    expect(rec.of('error')[1]).toMatchObject({ code: 'worker-crashed' })
    expect(await pending).toMatchObject({ ok: false, error: { code: 'worker-crashed' } })
    const third = host.start(mlpSpec(), settings({ seed: 4 }))
    expect(third.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'state' && e.state === 'done')
  })

  it('relays a divergence\'s facts and drops malformed ones, keeping the English message', async () => {
    const facts = { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 3, optimizer: 'SGD', lr: 5, suggestedLr: 0.01 }
    const bad = [{ ...facts, loss: null }, { ...facts, reason: 'exploded', loss: 12 }, { ...facts, optimizer: 'Lion' }, { ...facts, lr: '5' }, 'NaN', null]
    for (const divergence of [facts, ...bad]) {
      const host = make({ workerOptions: { workerData: { tickMs: 2, batches: 20, divergence } } })
      const rec = record(host)
      host.start(mlpSpec(), settings({ seed: 15 }))
      const err = await rec.waitFor((e) => e.type === 'error')
      expect(err).toMatchObject({ code: 'diverged', message: expect.stringMatching(/^the loss became NaN at epoch 1 batch 3/) })
      expect((err as { divergence?: unknown }).divergence).toEqual(divergence === facts ? facts : undefined)
      expect('divergence' in err).toBe(divergence === facts)
      await rec.waitFor(isState('failed'))
    }
  })

  it('names, after a divergence, the model the thread kept: the run\'s, the one held before it, or none', async () => {
    const facts = { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 3, optimizer: 'SGD', lr: 5, suggestedLr: 0.01 }
    const first = mlpSpec()
    const second = { ...mlpSpec(), name: 'wider MLP', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 32 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] } as typeof first
    const cases = [
      { kept: { from: 'run', epoch: 1, batch: 2, loss: 1.5 }, held: second },
      { kept: { from: 'before' }, held: first },
      { kept: { from: 'none' }, held: null },
      // malformed: dropped alone (the facts still go), and model:held says what the batches said, as before
      { kept: { from: 'run', epoch: 1, batch: 0, loss: 1 }, held: second }
    ]
    for (const c of cases) {
      const host = make({ workerOptions: { workerData: { tickMs: 2, batches: 20, divergence: { ...facts, kept: c.kept } } } })
      const rec = record(host)
      host.start(first, settings())
      await rec.waitFor(isState('done'))
      expect(host.heldModel()).toEqual({ ok: true, value: { spec: first } })
      host.start(second, settings({ seed: 15 }))
      const err = await rec.waitFor((e) => e.type === 'error')
      const wellFormed = c.kept.from !== 'run' || (c.kept.batch ?? 0) > 0
      expect((err as { divergence?: unknown }).divergence).toEqual(wellFormed ? { ...facts, kept: c.kept } : facts)
      expect(host.heldModel()).toEqual({ ok: true, value: c.held && { spec: c.held } })
    }
  })

  it('starts a run from the model after a divergence that kept one, as the banner\'s "Continue from the kept weights" asks', async () => {
    const facts = { reason: 'not-finite', loss: 'NaN', epoch: 1, batch: 3, optimizer: 'SGD', lr: 5, suggestedLr: 0.01 }
    for (const kept of [{ from: 'run', epoch: 1, batch: 2, loss: 1.5 }, { from: 'before' }]) {
      const host = make({ workerOptions: { workerData: { tickMs: 2, batches: 20, divergence: { ...facts, kept } } } })
      const rec = record(host)
      host.start(mlpSpec(), settings({ seed: 15 }))
      await rec.waitFor(isState('failed'))
      const sent: unknown[] = []
      const h = host as unknown as { post: (cmd: unknown) => void }
      const post = h.post.bind(host)
      h.post = (cmd) => {
        sent.push(cmd)
        post(cmd)
      }
      expect(host.start(mlpSpec(), settings({ lr: 0.01 }), true, 1).ok).toBe(true)
      expect(sent.find((c) => (c as { type: string }).type === 'start')).toMatchObject({ fromModel: true, settings: { lr: 0.01 } })
      await rec.waitFor(isState('done'))
    }
  })

  it('relays an error event with a code it does not list as engine-error, the code it had in params', async () => {
    const host = make({ workerOptions: { workerData: { tickMs: 2, batches: 20, errorCode: 'melted' } } })
    const rec = record(host)
    host.start(mlpSpec(), settings({ seed: 15 }))
    const err = await rec.waitFor((e) => e.type === 'error')
    expect(err).toMatchObject({ code: 'engine-error', message: expect.stringMatching(/^the loss became NaN/), params: { code: 'melted', detail: expect.stringMatching(/^the loss became NaN/) } })
    await rec.waitFor(isState('failed'))
  })

  it('ends an inference thread it started but could not give its feed, rather than leave it waiting for the lab\'s life', async () => {
    const host = make()
    const rec = record(host)
    host.start(mlpSpec(), settings())
    await rec.waitFor(isState('done'))
    const trainer = (host as unknown as { worker: Worker }).worker
    const terminate = Worker.prototype.terminate
    const ended: Worker[] = []
    const spy = vi.spyOn(Worker.prototype, 'terminate').mockImplementation(function (this: Worker) { ended.push(this); return terminate.call(this) })
    try {
      // the feed's port cannot be sent to the training thread (nor, then, the prediction: the training thread is gone)
      trainer.postMessage = () => { throw new Error('cannot send') }
      expect((await host.predict(image(0.3))).ok).toBe(false)
      // before, only the training thread was ended: the inference thread, never given its port, stayed
      expect(ended.filter((w) => w !== trainer)).toHaveLength(1)
    } finally {
      spy.mockRestore()
    }
  })

  it('reports a missing worker file as a crash of the run, not an exception', async () => {
    const host = make({ workerPath: '/nonexistent/worker.mjs' })
    const rec = record(host)
    const r = host.start(mlpSpec(), settings())
    expect(r.ok).toBe(true)
    await rec.waitFor((e) => e.type === 'error')
    expect(rec.of('error')[0].code).toBe('worker-crashed')
  })

  it('refuses a spec the engine finds invalid, naming the layer field', () => {
    const host = make()
    const bad = { input: [1, 28, 28], layers: [{ type: 'Convolution' as const, filters: 4, kernel: 5, stride: 3 }, { type: 'Flatten' as const }, { type: 'Affine' as const, units: 10 }, { type: 'SoftmaxWithLoss' as const }] }
    const r = host.start(bad, settings())
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-spec')
      expect(r.error.path).toMatch(/^spec\.layers\.0/)
    }
    expect(host.workerThreadId).toBeNull()
  })

  it('answers app:info, preset:list, spec:validate and data:samples without a worker', async () => {
    const host = make()
    const info = host.info()
    expect(info).toMatchObject({ ok: true, value: { version: '9.9.9-test', transport: 'web' } })
    expect(info.ok && info.value.threads).toBeGreaterThanOrEqual(1)
    const presets = host.presets()
    expect(presets.ok).toBe(true)
    if (presets.ok) {
      const simple = presets.value.find((p) => p.id === 'simple-convnet')
      expect(simple?.params).toBe(433_890)
      expect(typeof simple?.title).toBe('string')
    }
    const report = host.validate(mlpSpec())
    expect(report.ok && report.value.ok).toBe(true)
    expect(report.ok && report.value.totalParams).toBe(784 * 16 + 16 + 16 * 10 + 10)
    const samples = await host.samples(5, 7)
    expect(samples.ok).toBe(true)
    if (samples.ok) {
      expect(samples.value.images).toHaveLength(5)
      expect(samples.value.images.every((im) => im.length === 784 && im.every((v) => v >= 0 && v <= 1))).toBe(true)
      expect(samples.value.labels.every((l) => Number.isInteger(l) && l >= 0 && l <= 9)).toBe(true)
      // Same seed, same digits; another seed, others.
      expect(await host.samples(5, 7)).toEqual(samples)
      expect(await host.samples(5, 8)).not.toEqual(samples)
    }
    expect(host.workerThreadId).toBeNull()
  })
})
