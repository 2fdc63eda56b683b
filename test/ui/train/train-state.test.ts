import { describe, expect, it } from 'vitest'
import {
  TrainLab, ema, epochPosition, formProblems, formatDuration, formatLr, progressOf, defaultsFor, settingsFromForm,
  asFloats, MAX_RUNS, RUN_COLORS
} from '../../../src-renderer/lib/train.svelte'
import type { BatchPoint, TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'
import { tr } from '../../../src-renderer/i18n/index.svelte'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number, loss: number, eps = 1000, batches = 80): BatchPoint => ({ epoch, batch, batches, loss, examplesPerSec: eps })

async function connected(): Promise<{ lab: TrainLab; fake: FakeLab; off: () => void }> {
  const fake = new FakeLab()
  const lab = new TrainLab()
  const off = lab.connect(fake)
  await flush()
  return { lab, fake, off }
}

describe('ema smoothing', () => {
  it('returns the raw values when smoothing is 0', () => {
    expect(ema([3, 1, 2], 0)).toEqual([3, 1, 2])
  })

  it('is bias-corrected so the first point equals the first value', () => {
    const out = ema([2, 4], 0.5)
    expect(out[0]).toBeCloseTo(2, 12)
    // acc = (0.5·2·0.5 + 0.5·4) = 2.5, weight = 0.75 → 3.333…
    expect(out[1]).toBeCloseTo(10 / 3, 12)
  })

  it('damps a spike more as smoothing grows', () => {
    const xs = [1, 1, 1, 1, 10, 1]
    expect(ema(xs, 0.9)[4]).toBeLessThan(ema(xs, 0.5)[4])
    expect(ema(xs, 0.5)[4]).toBeLessThan(10)
  })

  it('skips NaN and Infinity and holds the last smoothed value', () => {
    const out = ema([1, NaN, Infinity, 1], 0.6)
    expect(out[1]).toBe(out[0])
    expect(out[2]).toBe(out[0])
    expect(Number.isFinite(out[3])).toBe(true)
    expect(ema([NaN], 0.5)[0]).toBeNaN()
  })
})

describe('progress and time remaining', () => {
  it('places batch points at fractional epochs', () => {
    expect(epochPosition(pt(1, 40, 0))).toBe(0.5)
    expect(epochPosition(pt(3, 80, 0))).toBe(3)
  })

  it('computes the fraction done and the ETA from the remaining examples and the speed', () => {
    // 5 epochs × 80 batches; done: 1 epoch + 40 batches = 120 of 400 → 280 batches × 100 examples at 1000/s
    const p = progressOf(pt(2, 40, 0.5), settings, 1000, 'running')
    expect(p.fraction).toBeCloseTo(0.3, 12)
    expect(p.etaSeconds).toBeCloseTo(28, 12)
    expect(p.epoch).toBe(2)
    expect(p.batches).toBe(80)
  })

  it('counts the held-out evaluations left in the ETA, this epoch\'s included (Q2\'s G6)', () => {
    // the 28 s of training above, and 4 evaluations (epochs 2..5) of 2 s each
    expect(progressOf({ ...pt(2, 40, 0.5), evalSeconds: 2 }, settings, 1000, 'running').etaSeconds).toBeCloseTo(36, 12)
    expect(progressOf({ ...pt(5, 80, 0.5), evalSeconds: 2 }, settings, 1000, 'running').etaSeconds).toBeCloseTo(2, 12)
  })

  it('has no ETA before the first batch and none needed when done', () => {
    expect(progressOf(null, settings, 0, 'running').etaSeconds).toBeNull()
    const done = progressOf(pt(5, 80, 0.1), settings, 900, 'done')
    expect(done.fraction).toBe(1)
    expect(done.etaSeconds).toBe(0)
  })

  it('formats durations and learning rates for people', () => {
    expect(formatDuration(75)).toBe('1:15')
    expect(formatDuration(3725)).toBe('1:02:05')
    expect(formatDuration(-3)).toBe('0:00')
    expect(formatLr(0.001)).toBe('0.001')
    expect(formatLr(0.00001)).toBe('1.0e-5')
    expect(formatLr(0.1 / 10)).toBe('0.01')
  })
})

