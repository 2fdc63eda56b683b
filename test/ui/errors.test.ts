/**
 * The lab's refusals in the learner's language: every code the page can receive (contract.ts LAB_ERRORS,
 * and every code the sources give) has wording in both languages, the wording is filled from the error's
 * params, and an unknown or malformed error falls back to the host's English message.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { LAB_ERRORS, VALUE_TYPES, type LabError } from '../../src-main/ipc/contract'
import { validatePayload } from '../../src-main/ipc/validate'
import { CLIENT_ERRORS } from '../../src-renderer/lib/lab'
import { refusal, refusalKey } from '../../src-renderer/lib/lab-errors'
import { catalogues, i18n, tr } from '../../src-renderer/i18n/index.svelte'
import type { TrainSettings } from '../../src-engine/protocol'
import { validateSpec } from '../../src-engine/spec'

const ROOT = resolve(__dirname, '../..')

afterEach(() => i18n.set('en'))

const wordings = (): string[] => [
  ...Object.entries(LAB_ERRORS).flatMap(([code, cases]) => [`errors.${code}`, ...cases.map((c) => `errors.${code}.${c}`)]),
  // the kinds of value a bad payload names, and the word that joins two
  ...VALUE_TYPES.map((v) => `errors.value.${v}`), 'errors.value.or'
]

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** Error codes written in the sources that build errors for the page: the main process, the engine threads' replies and events, the project reader. */
function codesInSources(): Map<string, string> {
  const sources = [
    ...files(join(ROOT, 'src-main')),
    ...['train/session.ts', 'train/inference.ts', 'worker.ts', 'io/project.ts'].map((f) => join(ROOT, 'src-engine', f))
  ]
  const found = new Map<string, string>()
  const patterns = [/\bcode: '([a-z-]+)'/g, /\b(?:fail|refuse|failPending)\('([a-z-]+)'/g, /new ProjectError\(.*?, '([a-z-]+)'[,)]/g]
  for (const file of sources) {
    const text = readFileSync(file, 'utf8')
    for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1], file.slice(ROOT.length + 1))
  }
  for (const code of Object.values(CLIENT_ERRORS)) found.set(code, 'src-renderer/lib/lab.ts')
  return found
}

describe('every error code the page can receive', () => {
  it('is listed in LAB_ERRORS (a code given in the sources but not listed fails here)', () => {
    const found = codesInSources()
    // the scan sees the codes (a broken pattern would pass vacuously)
    expect(found.size).toBeGreaterThan(30)
    for (const code of ['busy', 'no-model', 'bad-payload', 'not-autoencoder', 'newer-project', 'write-failed', 'disconnected']) expect(found.has(code)).toBe(true)
    const unlisted = [...found].filter(([code]) => !(code in LAB_ERRORS)).map(([code, file]) => `${code} (${file})`)
    expect(unlisted).toEqual([])
  })

  it('has words in English and Korean, for the code and each of its cases', () => {
    const missing = wordings().flatMap((key) => (['en', 'ko'] as const).filter((lang) => typeof catalogues[lang][key] !== 'string').map((lang) => `${lang} ${key}`))
    expect(missing).toEqual([])
  })

  it('has no words for codes or cases that are not listed', () => {
    const listed = new Set(wordings())
    const stale = Object.keys(catalogues.en).filter((k) => k.startsWith('errors.') && !listed.has(k))
    expect(stale).toEqual([])
  })
})

