/**
 * Start stays disabled (lab.busy) until its answer is back, whatever other request comes back meanwhile: a probe image
 * picked while the host counts the text of a language model (seconds for a long one) gave Start back, and a second press
 * asked the host for a second run.
 */
import { describe, expect, it } from 'vitest'
import { TrainLab } from '../../../src-renderer/lib/train.svelte'
import type { Result } from '../../../src-main/ipc/contract'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

describe('the page waits for every request it sent', () => {
  it('stays busy while Start waits, though the probe\'s answer came back meanwhile', async () => {
    const fake = new FakeLab()
    let answer: (r: Result<unknown>) => void = () => {}
    fake.handlers['train:start'] = () => new Promise((resolve) => (answer = resolve))
    const lab = new TrainLab()
    lab.connect(fake)
    await flush()
    await lab.loadSamples(4)
    const started = lab.start(SIMPLE_CONVNET)
    expect(lab.busy).toBe(true)
    await lab.setProbe(1)
    expect(lab.probeIndex).toBe(1)
    // the old page: false here, and Start could be pressed again
    expect(lab.busy).toBe(true)
    answer({ ok: true, value: { runId: 'run-1' } })
    expect((await started)?.id).toBe('run-1')
    expect(lab.busy).toBe(false)
  })
})