describe('form and defaults', () => {
  it('gives a one-click default for a CNN: built-in digits, Adam, lr 0.001', () => {
    const f = defaultsFor(SIMPLE_CONVNET, 2)
    expect(f).toMatchObject({ dataKind: 'mnist', optimizer: 'Adam', lr: 0.001, threads: 2 })
    expect(formProblems(f)).toEqual([])
  })

  it("fills the form again when the spec's preset becomes known, but keeps edits otherwise", async () => {
    const { lab } = await connected()
    const copy = { ...SIMPLE_CONVNET }
    lab.prepareForm(copy, null)
    expect(lab.form.epochs).toBe(5)
    lab.prepareForm(copy, lab.presetFor(copy, 'simple-convnet'))
    expect(lab.form.epochs).toBe(3)
    lab.form.lr = 0.01
    lab.prepareForm(copy, lab.presetFor(copy, 'simple-convnet'))
    expect(lab.form.lr).toBe(0.01)
  })

  it('keeps the data the learner chose when the architecture is edited, while it fits the network', async () => {
    const { lab } = await connected()
    lab.prepareForm(SIMPLE_CONVNET, null)
    lab.form = { ...lab.form, dataKind: 'idx', idxDir: '/data/five-classes' }
    // an edit makes a new spec: the editor's class warning and the next run still mean the learner's folder
    const edited = { ...SIMPLE_CONVNET, layers: [...SIMPLE_CONVNET.layers] }
    lab.prepareForm(edited, null)
    expect(lab.form).toMatchObject({ dataKind: 'idx', idxDir: '/data/five-classes' })
    // a language model cannot train on images: it takes a text, and an image network after it the learner's folder again
    const lm = { input: [20], vocab: 50, task: 'language-model' as const, layers: [{ type: 'TimeEmbedding' as const, dim: 16 }] }
    lab.prepareForm(lm, null)
    expect(lab.form.dataKind).toBe('text')
    lab.prepareForm(SIMPLE_CONVNET, null)
    expect(lab.form).toMatchObject({ dataKind: 'idx', idxDir: '/data/five-classes' })
  })

  it('keeps every setting the learner chose across architecture edits, while it fits the network', async () => {
    const { lab } = await connected()
    lab.prepareForm(SIMPLE_CONVNET, lab.presetFor(SIMPLE_CONVNET, 'simple-convnet'))
    lab.form = { ...lab.form, optimizer: 'SGD', lr: 0.05, epochs: 7, batchSize: 32, weightDecay: 0.001, seed: 3, clip: 2, threads: 1 }
    const chosen = { optimizer: 'SGD', lr: 0.05, epochs: 7, batchSize: 32, weightDecay: 0.001, seed: 3, clip: 2, threads: 1 }
    // a layer widened: a new spec of the same preset
    const widened = { ...SIMPLE_CONVNET, layers: [...SIMPLE_CONVNET.layers] }
    lab.prepareForm(widened, lab.presetFor(widened, 'simple-convnet'))
    expect(lab.form).toMatchObject(chosen)
    expect(lab.formDropped).toEqual([])
    // a language model: the chosen settings stay, the untouched ones take its defaults, the images do not fit it
    const lm = { input: [20], vocab: 50, task: 'language-model' as const, layers: [{ type: 'TimeEmbedding' as const, dim: 16 }, { type: 'TimeLSTM' as const, hidden: 32 }] }
    lab.form = { ...lab.form, dataKind: 'idx' }
    lab.prepareForm(lm, null)
    expect(lab.form).toMatchObject({ ...chosen, dataKind: 'text' })
    expect(lab.formDropped).toEqual(['data-text'])
    lab.form = { ...lab.form, stateful: true }
    // without its LSTM there is no state to carry: stateful training is turned off and said so
    const noLstm = { ...lm, layers: [lm.layers[0]] }
    lab.prepareForm(noLstm, null)
    expect(lab.form).toMatchObject({ ...chosen, stateful: false, dataKind: 'text' })
    expect(lab.formDropped).toEqual(['stateful'])
  })

  it("sets a preset's own settings when one is chosen on purpose or a project opened", async () => {
    const { lab } = await connected()
    lab.prepareForm(SIMPLE_CONVNET, null)
    lab.form = { ...lab.form, optimizer: 'SGD', lr: 0.05, dataKind: 'idx', priority: 'normal' }
    lab.freshForm()
    // the same spec chosen again from the preset list
    lab.prepareForm(SIMPLE_CONVNET, lab.presetFor(SIMPLE_CONVNET, 'simple-convnet'))
    expect(lab.form).toMatchObject({ optimizer: 'Adam', lr: 0.001, epochs: 3, dataKind: 'idx', priority: 'normal' })
    // an edit after it keeps what the learner sets next
    lab.form = { ...lab.form, lr: 0.02 }
    lab.prepareForm({ ...SIMPLE_CONVNET }, lab.presetFor(SIMPLE_CONVNET, 'simple-convnet'))
    expect(lab.form).toMatchObject({ optimizer: 'Adam', lr: 0.02, epochs: 3 })
  })

  it('defaults a language model to text data and clips its gradients', () => {
    const lm = { input: [20], vocab: 50, task: 'language-model' as const, layers: [{ type: 'TimeEmbedding' as const, dim: 16 }] }
    const f = defaultsFor(lm, 1)
    expect(f.dataKind).toBe('text')
    expect(settingsFromForm(f)).toMatchObject({ data: { kind: 'text', file: 'builtin' }, clip: 5 })
    expect(settingsFromForm(defaultsFor(SIMPLE_CONVNET, 1))).not.toHaveProperty('clip')
  })

  it("takes a preset's own training defaults when it has them", () => {
    const preset = { id: 'mlp', title: 'MLP', kind: 'mlp' as const, spec: SIMPLE_CONVNET, params: 1, defaults: { optimizer: 'SGD' as const, lr: 0.1, batchSize: 100, epochs: 10, clip: 1 } }
    expect(defaultsFor(SIMPLE_CONVNET, 2, preset)).toMatchObject({ optimizer: 'SGD', lr: 0.1, epochs: 10, clip: 1, threads: 2, dataKind: 'mnist' })
  })

  it('names every bad field', () => {
    const f = { ...defaultsFor(null, 1), lr: 0, batchSize: 2.5, epochs: 0, weightDecay: -1, seed: -1, threads: 0, clip: -1, dataKind: 'idx' as const, idxDir: ' ' }
    expect(formProblems(f).sort()).toEqual(
      ['train.errBatch', 'train.errClip', 'train.errDecay', 'train.errEpochs', 'train.errIdx', 'train.errLr', 'train.errSeed', 'train.errThreads']
    )
  })

  it('turns typed arrays that crossed JSON back into Float32Array', () => {
    expect(Array.from(asFloats([1, 2]))).toEqual([1, 2])
    expect(Array.from(asFloats({ 0: 5, 1: 6 }))).toEqual([5, 6])
    const f = new Float32Array([1])
    expect(asFloats(f)).toBe(f)
  })
})