describe('a refusal in the page\'s language', () => {
  const busyOpen: LabError = { code: 'busy', message: 'A training run is in progress: stop it before opening a project.', params: { case: 'open' } }

  it('is worded from its code and case, when drawn (it follows a language switch)', () => {
    const m = refusal(busyOpen)
    expect(tr(m)).toBe('A training run is in progress: stop it before opening a project.')
    i18n.set('ko')
    expect(tr(m)).toBe('학습이 진행 중입니다. 프로젝트를 열기 전에 학습을 멈추세요.')
  })

  it('fills the wording from its params, run states in the page\'s words', () => {
    i18n.set('ko')
    expect(tr(refusal({ code: 'bad-state', message: 'Run r1 is paused; "pause" needs it to be running.', params: { case: 'pause', state: 'paused' } })))
      .toBe('학습이 일시 정지되어 있습니다. 학습하고 있는 중에만 일시 정지할 수 있습니다.')
    expect(tr(refusal({ code: 'timeout', message: 'The training thread did not answer "predict" within 30 s.', params: { seconds: 30 } })))
      .toBe('30초 안에 답이 오지 않았습니다. 다시 시도하고, 계속 그러면 실험실을 다시 시작하세요.')
  })

  it('uses the code\'s own wording for a case it has no words for', () => {
    expect(refusalKey({ code: 'busy', params: { case: 'dancing' } })).toBe('errors.busy')
    expect(tr(refusal({ ...busyOpen, params: { case: 'dancing' } }))).toBe('A training run is in progress: stop it first, then try again.')
  })

  it('falls back to the host\'s English message when the code is unknown or the error malformed', () => {
    i18n.set('ko')
    expect(refusal({ code: 'melted', message: 'It melted.' })).toBe('It melted.')
    expect(refusal({ code: 42 as unknown as string, message: 'A number for a code.' })).toBe('A number for a code.')
    // the wording needs {file}; params missing, of the wrong kind, or not an object
    const bad = { code: 'bad-project', message: 'x.bplab has no project.json' }
    expect(refusal(bad)).toBe(bad.message)
    expect(refusal({ ...bad, params: { file: { name: 'x' } as unknown as string } })).toBe(bad.message)
    expect(refusal({ ...bad, params: 'x.bplab' as unknown as LabError['params'] })).toBe(bad.message)
    expect(refusal({ code: 'timeout', message: 'slow', params: { seconds: Number.NaN } })).toBe('slow')
  })

  it('words a payload the host refused by its rule, field, limit and the value received', () => {
    const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 5000, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }
    const r = validatePayload('train:start', { spec: { input: [1, 28, 28], layers: [] }, settings })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.message).toContain('settings.batchSize')
    expect(tr(refusal(r.error))).toBe('"settings.batchSize" must be at most 4096 (got 5000).')
    i18n.set('ko')
    expect(tr(refusal(r.error))).toBe('"settings.batchSize" 값은 4096 이하여야 합니다(받은 값: 5000).')
    const empty = validatePayload('train:start', { spec: { input: [1, 28, 28], layers: [] }, settings: { ...settings, batchSize: 10, data: { kind: 'idx', dir: '' } } })
    expect(empty.ok ? null : tr(refusal(empty.error))).toBe('"settings.data.dir" 값이 비어 있습니다. 파일이나 폴더를 고르세요.')
    const labels = validatePayload('train:start', { spec: { input: [1, 28, 28], layers: [] }, settings: { ...settings, batchSize: 10, extra: { images: [0.5], labels: [3] } } })
    expect(labels.ok ? null : tr(refusal(labels.error))).toBe('"settings.extra"에는 레이블마다 픽셀 784개(28×28)\u2060가 있어야 합니다.')
    const optimizer = validatePayload('train:start', { spec: { input: [1, 28, 28], layers: [] }, settings: { ...settings, batchSize: 10, optimizer: 'Lion' } })
    expect(optimizer.ok ? null : tr(refusal(optimizer.error))).toBe('"settings.optimizer" 값은 "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam" 가운데 하나여야 합니다(받은 값: "Lion").')
  })

  it('names kinds of value in the page\'s words, not the validator\'s ("number", "Object")', () => {
    const text = (channel: 'train:set-lr' | 'train:start', payload: unknown): string => {
      const r = validatePayload(channel, payload)
      return r.ok ? 'accepted' : tr(refusal(r.error))
    }
    const spec = (units: unknown) => ({ spec: { input: [4], layers: [{ type: 'TimeAffine', units }] }, settings: { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.1, batchSize: 10, epochs: 1, weightDecay: 0, seed: 1, threads: 1 } })
    expect(text('train:set-lr', { lr: {} })).toBe('"lr" must be a number (got an object).')
    expect(text('train:start', spec(['x']))).toBe('"spec.layers.0.units" must be a number or "vocab" (got a list).')
    expect(text('train:set-lr', {})).toBe('"lr" is missing: the lab needs a value there.')
    i18n.set('ko')
    expect(text('train:set-lr', { lr: 'fast' })).toBe('"lr" 값의 종류가 맞지 않습니다(필요한 값: 숫자, 받은 값: "fast").')
    expect(text('train:set-lr', { lr: {} })).toBe('"lr" 값의 종류가 맞지 않습니다(필요한 값: 숫자, 받은 값: 객체).')
    expect(text('train:start', spec(['x']))).toBe('"spec.layers.0.units" 값의 종류가 맞지 않습니다(필요한 값: 숫자 또는 "vocab", 받은 값: 배열(목록)).')
    expect(text('train:set-lr', {})).toBe('"lr" 값이 빠져 있습니다. 이 값이 있어야 합니다.')
  })

  it('words the facts the engine gives as data: a bad prompt\'s character, the tensor that differs, an invalid project\'s issue', () => {
    i18n.set('ko')
    expect(tr(refusal({ code: 'bad-prompt', message: 'character "z" (U+007A) at position 3 is not in the vocabulary of 65', params: { detail: '…', case: 'char', char: 'z', position: 3 } })))
      .toBe('프롬프트에 모델이 배운 텍스트에 없던 문자가 있습니다("z"). 그 텍스트에 있는 문자만 쓰세요.')
    expect(tr(refusal({ code: 'weights-mismatch', message: 'w.safetensors does not fit', params: { case: 'import', file: 'w.safetensors', tensor: 'affine1.W', count: 2 } })))
      .toBe('w.safetensors 파일은 열린 구조에 맞지 않아 아무것도 바꾸지 않았습니다("affine1.W" 등 텐서 2개가 다름). 이 구조로 저장한 가중치를 가져오거나, 가중치를 만든 구조를 여세요.')
    // what the project reader gives for this architecture (test/main/projects.test.ts): its first issue, worded as the editor does
    const issue = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 4, kernel: 40 }] }).issues.find((i) => i.severity === 'error')
    expect(issue?.code).toBe('conv-kernel-too-large')
    const badSpec = refusal({ code: 'bad-spec', message: `x.bplab: its architecture is not valid — ${issue?.message}`, params: { file: 'x.bplab' }, issue })
    expect(tr(badSpec)).toMatch(/^x\.bplab 파일에 저장된 구조가 올바르지 않아 아무것도 바꾸지 않았습니다: .*40×40 필터가 .*28×28 입력보다 큽니다/)
    // importing weights into an open architecture with that issue names it too
    expect(tr(refusal({ code: 'invalid-spec', message: 'The open architecture is not valid', params: { case: 'import' }, issue })))
      .toMatch(/^열린 구조에 오류가 있어 가중치를 가져오지 않았습니다\. 먼저 아키텍처 페이지에서 고치세요: .*40×40 필터가/)
  })

  it('an import refused for a setting out of range says which values it takes (the host names the layer\'s type), not "choose a value in its range"', () => {
    const issue = validateSpec({ input: [1, 28, 28], layers: [{ type: 'Flatten' }, { type: 'Affine', units: 0 }, { type: 'SoftmaxWithLoss' }] }).issues.find((i) => i.severity === 'error')
    expect(issue?.code).toBe('field-out-of-range')
    const e: LabError = { code: 'invalid-spec', message: 'The open architecture is not valid', params: { case: 'import', type: 'Affine' }, issue }
    expect(tr(refusal(e))).toBe('The open architecture has an error, so the weights were not imported; fix it on the Architecture page first: ' +
      'affine1: “Units” must be a whole number of at least 1, not 0.')
    i18n.set('ko')
    expect(tr(refusal(e))).toContain('affine1: “유닛 수”에는 1 이상의 정수만 쓸 수 있습니다 (지금 값: 0).')
    // a type that is not a layer's is not used: the general sentence
    i18n.set('en')
    expect(tr(refusal({ ...e, params: { case: 'import', type: 'Nonsense' } }))).toContain('Choose a value in its range')
  })

  it('a weights file the host cannot use says what is wrong with it', () => {
    const e: LabError = { code: 'bad-weights', message: 'nan.safetensors: tensor "affine2.b" contains NaN at index 0; weights must be finite numbers. Import …',
      params: { file: 'nan.safetensors', detail: 'tensor "affine2.b" contains NaN at index 0; weights must be finite numbers' } }
    expect(tr(refusal(e))).toBe('nan.safetensors cannot be used as weights (tensor "affine2.b" contains NaN at index 0; weights must be finite numbers), ' +
      'so nothing was changed. Import a .safetensors file exported by the lab (or saved with float32 tensors named like conv1.W).')
    i18n.set('ko')
    expect(tr(refusal(e))).toMatch(/^nan\.safetensors 파일은 가중치로 쓸 수 없어 아무것도 바꾸지 않았습니다 \(파일을 읽은 프로그램이 알린 내용, 영어: tensor "affine2\.b" contains NaN/)
  })

  it('a run the data does not fit says what to change, from the engine\'s facts (train-failed cases input and classes)', () => {
    const classes: LabError = { code: 'train-failed', message: 'affine2 gives 100 class scores but the training data has 10 classes; set the units of affine2 to 10',
      params: { detail: '…', case: 'classes', layer: 'affine2', outputs: 100, classes: 10, affine: 1 } }
    expect(tr(refusal(classes))).toBe('Training did not start: affine2 gives 100 class scores, but the data has 10 classes. ' +
      'On the Architecture page, set the “Units” of affine2 to 10, one output per class.')
    // a scoring layer that is not an Affine has no units to set: an Affine is added (the event's params are strings)
    const conv: LabError = { code: 'train-failed', message: 'conv1 gives 3 class scores but the training data has 10 classes; end with an Affine of 10 units before softmax1',
      params: { detail: '…', case: 'classes', layer: 'conv1', outputs: '3', classes: '10', affine: '0' } }
    expect(tr(refusal(conv))).toBe('Training did not start: conv1 gives 3 class scores, but the data has 10 classes. ' +
      'On the Architecture page, add an Affine of 10 units right before the loss layer, one output per class.')
    expect(tr(refusal(conv))).not.toContain('Units')
    const input: LabError = { code: 'train-failed', message: 'the network expects inputs of (3, 28, 28) but …',
      params: { detail: '…', case: 'input', want: '(3, 28, 28)', got: '(1, 28, 28)', which: 'training' } }
    i18n.set('ko')
    expect(tr(refusal(classes))).toBe('학습을 시작하지 않았습니다. affine2 계층은 클래스 점수를 100개 내는데 데이터의 클래스는 10개입니다. ' +
      '아키텍처 페이지에서 affine2 계층의 “유닛 수”를 클래스마다 하나씩 10개로 하세요.')
    expect(tr(refusal(conv))).toBe('학습을 시작하지 않았습니다. conv1 계층은 클래스 점수를 3개 내는데 데이터의 클래스는 10개입니다. ' +
      '아키텍처 페이지에서 손실 계층 바로 앞에 유닛 10개짜리 Affine 계층을 넣어 클래스마다 출력이 하나씩 나오게 하세요.')
    // a host that sends no flag: the wording that fits either
    const { affine: _, ...noFlag } = classes.params as Record<string, string | number>
    expect(tr(refusal({ ...classes, params: noFlag }))).toContain('affine2 계층의 출력을 클래스마다 하나씩 10개로 하세요.')
    // a language model whose Time affine was sized for another text
    const vocab: LabError = { code: 'train-failed', message: 'taffine1 scores 65 characters at each step but the training text has 80 distinct characters; set the units of taffine1 to "vocab"',
      params: { detail: '…', case: 'vocab', layer: 'taffine1', outputs: '65', vocab: '80', affine: '1' } }
    expect(tr(refusal(vocab))).toBe('학습을 시작하지 않았습니다. taffine1 계층은 시각마다 문자 65개의 점수를 내는데 이 텍스트의 문자는 80가지입니다. ' +
      '아키텍처 페이지에서 taffine1 계층의 “유닛 수”를 “= 어휘 수”로 하면 학습하는 텍스트에 맞춰집니다.')
    i18n.set('en')
    expect(tr(refusal(vocab))).toBe('Training did not start: taffine1 scores 65 characters at each step, but this text has 80 different characters. ' +
      'On the Architecture page, set the “Units” of taffine1 to “= vocab”, so they follow the text it trains on.')
    expect(tr(refusal({ ...vocab, params: { ...vocab.params, layer: 'lstm1', affine: '0' } }))).toContain('add a Time affine with units “= vocab” right before the loss layer.')
    i18n.set('ko')
    expect(tr(refusal(input))).toBe('학습을 시작하지 않았습니다. 신경망의 입력은 (3, 28, 28) 형상인데 데이터 샘플은 (1, 28, 28) 형상입니다. 아키텍처 페이지에서 입력 형상을 바꾸거나 다른 데이터로 학습하세요.')
  })

  it('a control refused in the run\'s state says where the run is in a sentence, no state name in quotes (Q1 F5)', () => {
    const refused = (c: string, state: string): string => tr(refusal({ code: 'bad-state', message: `Run r1 is ${state}; "${c}" needs …`, params: { case: c, state } }))
    expect(refused('step', 'idle')).toBe('The run has not started yet. Step trains one mini-batch at a time, once the run is paused.')
    expect(refused('pause', 'done')).toBe('The run has finished. Only a run that is training can be paused.')
    expect(refused('stop', 'stopped')).toBe('The run has been stopped. There is nothing to stop.')
    for (const lang of ['en', 'ko'] as const) {
      i18n.set(lang)
      for (const c of LAB_ERRORS['bad-state']) {
        for (const state of ['idle', 'running', 'paused', 'stopped', 'done', 'failed']) expect(refused(c, state)).not.toMatch(/["“”]|Ready|준비됨/)
      }
    }
    expect(refused('set-lr', 'failed')).toBe('학습이 실패했습니다. 학습률은 학습하는 동안에만 바뀝니다. 다음 학습의 학습률은 양식에서 정하세요.')
  })

  it('a text too short for the network\'s input says its numbers and what to change, not makeWindows\' English (Q1 F13)', () => {
    const short: LabError = { code: 'train-failed', message: 'tiny.txt has 2 characters, too few for an input of 64: …',
      params: { detail: '…', stage: 'data', case: 'text', chars: 2, needs: 1646, T: 64, window: 65 } }
    expect(tr(refusal(short))).toBe('Training did not start: the text has 2 characters, too few for the input length 64. A run needs at least 1,646: ' +
      'a window of 65 characters (the input length + 1) to train on, and one more in the last tenth of the text, which is held out to test. ' +
      'Upload a longer text, or shorten the input length (T) on the Architecture page.')
    i18n.set('ko')
    expect(tr(refusal(short))).toBe('학습을 시작하지 않았습니다. 텍스트가 2자뿐이라 입력 길이 64에 비해 너무 짧습니다. 적어도 1,646자가 있어야 합니다. ' +
      '학습할 65자 구간(입력 길이 + 1) 하나와, 시험용으로 떼어 두는 텍스트의 마지막 10분의 1 안에 구간이 하나 더 있어야 하기 때문입니다. ' +
      '더 긴 텍스트를 올리거나 아키텍처 페이지에서 입력 길이(T)\u2060를 줄이세요.')
  })

  it('a read or write the system refused for a known reason gets a sentence of its own, without the system\'s English (ko)', () => {
    i18n.set('ko')
    const words = (code: 'read-failed' | 'write-failed', c: string): string =>
      tr(refusal({ code, message: 'x', params: { file: 'a.bplab', detail: 'EACCES: permission denied, open \'/root/a.bplab\'', case: c } }))
    expect(words('read-failed', 'permission')).toBe('a.bplab 파일을 읽을 권한이 없습니다. 파일의 권한을 바꾸거나 읽을 수 있는 곳으로 옮긴 뒤 다시 여세요.')
    expect(words('write-failed', 'no-space')).toBe('디스크에 공간이 없어 a.bplab 파일을 쓰지 못했습니다. 공간을 비우거나 다른 디스크의 폴더를 골라 다시 시도하세요.')
    for (const c of LAB_ERRORS['write-failed']) expect(words('write-failed', c).replace('a.bplab', '')).not.toMatch(/[A-Za-z]{4,}/)
    for (const c of LAB_ERRORS['read-failed']) expect(words('read-failed', c).replace('a.bplab', '')).not.toMatch(/[A-Za-z]{4,}/)
    // an engine's failure it has no words for is labelled as the engine's English, not mixed into the sentence
    expect(tr(refusal({ code: 'train-failed', message: 'x', params: { detail: 'IDX file /data/x is truncated' } })))
      .toBe('오류로 학습이 멈췄습니다. (엔진이 알린 내용, 영어: IDX file /data/x is truncated)')
  })

  it('puts an exception\'s own (English) words after the sentence, as a detail', () => {
    i18n.set('ko')
    expect(tr(refusal({ code: 'read-failed', message: 'x', params: { file: 'a.bplab', detail: 'EACCES: permission denied' } })))
      .toBe('a.bplab 파일을 읽지 못했습니다. (운영 체제가 알린 내용, 영어: EACCES: permission denied)')
    expect(tr(refusal({ code: 'engine-error', message: 'x', params: { detail: 'boom', code: 'melted' } })))
      .toBe('실험실의 엔진에서 오류가 났습니다. 다시 시도하고, 또 그러면 실험실을 다시 시작하세요. (엔진이 알린 내용, 영어: boom)')
    expect(tr(refusal({ code: 'transport-failed', message: 'x', params: { detail: 'socket closed' } })))
      .toBe('요청을 실험실에 보내지 못했습니다. 다시 시도하세요. (페이지의 통신 기능이 알린 내용, 영어: socket closed)')
  })

  it('labels every raw detail in Korean as English from a named source, never as a plain “자세한 내용”', () => {
    const ko = Object.entries(catalogues.ko).filter(([k, text]) => k.startsWith('errors.') && typeof text === 'string' && text.includes('{detail}'))
    expect(ko.length).toBeGreaterThan(10)
    const unlabelled = ko.filter(([, text]) => !/\((엔진|실험실|운영 체제|페이지의 통신 기능|파일을 읽은 프로그램)[이가] 알린 내용, 영어: \{detail\}\)/.test(text as string)).map(([k]) => k)
    expect(unlabelled).toEqual([])
  })
})
