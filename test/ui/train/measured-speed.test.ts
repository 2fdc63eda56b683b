/**
 * This computer's measured speed: a run's examples a second times its network's multiply-adds per example becomes
 * the cost note's rate (remembered like the theme), which the note names; the note shows on the training page too,
 * before Start.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { TrainLab, trainLab } from '../../../src-renderer/lib/train.svelte'
import { labSpeed, parseSpeed, measuredSpeed, MIN_BATCHES } from '../../../src-renderer/lib/speed.svelte'
import { costNote, MEASURED_MACS_PER_SECOND } from '../../../src-renderer/components/editor/cost'
import { presetById } from '../../../src-engine/models/presets'
import { validateSpec } from '../../../src-engine/spec'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'
import { openEditor } from '../editor/helpers'

/** The char-lstm preset with a 1,024-unit LSTM: ~6 min an epoch at the benchmark rate (a 4,096-unit one no longer fits in memory). */
const bigLstm = (): NetSpec => {
  const spec = structuredClone(presetById('char-lstm')!.spec)
  spec.vocab = 65
  for (const l of spec.layers) if (l.type === 'TimeLSTM') l.hidden = 1024
  return spec
}

afterEach(() => {
  cleanup()
  labSpeed.forget()
  i18n.set('en')
})

describe("this computer's speed", () => {
  it('is measured by a run once past its first mini-batches, and settled when it ends', async () => {
    const fake = new FakeLab()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    const run = (await lab.start(SIMPLE_CONVNET))!
    const macs = validateSpec(SIMPLE_CONVNET).totalMacs
    fake.emit({ type: 'batches', runId: run.id, points: [{ epoch: 1, batch: MIN_BATCHES - 1, batches: 80, loss: 1, examplesPerSec: 2000 }] })
    // too early: the first batches include warming up
    expect(labSpeed.measured).toBeNull()
    fake.emit({ type: 'batches', runId: run.id, points: [{ epoch: 1, batch: MIN_BATCHES, batches: 80, loss: 1, examplesPerSec: 3000 }] })
    expect(labSpeed.measured).toMatchObject({ threads: 2, macsPerExample: macs, specName: SIMPLE_CONVNET.name ?? '' })
    expect(labSpeed.measured!.macsPerSecond).toBeCloseTo(run.examplesPerSec * macs, 0)
    fake.emit({ type: 'batches', runId: run.id, points: [{ epoch: 2, batch: 5, batches: 80, loss: 1, examplesPerSec: 4000 }] })
    // while it trains the early figure stands; when it ends, its settled average
    expect(labSpeed.measured!.examplesPerSec).toBe(2200)
    fake.emit({ type: 'state', runId: run.id, state: 'done' })
    expect(labSpeed.measured!.examplesPerSec).toBeCloseTo(2560, 6)
    // kept for the next session, and read back field by field
    expect(parseSpeed(localStorage.getItem('backprop-lab.speed'))).toEqual(labSpeed.measured)
    // a run starved of CPU by other programs measured them, not this computer: the last figure stays
    const before = labSpeed.measured
    const starved = (await lab.start(SIMPLE_CONVNET))!
    fake.emit({ type: 'cpu', runId: starved.id, starved: true })
    fake.emit({ type: 'batches', runId: starved.id, points: [{ epoch: 1, batch: 40, batches: 80, loss: 1, examplesPerSec: 50 }] })
    fake.emit({ type: 'state', runId: starved.id, state: 'stopped' })
    expect(labSpeed.measured).toBe(before)
  })

  it('ignores a stored speed that is damaged or says nothing', () => {
    expect(parseSpeed('not json')).toBeNull()
    expect(parseSpeed('{"examplesPerSec":"fast","macsPerExample":1,"threads":1}')).toBeNull()
    expect(parseSpeed('{"examplesPerSec":-5,"macsPerExample":1000,"threads":1}')).toBeNull()
    expect(parseSpeed('{"examplesPerSec":100,"macsPerExample":1000,"threads":0}')).toBeNull()
    expect(parseSpeed('null')).toBeNull()
    expect(parseSpeed(JSON.stringify(measuredSpeed(100, 1000, 2, 'x')))).toMatchObject({ macsPerSecond: 100_000, threads: 2 })
  })

  it("estimates with this computer's rate and says so, in English and Korean", () => {
    const spec = bigLstm()
    const report = validateSpec(spec)
    // twice the benchmark rate: half the time
    expect(costNote(spec, report, 2 * MEASURED_MACS_PER_SECOND)!.epochSeconds).toBeCloseTo(costNote(spec, report)!.epochSeconds / 2, 6)
    labSpeed.record(measuredSpeed(500, 12.4e6, 2, 'keras-cnn')!)
    openEditor(spec)
    expect(screen.getByTestId('cost-slow').textContent).toMatch(
      /will take about 3 min: [\d,]+ multiply-adds per example forward, at the rate your last run trained at on this computer \(6\.2 billion a second: keras-cnn on 2 thread\(s\), 500 examples a second\)\.$/
    )
    cleanup()
    openEditor(spec, 'ko')
    expect(screen.getByTestId('cost-slow').textContent).toMatch(/약 3분 걸립니다\..*이 컴퓨터에서 마지막으로 학습한 속도\(초당 약 62억 번: keras-cnn, 스레드 2개, 초당 샘플 500개\)\u2060로 계산했습니다\.$/)
  })

  it('shows the note on the training page before Start, not while the run trains', async () => {
    const fake = new FakeLab()
    setLab(fake)
    trainLab.runs = []
    trainLab.currentId = null
    project.spec = bigLstm()
    project.presetId = null
    render(TrainPage)
    await flush()
    expect(screen.getByTestId('cost-slow').textContent).toContain('about 6 min')
    expect(screen.getByTestId('cost-slow').textContent).toContain('2-core test computer')
    expect(screen.getByTestId('cost-fix').textContent).toBe('To make it lighter: a smaller hidden size on lstm1.')
    await fireEvent.click(screen.getByTestId('train-start'))
    await flush()
    expect(screen.queryByTestId('cost-note')).toBeNull()
    setLab(null)
    project.spec = null
  })
})
