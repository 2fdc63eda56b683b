/**
 * What the training form says before the engine would (Q1's F8, F10, F11): more threads than the computer's cores
 * (a note and a one-press fix, Start still allowed), data the network cannot take (said beside the data, Start
 * disabled; the run used to start and fail), and a learning rate past 10 during a run ("Apply now" disabled; the
 * engine used to refuse it after the press). Each case fails on the old TrainControls: no note, Start and Apply enabled.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { connection } from '../../../src-renderer/lib/connection.svelte'
import { dataProblem } from '../../../src-renderer/lib/train-data'
import { folderClasses } from '../../../src-renderer/lib/folder-classes.svelte'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import { renderControls, resetControls, settle } from './controls'
import { SIMPLE_CONVNET } from './fake-lab'

afterEach(() => {
  resetControls()
  connection.info = null
})

const machine = (threads: number): typeof connection.info => ({ version: '0.1.0', transport: 'web', threads, platform: 'linux', priorityChoice: true })
const start = (): HTMLButtonElement => screen.getByTestId('train-start') as HTMLButtonElement

describe('more threads than cores', () => {
  it('says the cores beside Threads, and one press sets the count to them (en, ko); Start stays allowed', async () => {
    connection.info = machine(2)
    await renderControls()
    expect(screen.queryByTestId('train-threads-cores')).toBeNull()
    await fireEvent.input(screen.getByTestId('train-threads'), { target: { value: '64' } })
    expect(screen.getByTestId('train-threads-cores').textContent).toBe('This computer has 2 cores: more threads than that make training slower, not faster.')
    expect(screen.getByTestId('train-threads').getAttribute('aria-describedby')).toBe('train-threads-cores')
    // the note and its button take the form's full width, in the row under the box's
    const notes = screen.getByTestId('train-threads-cores').closest('.field')!
    expect(notes.classList.contains('wide')).toBe(true)
    expect(notes).toBe(screen.getByTestId('train-threads').closest('.field')!.nextElementSibling)
    expect(notes.contains(screen.getByTestId('train-threads-use-cores'))).toBe(true)
    expect(start().disabled).toBe(false)
    i18n.set('ko')
    await settle()
    expect(screen.getByTestId('train-threads-cores').textContent).toBe('이 컴퓨터의 코어는 2개입니다. 스레드를 이보다 많이 쓰면 학습이 빨라지지 않고 오히려 느려집니다.')
    const fix = screen.getByTestId('train-threads-use-cores')
    expect(fix.textContent).toBe('2개로 바꾸기')
    await fireEvent.click(fix)
    expect(trainLab.form.threads).toBe(2)
    expect(screen.queryByTestId('train-threads-cores')).toBeNull()
  })

  it('says nothing while the cores are unknown, and one core in the singular', async () => {
    await renderControls()
    await fireEvent.input(screen.getByTestId('train-threads'), { target: { value: '3' } })
    expect(screen.queryByTestId('train-threads-cores')).toBeNull()
    connection.info = machine(1)
    await settle()
    expect(screen.getByTestId('train-threads-cores').textContent).toBe('This computer has 1 core: more threads than that make training slower, not faster.')
    expect(screen.getByTestId('train-threads-use-cores').textContent).toBe('Use 1')
  })
})

describe('data the network cannot take', () => {
  const wide: NetSpec = { ...SIMPLE_CONVNET, input: [3, 32, 32] }

  it('disables Start for an input of (3, 32, 32) on the built-in digits and says what to change (en, ko)', async () => {
    await renderControls(wide)
    expect(start().disabled).toBe(true)
    const said = screen.getByTestId('train-data-problem')
    expect(said.textContent).toBe('This network takes inputs of (3, 32, 32), 3,072 values, but the built-in digits are images of (1, 28, 28), 784 values: Start would refuse it. Set the input shape to 1, 28, 28 on the Architecture page, or choose an IDX folder of images that fit.')
    expect(screen.getByTestId('train-data').getAttribute('aria-describedby')).toBe('train-data-problem')
    i18n.set('ko')
    await settle()
    expect(screen.getByTestId('train-data-problem').textContent).toBe('이 신경망의 입력은 (3, 32, 32) 형상으로 값이 3,072개입니다. 내장 숫자 이미지는 (1,\u00a028,\u00a028) 형상으로 값이 784개라서 이대로는 학습을 시작할 수 없습니다. 아키텍처 페이지에서 입력 형상을 1,\u00a028,\u00a028로 바꾸거나, 크기가 맞는 이미지가 든 IDX 폴더를 고르세요.')
    // an IDX folder's images are first read at Start: the page cannot tell, Start is the engine's to judge
    trainLab.form.dataKind = 'idx'
    await settle()
    expect(screen.queryByTestId('train-data-problem')).toBeNull()
    expect(start().disabled).toBe(false)
  })

  it('says beside the folder box what Start would refuse about an IDX folder (empty, not IDX), en and ko, and asks again at Start (Q3 F12)', async () => {
    const fake = await renderControls()
    let answer: Record<string, unknown> = { used: 0, problem: { message: 'Training would not start: the folder /data/empty holds no IDX files', facts: { case: 'idx-none', dir: '/data/empty' } } }
    fake.handlers['data:idx-classes'] = () => ({ ok: true, value: answer })
    folderClasses.connect(fake)
    trainLab.form.dataKind = 'idx'
    trainLab.form.idxDir = '/data/empty'
    // asked now rather than once the path has stayed the same for 300 ms, as Start asks
    folderClasses.recheck()
    await settle()
    const note = (): string | null => screen.queryByTestId('train-idx-problem')?.textContent ?? null
    expect(note()).toBe('The folder /data/empty holds no IDX files. An IDX folder holds four files: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte ' +
      'and t10k-labels-idx1-ubyte (each may end in .gz). Check the folder’s path, or choose the built-in digits. Start would refuse it.')
    expect(screen.getByTestId('train-idx-dir').getAttribute('aria-describedby')).toBe('train-idx-problem')
    expect(screen.getByTestId('train-idx-dir').getAttribute('aria-invalid')).toBe('true')
    answer = { used: 10, examples: 60000, problem: { message: 'Training would not start: …', facts: { case: 'idx-not-idx', dir: '/data/fake', file: 'train-images-idx3-ubyte', starts: '0xCC 0x2A 0x01 0x07' } } }
    trainLab.form.idxDir = '/data/fake'
    folderClasses.recheck()
    i18n.set('ko')
    await settle()
    expect(note()).toBe('/data/fake 폴더의 train-images-idx3-ubyte 파일은 IDX 형식이 아닙니다. 이미지나 레이블의 IDX 파일은 0x00 0x00 0x08 바이트로 시작하는데, 이 파일의 처음 네 바이트는 ' +
      '0xCC 0x2A 0x01 0x07입니다. MNIST 형식의 원래 파일을 넣거나 다른 폴더를 고르세요. 이대로는 학습을 시작할 수 없습니다.')
    // the learner put the right file there: Start asks again, and the note goes
    answer = { used: 10, examples: 60000 }
    await fireEvent.click(start())
    await settle()
    expect(fake.calls.filter((c) => c.channel === 'data:idx-classes').map((c) => c.payload)).toEqual([{ dir: '/data/empty' }, { dir: '/data/fake' }, { dir: '/data/fake' }])
    expect(note()).toBeNull()
    folderClasses.connect(null)
  })

  it('lets the digits feed any input of 784 values (1, 28, 28; 28, 28 rows for an LSTM)', async () => {
    await renderControls()
    expect(start().disabled).toBe(false)
    expect(screen.queryByTestId('train-data-problem')).toBeNull()
    expect(dataProblem({ ...SIMPLE_CONVNET, input: [28, 28] }, trainLab.form)).toBeNull()
    expect(dataProblem({ ...SIMPLE_CONVNET, input: [784] }, trainLab.form)).toBeNull()
  })

  it('names a text for a language model and images for anything else, as the engine would refuse them', () => {
    const lm: NetSpec = { input: [35], task: 'language-model', layers: [{ type: 'TimeEmbedding', dim: 16 }, { type: 'TimeSoftmaxWithLoss' }] }
    const form = trainLab.form
    expect(tr(dataProblem(lm, { ...form, dataKind: 'mnist' })!)).toBe('This network is a language model: it trains on a text. Choose a text file as the data.')
    expect(tr(dataProblem(lm, { ...form, dataKind: 'idx' })!)).toMatch(/^This network is a language model/)
    expect(dataProblem(lm, { ...form, dataKind: 'text' })).toBeNull()
    expect(tr(dataProblem(SIMPLE_CONVNET, { ...form, dataKind: 'text' })!)).toBe('A text trains language models only, and this network is not one: choose images as the data.')
  })
})

describe('a class count the run would refuse (M41\'s find on 4b81c15)', () => {
  // an MLP whose last Affine gives 7 scores: the editor says "Trainable once the data fits"; Start made a failed run
  const mlp = (units: number): NetSpec => ({ input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 50 }, { type: 'Relu' },
    { type: 'Affine', units }, { type: 'SoftmaxWithLoss' }] })
  const said = (): string | null => screen.queryByTestId('train-start-problem')?.textContent ?? null

  it('disables Start for 7 scores on the digits and says why under it with the fix, en and ko; nothing is sent', async () => {
    const fake = await renderControls(mlp(7))
    expect(start().disabled).toBe(true)
    expect(said()).toBe('affine2: gives only 7 class scores, but the digits have 10 classes, so training on the digits would not start: every label needs a score. ' +
      'Set its “Units” to 10. Change it on the Architecture page, or choose other data.')
    expect(start().getAttribute('aria-describedby')).toBe('train-start-problem')
    await fireEvent.click(start())
    await settle()
    expect(fake.channels()).not.toContain('train:start')
    i18n.set('ko')
    await settle()
    expect(said()).toMatch(/^affine2: .*7개.* 아키텍처 페이지에서 고치거나 다른 데이터를 고르세요\.$/)
  })

  it('lets an IDX folder whose labels are not known yet take fewer scores, but never more than its 10 classes', async () => {
    await renderControls(mlp(7))
    trainLab.form.dataKind = 'idx'
    trainLab.form.idxDir = '/data/seven'
    await settle()
    expect(said()).toBeNull()
    expect(start().disabled).toBe(false)
    expect(start().getAttribute('aria-describedby')).toBeNull()
    cleanup()
    await renderControls(mlp(12))
    trainLab.form.dataKind = 'idx'
    trainLab.form.idxDir = '/data/seven'
    await settle()
    expect(said()).toMatch(/^affine2: gives 12 class scores, but an IDX folder has at most 10 classes/)
    expect(start().disabled).toBe(true)
  })

  it('says nothing for 10 scores on the digits', async () => {
    await renderControls(mlp(10))
    expect(said()).toBeNull()
    expect(start().disabled).toBe(false)
  })
})

describe('a learning rate past 10 during a run', () => {
  it('is said at the field and cannot be applied, by the button or by Enter', async () => {
    const fake = await renderControls()
    await fireEvent.click(start())
    await settle()
    const box = screen.getByTestId('train-lr')
    await fireEvent.input(box, { target: { value: '50' } })
    expect((screen.getByTestId('train-apply-lr') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId('train-field-error').textContent).toBe('The learning rate must be a number above 0 (and at most 10).')
    await fireEvent.keyDown(box, { key: 'Enter' })
    await settle()
    expect(fake.channels()).not.toContain('train:set-lr')
    // a rate the form takes is applied as before
    await fireEvent.input(box, { target: { value: '10' } })
    expect((screen.getByTestId('train-apply-lr') as HTMLButtonElement).disabled).toBe(false)
  })
})
