/**
 * The feature maps' probe images come from the data the shown run trains on (Q1 F14): data:samples names the source
 * (the current run's, else the form's), the images are asked for again when it changes, a probe picked among the old
 * images moves to the new ones, and a folder that gives none is said beside the maps, not shown as digits.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import FeatureMaps from '../../../src-renderer/components/train/FeatureMaps.svelte'
import { SAMPLES_SETTLE_MS, TrainLab, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import type { DataSource, TrainSettings } from '../../../src-engine/protocol'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

const digits: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 1, weightDecay: 0, seed: 1, threads: 1 }

/** A host whose images say where they came from: grey 0.5 for a folder's, 0.25 for the digits; a folder "/bad" fails. */
function fakeHost(): FakeLab {
  const fake = new FakeLab()
  fake.handlers['data:samples'] = (p) => {
    const { count, data } = p as { count: number; data?: DataSource }
    if (data?.kind === 'idx' && data.dir === '/bad') {
      return { ok: false, error: { code: 'data-unavailable', message: 'unreadable', params: { case: 'idx', dir: '/bad', detail: 'No t10k-images-idx3-ubyte(.gz) in /bad' } } }
    }
    const grey = data?.kind === 'idx' ? 0.5 : 0.25
    return { ok: true, value: { images: Array.from({ length: count }, (_, i) => new Array(784).fill(grey + i / 1000)), labels: Array.from({ length: count }, (_, i) => i % 10) } }
  }
  return fake
}

/** Past the pause the page waits for before asking for a folder typed into the form (SAMPLES_SETTLE_MS). */
async function settled(): Promise<void> {
  await new Promise((r) => setTimeout(r, SAMPLES_SETTLE_MS + 20))
  await flush()
  await flush()
}

const asked = (fake: FakeLab): unknown[] => fake.calls.filter((c) => c.channel === 'data:samples').map((c) => (c.payload as { data?: unknown }).data)

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('probe images from the run\'s data', () => {
  it('asks for the form\'s data, then the current run\'s, and moves a picked probe to the new images', async () => {
    const fake = fakeHost()
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    lab.form = { ...lab.form, dataKind: 'idx', idxDir: ' /data/fashion ' }
    await lab.loadSamples(4)
    expect(asked(fake)).toEqual([{ kind: 'idx', dir: '/data/fashion' }])
    expect(lab.samples?.images[0][0]).toBe(0.5)
    await lab.setProbe(2)
    // the same data again: nothing asked
    lab.ensureSamples()
    await flush()
    expect(asked(fake)).toHaveLength(1)

    // a run on the digits is shown: its images, and the probe moves to the digit in its place
    expect(await lab.start(SIMPLE_CONVNET, digits)).not.toBeNull()
    lab.ensureSamples()
    await flush()
    await flush()
    expect(asked(fake).at(-1)).toEqual({ kind: 'mnist' })
    expect(lab.samples?.images[2][0]).toBeCloseTo(0.252, 9)
    const probe = fake.calls.filter((c) => c.channel === 'train:set-probe').at(-1)!
    expect((probe.payload as { input: number[] }).input).toEqual(lab.samples!.images[2])
    expect(lab.probeIndex).toBe(2)

    // a text has no images; the probe picked is dropped
    fake.handlers['data:samples'] = () => ({ ok: true, value: { images: [], labels: [] } })
    await lab.loadSamples(12, 7, { kind: 'text', file: 'builtin' })
    expect(lab.samples?.images).toEqual([])
    expect(lab.probeIndex).toBeNull()
  })

  it('says why a folder gives no images, in the panel, and shows the images once the data can give them', async () => {
    const fake = fakeHost()
    trainLab.connect(fake)
    await flush()
    trainLab.form = { ...trainLab.form, dataKind: 'idx', idxDir: '/bad' }
    render(FeatureMaps, { props: { run: null } })
    await settled()
    expect(asked(fake).at(-1)).toEqual({ kind: 'idx', dir: '/bad' })
    const note = screen.getByTestId('probe-problem')
    expect(note.textContent).toContain('The images of the folder /bad could not be read')
    expect(screen.queryByTestId('probe-0')).toBeNull()
    expect(tr(trainLab.samplesProblem!)).toContain('t10k-images')

    i18n.set('ko')
    await flush()
    expect(screen.getByTestId('probe-problem').textContent).toContain('/bad 폴더의 이미지를 읽지 못해')

    // the form back on the digits: asked again, the images shown and the note gone
    trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    await flush()
    await flush()
    expect(asked(fake).at(-1)).toEqual({ kind: 'mnist' })
    expect(screen.getByTestId('probe-0')).toBeTruthy()
    expect(screen.queryByTestId('probe-problem')).toBeNull()
  })

  it('asks for a folder typed into the form once the typing pauses, not for each partial path', async () => {
    const fake = fakeHost()
    trainLab.connect(fake)
    await flush()
    trainLab.form = { ...trainLab.form, dataKind: 'mnist' }
    render(FeatureMaps, { props: { run: null } })
    await flush()
    const before = asked(fake).length
    for (const dir of ['/d', '/da', '/dat', '/data']) {
      trainLab.form = { ...trainLab.form, dataKind: 'idx', idxDir: dir }
      await flush()
    }
    expect(asked(fake)).toHaveLength(before)
    expect(screen.queryByTestId('probe-problem')).toBeNull()
    await settled()
    expect(asked(fake).slice(before)).toEqual([{ kind: 'idx', dir: '/data' }])
  })
})
