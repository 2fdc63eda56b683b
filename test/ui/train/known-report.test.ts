/**
 * A run of the editor's architecture takes its multiply-adds (the measured speed's figure) from the editor's report
 * for that spec instead of validating it again; a spec the page holds no report for is validated as before.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { project } from '../../../src-renderer/lib/project.svelte'
import { editor } from '../../../src-renderer/lib/editor.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { validateSpec } from '../../../src-renderer/components/editor/engine'
import { validateSpec as engineValidate } from '../../../src-engine/spec'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

vi.mock('../../../src-renderer/components/editor/engine', async (original) => {
  const m = await original<typeof import('../../../src-renderer/components/editor/engine')>()
  return { ...m, validateSpec: vi.fn(m.validateSpec) }
})

afterEach(() => {
  project.spec = null
  trainLab.runs = []
})

describe("a run's multiply-adds", () => {
  it("come from the editor's report for the same spec, and from validating any other", async () => {
    const fake = new FakeLab()
    const stop = trainLab.connect(fake)
    await flush()
    project.spec = structuredClone(SIMPLE_CONVNET)
    const report = editor.report!
    vi.mocked(validateSpec).mockClear()
    const run = (await trainLab.start(project.spec))!
    expect(validateSpec).not.toHaveBeenCalled()
    expect(run.macsPerExample).toBe(report.totalMacs)
    // a spec that is not the editor's (a default preset while the editor has none) is validated here
    const other = { ...SIMPLE_CONVNET, layers: SIMPLE_CONVNET.layers.map((l) => (l.type === 'Convolution' ? { ...l, filters: 8 } : l)) }
    const second = (await trainLab.start(other))!
    expect(validateSpec).toHaveBeenCalledTimes(1)
    expect(second.macsPerExample).toBe(engineValidate(other).totalMacs)
    expect(second.macsPerExample).toBeLessThan(run.macsPerExample)
    stop()
  })
})
