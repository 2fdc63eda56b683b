/**
 * Beside the training form the cost note counts the form's threads: on more than one thread every thread keeps its own
 * copy of the weights and their gradients (spec-lint.ts threadsMemoryBytes), and a run on more threads than fit is
 * refused at Start (lab-host.ts refuseThreads). The note now says so before Start, with the count that fits, in en
 * and ko; the editor's note stays the one-thread estimate. Before, the page showed the one-thread figure whatever the
 * form said (no note at all for this network on 4 or 8 threads).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
import { validateSpec } from '../../../src-engine/spec'
import { threadsMemoryBytes, threadsThatFit } from '../../../src-engine/spec-lint'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FakeLab, flush } from './fake-lab'
import { openEditor } from '../editor/helpers'

afterEach(() => {
  cleanup()
  setLab(null)
  trainLab.form = defaultsFor(null, 1)
  project.spec = null
  i18n.set('en')
})

/** 23.85 million parameters: about 0.49 GiB on one thread, 1.75 GiB on four, over the 2 GiB limit on five. */
const wide: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 30000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }

async function page(threads: number, lang: 'en' | 'ko' = 'en'): Promise<void> {
  cleanup()
  i18n.set(lang)
  setLab(new FakeLab())
  project.spec = structuredClone(wide)
  render(TrainPage)
  await flush()
  // after the host's app:info, which sets the form to the computer's thread count
  trainLab.form = { ...trainLab.form, threads }
  await flush()
}

describe("the training page's cost note and the form's threads", () => {
  it('counts the replicas of the chosen threads, and names the count that fits before Start (en, ko)', async () => {
    const report = validateSpec(wide)
    expect(report.memoryBytes! / 2 ** 30).toBeCloseTo(0.49, 2)
    await page(1)
    expect(screen.queryByTestId('cost-note')).toBeNull()
    await page(4)
    expect(screen.getByTestId('cost-memory').textContent).toMatch(/^On 4 threads, training needs about 1\.75 GiB of memory/)
    expect(screen.queryByTestId('cost-threads')).toBeNull()
    await page(8)
    const over = screen.getByTestId('cost-threads')
    expect(over.textContent).toMatch(/^On 8 threads this network needs about \d{1,3}(,\d{3})* MB, .* the lab allows 2,048 MB: Start would refuse it\. Set “Threads” to 4 or fewer\.$/)
    // the figures of the host's refusal at Start (lab-host.ts refuseThreads)
    expect(threadsThatFit(report.memoryBytes!, report.totalParams, 8)).toBe(4)
    const needs = Math.ceil(threadsMemoryBytes(report.memoryBytes!, report.totalParams, 8) / 2 ** 20)
    expect(over.textContent).toContain(`about ${needs.toLocaleString('en-US')} MB`)
    expect(screen.queryByTestId('cost-memory')).toBeNull()
    await page(8, 'ko')
    expect(screen.getByTestId('cost-threads').textContent).toBe(`스레드마다 가중치와 기울기의 사본을 한 벌씩 따로 두어야 해서, 스레드 8개로는 이 신경망에 약 ${needs.toLocaleString('ko-KR')} MB가 필요합니다. 실험실은 2,048 MB까지만 허용하므로 이대로는 시작되지 않습니다. “스레드”를 4개 이하로 바꾸세요.`)
  })

  it('leaves the editor’s note at the one-thread estimate, whatever the form says', () => {
    trainLab.form = { ...defaultsFor(wide, 1), threads: 8 }
    openEditor(structuredClone(wide))
    expect(screen.queryByTestId('cost-note')).toBeNull()
  })
})
