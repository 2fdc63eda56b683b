import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Channel, LabApi, OpenedProject } from '../../../src-main/ipc/contract'
import type { TrainSettings } from '../../../src-engine/protocol'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FilesLab, errorText, fromBase64, toBase64, savedRun } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab, Run } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

const spec: NetSpec = { name: 'tiny', input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Momentum', lr: 0.05, batchSize: 32, epochs: 7, weightDecay: 0, seed: 9, threads: 1 }

afterEach(() => {
  i18n.set('en')
  project.spec = null
  trainLab.runs = []
  trainLab.currentId = null
})

describe('files in the page', () => {
  it('base64 survives a large binary round trip', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)
    expect(fromBase64(toBase64(bytes))).toEqual(bytes)
  })

  it('translates each failure and keeps the host\'s detail (naming the tensor)', () => {
    const e = {
      code: 'weights-mismatch', message: 'w.safetensors does not fit the open architecture: missing tensor "affine1.b": the model expects shape [10]. Nothing was changed.',
      params: { case: 'import', file: 'w.safetensors', count: 1, tensor: 'affine1.b' }
    }
    expect(errorText(e)).toBe('w.safetensors does not fit the open architecture, so nothing was changed (tensor "affine1.b" differs; tensors that differ: 1). Import weights saved from this architecture, or open the architecture they came from.')
    i18n.set('ko')
    expect(errorText(e)).toContain('열린 구조에 맞지 않아')
    expect(errorText(e)).toContain('"affine1.b"')
    expect(errorText({ code: 'something-new', message: 'x' })).toBe('실패했습니다: x')
  })

  it('weights imported into a language model before any text give the page its vocabulary size', async () => {
    const lm: NetSpec = { name: 'lm', input: [16], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 4 }, { type: 'TimeLSTM', hidden: 8 }, { type: 'TimeAffine', units: 'vocab' }, { type: 'TimeSoftmaxWithLoss' }] }
    project.spec = lm
    const files = new FilesLab()
    const api = new FakeApi({ 'model:import-weights': { ok: true, value: { fileName: 'lm.safetensors', tensors: 6, params: 900, vocab: 37 } } })
    files.connect(api, false)
    expect(await files.importWeights(new File([new Uint8Array([1, 2, 3])], 'lm.safetensors'))).toBe(true)
    expect(api.calls[0].payload).toMatchObject({ spec: lm, source: { from: 'upload', fileName: 'lm.safetensors' } })
    expect(project.spec).toEqual({ ...lm, vocab: 37 })
    expect(project.trained).toBe(true)
  })

  it('a weights file with an impossible vocabulary size is said to be wrong, not the architecture (en, ko)', () => {
    const e = { code: 'bad-weights', message: 'x', params: { case: 'vocab', file: 'w.safetensors', got: '0', detail: 'vocabulary size 0' } }
    expect(errorText(e)).toBe('w.safetensors gives its language model a vocabulary of 0 characters, which no model can have (1 to 1,000,000): the file is wrong, not the open architecture, so nothing was changed. Export the weights again from the lab that trained them.')
    expect(errorText(e)).not.toContain('Architecture page')
    i18n.set('ko')
    expect(errorText(e)).toContain('열린 구조가 아니라 파일이 잘못되었으므로')
    expect(errorText(e)).not.toContain('아키텍처 페이지')
  })

  it('a file that is not safetensors at all, or not float32, is worded without the reader\'s English (en, ko)', () => {
    const junk = { code: 'bad-weights', message: 'x', params: { case: 'format', file: 'w.safetensors', detail: 'w.safetensors declares a header of 578,437,695,752,307,200 bytes, more than the 104,857,600-byte limit; it is not a weights file' } }
    const half = { code: 'bad-weights', message: 'x', params: { case: 'dtype', dtype: 'F16', file: 'half.safetensors', detail: 'tensor "affine1.W" has dtype F16; Backprop Lab reads only F32 (float32) tensors' } }
    expect(errorText(junk)).toBe('w.safetensors is not a safetensors weights file (or it is damaged), so nothing was changed. Import a .safetensors file exported by the lab.')
    expect(errorText(half)).toBe('half.safetensors holds F16 tensors, but the lab reads only float32 (F32) weights, so nothing was changed. Save the weights as float32 (in PyTorch: model.float() before saving) and import them again.')
    i18n.set('ko')
    expect(errorText(junk)).toBe('w.safetensors 파일은 safetensors 가중치 파일이 아니거나 손상되어서 아무것도 바꾸지 않았습니다. 실험실이 내보낸 .safetensors 파일을 가져오세요.')
    expect(errorText(half)).not.toMatch(/reads only|tensor "/)
    expect(errorText(half)).toContain('F16 형식')
  })

  it('opening a project restores the architecture, the settings form and the runs', async () => {
    const opened: OpenedProject = {
      fileName: 'tiny.bplab', savedAt: '2026-11-25T17:00:00Z', spec, presetId: null, settings, hasWeights: true, epoch: 2,
      history: { runs: [{ id: 'r1', specName: 'tiny', settings, state: 'running', batchX: [0.5, 1, 1.5, 2], batchLoss: [2, 1, 0.8, null as unknown as number], epochs: [{ epoch: 1, trainLoss: 1, trainAcc: 0.8, testLoss: 0.9, testAcc: 0.81, seconds: 3 }, { epoch: 2, trainLoss: 0.7, trainAcc: 0.85, testLoss: 0.6, testAcc: 0.86, seconds: 3 }] }], currentId: 'r1' }
    }
    const files = new FilesLab()
    const api = new FakeApi({ 'project:open': { ok: true, value: opened } })
    files.connect(api, false)
    const r = await files.open({ from: 'recovery' })
    expect(r).not.toBeNull()
    expect(project.spec).toEqual(spec)
    expect(project.trained).toBe(true)
    expect(trainLab.runs).toHaveLength(1)
    const run = trainLab.current!
    expect(run.id).toBe('r1')
    // a run that was running when the autosave was written is over now
    expect(run.state).toBe('stopped')
    expect(run.latestEpoch?.testAcc).toBe(0.86)
    expect(Number.isNaN(run.batchLoss[3])).toBe(true)
    expect(trainLab.form.optimizer).toBe('Momentum')
    // the 7-epoch run saved after epoch 2 goes on for the 5 it had left (Q1 F2)
    expect(trainLab.form.epochs).toBe(5)
    expect(files.notice).toBe('Recovered the autosave (after epoch 2). Continue training goes on from its weights for the 5 epochs the run had left; Epochs is set to 5.')
    expect(project.weightsChoice).toBe('keep')
  })

  it('a failed open changes nothing and says why', async () => {
    project.spec = spec
    const before = project.spec
    const files = new FilesLab()
    files.connect(new FakeApi({ 'project:open': { ok: false, error: { code: 'bad-project', message: 'x.bplab is not a Backprop Lab project', params: { file: 'x.bplab' } } } }), false)
    expect(await files.open({ from: 'upload', fileName: 'x.bplab', base64: '' })).toBeNull()
    expect(project.spec).toBe(before)
    expect(files.error).toBe('x.bplab is not a Backprop Lab project, or it is damaged, so nothing was changed: open a .bplab file saved by the lab.')
  })

  it('saving in the web shell sends the page\'s state and downloads the file; on the desktop it asks the host to write', async () => {
    project.spec = spec
    const run = new Run('r9', 1, settings, 'tiny', 'classifier')
    run.batchX = [1]
    run.batchLoss = [0.5]
    trainLab.runs = [run]
    trainLab.currentId = 'r9'
    const web = new FakeApi({ 'project:save': { ok: true, value: { fileName: 'tiny.bplab', bytes: 3, base64: 'AQID', hasWeights: true } }, 'project:recent': { ok: true, value: [] } })
    const files = new FilesLab()
    files.connect(web, false)
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    URL.createObjectURL ??= () => 'blob:x'
    URL.revokeObjectURL ??= () => {}
    expect(await files.save()).toBe(true)
    expect(click).toHaveBeenCalledTimes(1)
    click.mockRestore()
    const sent = web.calls[0].payload as { project: { spec: NetSpec; history: { runs: unknown[] } }; to: string }
    expect(sent.to).toBe('download')
    expect(sent.project.spec).toEqual(spec)
    expect(sent.project.history.runs).toEqual([savedRun(run)])
    expect(files.notice).toContain('trained weights')
    expect(files.notice).toContain('optimizer state and')

    // weights without optimizer state (kept after a divergence, imported): the notice does not claim any
    for (const [lang, said] of [
      ['en', 'Saved tiny.bplab with the architecture, trained weights and training history. These weights have no optimizer state, so none was saved: a run continued from them starts its optimizer afresh.'],
      ['ko', 'tiny.bplab에 구조, 학습된 가중치, 학습 기록을 저장했습니다. 이 가중치에는 옵티마이저 상태가 없어서 저장하지 않았습니다. 여기서 이어서 학습하면 옵티마이저는 처음 상태에서 시작합니다.']
    ] as const) {
      i18n.set(lang)
      files.connect(new FakeApi({ 'project:save': { ok: true, value: { fileName: 'tiny.bplab', bytes: 3, base64: 'AQID', hasWeights: true, hasOptimizer: false } }, 'project:recent': { ok: true, value: [] } }), false)
      const quiet = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
      expect(await files.save()).toBe(true)
      quiet.mockRestore()
      expect(files.notice).toBe(said)
    }
    i18n.set('en')

    const desk = new FakeApi({ 'project:save': { ok: false, error: { code: 'canceled', message: 'no place chosen' } } })
    files.connect(desk, true)
    expect(await files.save(true)).toBe(false)
    expect((desk.calls[0].payload as { to: string }).to).toBe('save-as')
    // closing the dialog is not an error
    expect(files.error).toBeNull()
  })
})

