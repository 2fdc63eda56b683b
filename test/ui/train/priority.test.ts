/**
 * The training priority on the page: the form's choice (low: other programs first; normal: the cores shared)
 * goes with train:start and is kept across networks and projects; a run starved of CPU can be carried on at
 * normal priority from the notice (stop, then a continued run at normal priority for the epochs it had left).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { TrainLab, defaultsFor, settingsFromForm, trainLab } from '../../../src-renderer/lib/train.svelte'
import { formFromSettings } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { TRAINING_PRIORITIES, type BatchPoint, type TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

const settings: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, weightDecay: 0, seed: 42, threads: 2 }
const pt = (epoch: number, batch: number): BatchPoint => ({ epoch, batch, batches: 4, loss: 1, examplesPerSec: 1000 })

/** The host of the training-page tests (one, so that run ids never repeat on the app's trainLab). */
const pageFake = new FakeLab()

type StartPayload = { settings: TrainSettings; from?: 'model'; epochOffset?: number }
const starts = (fake: FakeLab): StartPayload[] => fake.calls.filter((c) => c.channel === 'train:start').map((c) => c.payload as StartPayload)

afterEach(() => {
  project.trained = false
  project.spec = null
})

/** The training page on a fresh body, talking to `fake`, in `lang`. */
async function showPage(fake: FakeLab, lang: 'en' | 'ko'): Promise<void> {
  document.body.innerHTML = ''
  setLab(fake)
  i18n.set(lang)
  render(TrainPage)
  await flush()
  await flush()
}

/** After a suite of page tests: no host, English, and the app's form back at low priority. */
function leavePage(): void {
  setLab(null)
  i18n.set('en')
  trainLab.form = { ...trainLab.form, priority: 'low' }
}

describe('the priority setting', () => {
  it('is part of the settings, low unless chosen, and kept when the network changes or a project without it opens', async () => {
    const f = defaultsFor(SIMPLE_CONVNET, 2)
    expect(f.priority).toBe('low')
    expect(settingsFromForm(f).priority).toBe('low')
    expect(settingsFromForm({ ...f, priority: 'normal' }).priority).toBe('normal')
    expect(formFromSettings(f, { ...settings, priority: 'normal' }).priority).toBe('normal')
    expect(formFromSettings({ ...f, priority: 'normal' }, settings).priority).toBe('normal')
    const lab = new TrainLab()
    lab.form = { ...lab.form, priority: 'normal' }
    lab.prepareForm(SIMPLE_CONVNET)
    expect(lab.form.priority).toBe('normal')
  })

  describe('in the training controls', () => {
    const fake = pageFake
    afterAll(leavePage)

    it('offers both choices with why, in the page\'s language, and sends the one chosen; locked while a run trains', async () => {
      await showPage(fake, 'en')
      const low = screen.getByTestId('train-priority-low') as HTMLInputElement
      const normal = screen.getByTestId('train-priority-normal') as HTMLInputElement
      expect(low.checked).toBe(true)
      const group = screen.getByTestId('train-priority')
      // one radio per priority of the protocol's list, in its order
      expect([...group.querySelectorAll<HTMLInputElement>('input[type=radio]')].map((r) => r.value)).toEqual([...TRAINING_PRIORITIES])
      expect(group.textContent).toContain('Let other programs go first')
      expect(group.textContent).toContain('The window stays smooth while a core is free; while other programs keep every core busy, training pauses and the window may stall')
      expect(group.textContent).toContain('Share the cores equally')
      expect(group.textContent).toContain('Training keeps going; the window may respond more slowly.')
      i18n.set('ko')
      await flush()
      expect(group.textContent).toContain('다른 프로그램 먼저')
      expect(group.textContent).toContain('창도 가끔 잠깐씩 멈출 수 있습니다')
      expect(group.textContent).toContain('코어를 똑같이 나눠 쓰기')
      await fireEvent.click(normal)
      expect(trainLab.form.priority).toBe('normal')
      await fireEvent.click(screen.getByTestId('train-start'))
      await flush()
      expect(starts(fake).at(-1)?.settings.priority).toBe('normal')
      const runId = trainLab.current!.id
      fake.emit({ type: 'state', runId, state: 'running' })
      await flush()
      expect((group as HTMLFieldSetElement).disabled).toBe(true)
      fake.emit({ type: 'state', runId, state: 'stopped' })
      await flush()
      expect((group as HTMLFieldSetElement).disabled).toBe(false)
    })

    it('is offered only where the host says the choice does something (app:info priorityChoice), not by platform', async () => {
      for (const [platform, priorityChoice] of [['darwin', false], ['linux', false], ['linux', true]] as const) {
        const host = new FakeLab()
        host.handlers['app:info'] = () => ({ ok: true, value: { version: '0.1.0', transport: 'web', threads: 2, platform, priorityChoice } })
        const lab = new TrainLab()
        lab.connect(host)
        await flush()
        expect(lab.priorityChoice, `${platform} ${priorityChoice}`).toBe(priorityChoice)
      }
      expect(trainLab.priorityChoice).toBe(true)
    })
  })
})