describe('TrainLab with a host', () => {
  it('loads presets and threads and trains the simple ConvNet when the editor has no spec', async () => {
    const { lab, fake } = await connected()
    expect(lab.threads).toBe(2)
    expect(lab.form.threads).toBe(2)
    const spec = lab.specToTrain(null)
    expect(spec).toBe(SIMPLE_CONVNET)
    lab.prepareForm(spec, lab.presetFor(spec, null))
    expect(lab.form.epochs).toBe(3)
    const run = await lab.start(spec)
    expect(run?.id).toBe('run-1')
    const call = fake.calls.find((c) => c.channel === 'train:start')!
    expect(call.payload).toMatchObject({ spec: SIMPLE_CONVNET, settings: { optimizer: 'Adam', lr: 0.001, epochs: 3, threads: 2, data: { kind: 'mnist' } } })
    expect(lab.current?.state).toBe('running')
  })

  it('appends batch points to the current run and tracks speed', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 2.3, 1000), pt(1, 2, 2.1, 2000)] })
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 3, 1.9, 2000)] })
    const r = lab.current!
    expect(r.batchLoss).toEqual([2.3, 2.1, 1.9])
    expect(r.batchX[2]).toBeCloseTo(3 / 80, 12)
    expect(r.last?.batch).toBe(3)
    expect(r.examplesPerSec).toBeGreaterThan(1000)
    expect(r.examplesPerSec).toBeLessThan(2000)
    expect(r.progress.epoch).toBe(1)
  })

  it('keeps epoch reports in order and replaces a repeated epoch', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    const rep = (epoch: number, testAcc: number) => ({ epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc, seconds: 3 })
    fake.emit({ type: 'epoch', runId: 'run-1', report: rep(2, 0.9) })
    fake.emit({ type: 'epoch', runId: 'run-1', report: rep(1, 0.8) })
    fake.emit({ type: 'epoch', runId: 'run-1', report: rep(2, 0.95) })
    expect(lab.current!.epochs.map((e) => [e.epoch, e.testAcc])).toEqual([[1, 0.8], [2, 0.95]])
    expect(lab.current!.latestEpoch?.testAcc).toBe(0.95)
  })

  it('replays events that arrive before the start reply', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    fake.handlers['train:start'] = () => {
      fake.emit({ type: 'state', runId: 'early', state: 'running' })
      fake.emit({ type: 'batches', runId: 'early', points: [pt(1, 1, 2.2)] })
      return { ok: true, value: { runId: 'early' } }
    }
    await lab.start(SIMPLE_CONVNET, settings)
    expect(lab.current?.batchLoss).toEqual([2.2])
  })

  it('keeps the first filters as the initial ones while later snapshots replace the current', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    const stack = (v: number) => ({ count: 2, h: 1, w: 2, data: new Float32Array([v, v, v, v]) })
    fake.emit({ type: 'snapshot', runId: 'run-1', snapshot: { filters: stack(0.1) } })
    fake.emit({ type: 'snapshot', runId: 'run-1', snapshot: { filters: stack(0.7), featureMaps: [{ layer: 'conv1', shape: [2, 1, 2], maps: stack(1) }] } })
    // a snapshot with only maps keeps the last filters; plain arrays (JSON transport) become Float32Array
    fake.emit({ type: 'snapshot', runId: 'run-1', snapshot: { featureMaps: [{ layer: 'conv1', shape: [2, 1, 2], maps: { count: 2, h: 1, w: 2, data: [3, 3, 3, 3] as unknown as Float32Array } }] } })
    const r = lab.current!
    expect(r.initialFilters?.data[0]).toBeCloseTo(0.1, 6)
    expect(r.snapshot?.filters?.data[0]).toBeCloseTo(0.7, 6)
    expect(r.snapshot?.featureMaps?.[0].maps.data).toBeInstanceOf(Float32Array)
    expect(r.snapshot?.featureMaps?.[0].maps.data[0]).toBe(3)
    expect(r.snapshots).toBe(3)
  })

  it('pauses, resumes, steps and stops through the host', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    await lab.pause()
    await flush()
    expect(lab.paused).toBe(true)
    await lab.step()
    await lab.resume()
    await flush()
    expect(lab.running).toBe(true)
    await lab.stop()
    await flush()
    expect(lab.current?.state).toBe('stopped')
    expect(lab.current?.pending).toBeNull()
    expect(fake.channels().slice(-4)).toEqual(['train:pause', 'train:step', 'train:resume', 'train:stop'])
  })

  it('waits for the worker to report the new state before calling a run paused or stopped', async () => {
    const { lab, fake } = await connected()
    fake.echoState = false
    await lab.start(SIMPLE_CONVNET, settings)
    await lab.stop()
    await flush()
    const r = lab.current!
    expect(r.state).toBe('running')
    expect(r.pending).toBe('stop')
    expect(r.active).toBe(true)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 2, 1.5)] })
    fake.emit({ type: 'state', runId: 'run-1', state: 'stopped' })
    expect(r.state).toBe('stopped')
    expect(r.pending).toBeNull()
    expect(r.batchLoss).toEqual([1.5])
  })

  it('keeps a pause pressed while the run starts pending through the start\'s running state, until paused', async () => {
    const { lab, fake } = await connected()
    fake.echoState = false
    await lab.start(SIMPLE_CONVNET, settings)
    await lab.pause()
    const r = lab.current!
    expect(r.pending).toBe('pause')
    // the start's own state comes after Pause was sent: the label stays "Pausing…", not "Training" for a moment
    fake.emit({ type: 'state', runId: 'run-1', state: 'running' })
    expect(r.pending).toBe('pause')
    fake.emit({ type: 'state', runId: 'run-1', state: 'paused' })
    expect(r.state).toBe('paused')
    expect(r.pending).toBeNull()
    // a stop pending ends with any state the run cannot leave, a finish included
    await lab.resume()
    fake.emit({ type: 'state', runId: 'run-1', state: 'running' })
    expect(r.pending).toBeNull()
    await lab.stop()
    fake.emit({ type: 'state', runId: 'run-1', state: 'paused' })
    expect(r.pending).toBe('stop')
    fake.emit({ type: 'state', runId: 'run-1', state: 'done' })
    expect(r.pending).toBeNull()
  })

  it('does not claim a pause the host refused, and shows why', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.handlers['train:pause'] = () => ({ ok: false, error: { code: 'no-run', message: 'nothing is training' } })
    await lab.pause()
    expect(lab.current?.state).toBe('running')
    // the host's code is worded by the page (its English words are for logs)
    expect(tr(lab.error!)).toBe('No training run is in progress: start one first.')
  })

  it('changes the learning rate live and records where', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 40, 1.0)] })
    expect(await lab.setLr(0.0005)).toBe(true)
    expect(fake.calls.at(-1)).toEqual({ channel: 'train:set-lr', payload: { lr: 0.0005 } })
    expect(lab.current!.lr).toBe(0.0005)
    expect(lab.current!.lrChanges).toEqual([{ x: 0.5, lr: 0.0005 }])
    expect(await lab.setLr(-1)).toBe(false)
  })

  it('overlays runs with their own colours and settings, and drops the oldest finished beyond the limit', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    await lab.start(SIMPLE_CONVNET, { ...settings, optimizer: 'SGD', lr: 0.1 })
    expect(lab.runs.map((r) => r.state)).toEqual(['stopped', 'running'])
    expect(lab.runs.map((r) => [r.settings.optimizer, r.color])).toEqual([['Adam', RUN_COLORS[0]], ['SGD', RUN_COLORS[1]]])
    // events for the old run still land on it, not on the new one
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 9)] })
    expect(lab.runs[0].batchLoss).toEqual([9])
    expect(lab.runs[1].batchLoss).toEqual([])
    for (let i = 0; i < MAX_RUNS + 2; i++) await lab.start(SIMPLE_CONVNET, settings)
    expect(lab.runs.length).toBe(MAX_RUNS)
    expect(lab.runs[0].id).not.toBe('run-1')
    expect(lab.current?.id).toBe(`run-${MAX_RUNS + 4}`)
  })

  it('removes finished runs but never the one training', async () => {
    const { lab } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    await lab.start(SIMPLE_CONVNET, settings)
    lab.removeRun('run-2')
    expect(lab.runs.length).toBe(2)
    lab.removeRun('run-1')
    expect(lab.runs.map((r) => r.id)).toEqual(['run-2'])
    await lab.start(SIMPLE_CONVNET, settings)
    lab.clearOld()
    expect(lab.runs.map((r) => r.id)).toEqual(['run-3'])
  })

  it('marks a diverged run failed, keeps it failed, and restarts it with lr/10', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, { ...settings, lr: 5 })
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 2.3), pt(1, 2, NaN)] })
    fake.emit({ type: 'error', runId: 'run-1', code: 'diverged', message: 'loss became NaN at batch 2' })
    fake.emit({ type: 'state', runId: 'run-1', state: 'stopped' })
    const r = lab.current!
    expect(r.diverged).toBe(true)
    expect(r.state).toBe('failed')
    expect(r.message).toContain('NaN')
    const again = await lab.restartWithLowerLr(SIMPLE_CONVNET)
    expect(again?.settings.lr).toBe(0.5)
    expect(again?.settings.optimizer).toBe('Adam')
    expect(lab.form.lr).toBe(0.5)
    expect(lab.current?.diverged).toBe(false)
  })

  it('leaves runs alone on errors that belong to no run (the app frame shows those)', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'error', runId: null, code: 'bad-message', message: 'The lab sent a frame the page cannot read' })
    expect(lab.current?.state).toBe('running')
    expect(lab.current?.message).toBeNull()
  })

  it('fails a run on another error without calling it divergence', async () => {
    const { lab, fake } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    fake.emit({ type: 'error', runId: 'run-1', code: 'data', message: 'no IDX files in /tmp' })
    expect(lab.current?.state).toBe('failed')
    expect(lab.current?.diverged).toBe(false)
  })

  it('reports a refused start without adding a run', async () => {
    const { lab, fake } = await connected()
    fake.handlers['train:start'] = () => ({ ok: false, error: { code: 'bad-spec', message: 'Convolution "conv1": stride 3 does not divide 25', path: 'layers.0.stride' } })
    expect(await lab.start(SIMPLE_CONVNET, settings)).toBeNull()
    expect(lab.runs).toEqual([])
    // a code without the values its wording needs: the host's English words
    expect(tr(lab.error!)).toContain('conv1')
    expect(await new TrainLab().start(SIMPLE_CONVNET)).toBeNull()
  })

  it('loads probe samples and sends the chosen one', async () => {
    const { lab, fake } = await connected()
    await lab.loadSamples(6)
    expect(lab.samples?.images.length).toBe(6)
    await lab.setProbe(3)
    expect(lab.probeIndex).toBe(3)
    const sent = fake.calls.at(-1)!
    expect(sent.channel).toBe('train:set-probe')
    expect((sent.payload as { input: number[] }).input).toEqual(lab.samples!.images[3])
    await lab.setProbe(99)
    expect(lab.probeIndex).toBe(3)
  })

  it('stops listening after disconnect', async () => {
    const { lab, fake, off } = await connected()
    await lab.start(SIMPLE_CONVNET, settings)
    off()
    fake.emit({ type: 'batches', runId: 'run-1', points: [pt(1, 1, 2)] })
    expect(lab.current?.batchLoss).toEqual([])
  })
})