describe('continuing training after an open', () => {
  it('the next run asks the host to continue from its model, once', async () => {
    const { TrainLab } = await import('../../../src-renderer/lib/train.svelte')
    const calls: unknown[] = []
    let n = 0
    const api: LabApi = {
      request: (async (channel: Channel, payload: unknown) => {
        if (channel === 'train:start') { calls.push(payload); return { ok: true, value: { runId: `r${++n}` } } }
        return { ok: false, error: { code: 'x', message: 'x' } }
      }) as LabApi['request'],
      onEvent: () => () => {}
    }
    const lab = new TrainLab()
    lab.connect(api)
    project.weightsChoice = 'keep'
    await lab.start(spec, settings)
    await lab.start(spec, settings)
    expect(calls).toEqual([{ spec, settings, from: 'model' }, { spec, settings }])
    expect(project.weightsChoice).toBeNull()
  })
})

describe('saving a network over the lab’s limits', () => {
  it('says the validator’s reason and what to do (en, ko), sending nothing the host would refuse in its field’s words', async () => {
    // 501 layers, as a JSON import can bring (Q4 B1): the host's payload check said '"spec.layers" must be at most 256 long'
    const layers: NetSpec['layers'] = [{ type: 'Flatten' }]
    for (let i = 0; i < 249; i++) layers.push({ type: 'Affine', units: 20 }, { type: 'Relu' })
    layers.push({ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' })
    project.spec = { name: 'deep', input: [1, 28, 28], layers }
    const api = new FakeApi({ 'project:save': { ok: false, error: { code: 'bad-payload', message: '"spec.layers" must be at most 256 long (got 501).' } } })
    const files = new FilesLab()
    files.connect(api, false)
    expect(await files.save()).toBe(false)
    expect(api.calls).toHaveLength(0)
    expect(files.error).toBe('This project cannot be saved: The network has 501 layers, more than the 256 the lab can train. Remove 245 or more of them. Change it in the editor, or keep the network as it is with Export JSON.')
    i18n.set('ko')
    expect(files.error).toBe('이 프로젝트는 저장할 수 없습니다. 신경망의 계층이 501개로, 실험실에서 학습할 수 있는 256개보다 많습니다. 계층을 245개 이상 삭제하세요. 편집기에서 고치거나, 지금 그대로 두려면 JSON 내보내기로 보관하세요.')
    // within the limits it is sent as before
    project.spec = spec
    files.connect(new FakeApi({ 'project:save': { ok: false, error: { code: 'canceled', message: 'no place chosen' } } }), true)
    expect(await files.save()).toBe(false)
    expect(files.error).toBeNull()
  })
})