describe('continue at normal priority', () => {
  async function starvedRun(fake: FakeLab, lab: TrainLab) {
    const run = (await lab.start(SIMPLE_CONVNET, settings))!
    fake.emit({ type: 'state', runId: run.id, state: 'running' })
    fake.emit({ type: 'batches', runId: run.id, points: [pt(1, 1), pt(1, 2), pt(1, 3), pt(1, 4), pt(2, 1), pt(2, 2), pt(2, 3), pt(2, 4), pt(3, 1)] })
    fake.emit({ type: 'cpu', runId: run.id, starved: true })
    return run
  }

  it('stops the run, then continues it at normal priority from the host\'s model for the epochs it had left', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    const run = await starvedRun(fake, lab)
    expect(run.starved).toBe(true)
    const next = await lab.continueAtNormalPriority(SIMPLE_CONVNET)
    expect(fake.channels().filter((c) => c.startsWith('train:'))).toEqual(['train:start', 'train:stop', 'train:start'])
    expect(run.state).toBe('stopped')
    // it was in its third epoch of five: epochs 4 and 5 are left, and the continuation numbers them on
    expect(starts(fake)[1]).toEqual({ spec: SIMPLE_CONVNET, settings: { ...settings, priority: 'normal', epochs: 2 }, from: 'model', epochOffset: 3 })
    expect(next?.continues?.runId).toBe(run.id)
    expect(lab.current).toBe(next)
    expect(lab.form.priority).toBe('normal')
    expect(lab.switching).toBeNull()
  })

  it('keeps the learning rate changed while the run trained', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    await starvedRun(fake, lab)
    expect(await lab.setLr(0.0002)).toBe(true)
    const next = await lab.continueAtNormalPriority(SIMPLE_CONVNET)
    expect(starts(fake)[1].settings).toEqual({ ...settings, lr: 0.0002, priority: 'normal', epochs: 2 })
    expect(next?.lr).toBe(0.0002)
  })

  it('does not continue a run that finished or failed before it stopped, nor when the stop is refused', async () => {
    const fake = new FakeLab()
    fake.echoState = false
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    const run = await starvedRun(fake, lab)
    const switched = lab.continueAtNormalPriority(SIMPLE_CONVNET)
    await flush()
    expect(lab.switching).toBe(run.id)
    fake.emit({ type: 'state', runId: run.id, state: 'done' })
    expect(await switched).toBeNull()
    expect(starts(fake)).toHaveLength(1)

    const second = await starvedRun(fake, lab)
    fake.handlers['train:stop'] = () => ({ ok: false, error: { code: 'bad-state', message: 'nothing to stop', params: { case: 'stop', state: 'stopped' } } })
    expect(await lab.continueAtNormalPriority(SIMPLE_CONVNET)).toBeNull()
    expect(lab.switching).toBeNull()
    expect(second.state).toBe('running')
    expect(starts(fake)).toHaveLength(2)
  })

  describe('on the training page', () => {
    const fake = pageFake
    afterAll(leavePage)

    it('the starved notice has the button (ko), says what happens while the run stops, and goes when the continuation trains', async () => {
      fake.echoState = false
      await showPage(fake, 'ko')
      const run = await starvedRun(fake, trainLab)
      project.trained = true
      await flush()
      const button = screen.getByTestId('train-cpu-normal')
      expect(button.textContent).toContain('보통 우선순위로 계속하기')
      expect(screen.getByTestId('train-cpu-starved').textContent).toContain('같은 가중치에서')
      await fireEvent.click(button)
      await flush()
      expect(screen.getByTestId('train-cpu-switching').textContent).toContain('미니배치가 끝나면')
      expect(screen.queryByTestId('train-cpu-normal')).toBeNull()
      fake.emit({ type: 'state', runId: run.id, state: 'stopped' })
      await flush()
      await flush()
      const next = trainLab.current!
      expect(next.id).not.toBe(run.id)
      expect(starts(fake).at(-1)).toMatchObject({ from: 'model', epochOffset: 3, settings: { priority: 'normal', epochs: 2 } })
      fake.emit({ type: 'state', runId: next.id, state: 'running' })
      await flush()
      expect(screen.queryByTestId('train-cpu-starved')).toBeNull()
      expect((screen.getByTestId('train-priority-normal') as HTMLInputElement).checked).toBe(true)
    })

    it('when the stopped run cannot be carried on (it was starved before its first batch), names a button the page has', async () => {
      fake.echoState = false
      await showPage(fake, 'ko')
      const run = (await trainLab.start(SIMPLE_CONVNET, settings))!
      fake.emit({ type: 'state', runId: run.id, state: 'running' })
      fake.emit({ type: 'cpu', runId: run.id, starved: true })
      await flush()
      await fireEvent.click(screen.getByTestId('train-cpu-normal'))
      await flush()
      fake.emit({ type: 'state', runId: run.id, state: 'stopped' })
      await flush()
      await flush()
      expect(trainLab.current).toBe(run)
      expect(screen.queryByTestId('train-continue')).toBeNull()
      const said = screen.getByTestId('train-error').textContent ?? ''
      const named = /"([^"]+)"/.exec(said)?.[1]
      expect(named).toBeTruthy()
      const button = screen.getAllByRole('button').find((b) => b.textContent?.trim() === named)
      expect(button, `a button "${named}"`).toBeTruthy()
      expect((button as HTMLButtonElement).disabled).toBe(false)
    })
  })
})
