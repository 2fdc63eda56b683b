/**
 * When not even two threads fit a network's memory, the threads refusal at Start and the training page's cost note
 * name the one count there is: "Set “Threads” to 1", not "1 or fewer" (which offers zero threads too). Two or more
 * that fit keep "N or fewer". Before, both said "Set “Threads” to 1 or fewer" (ko "1개 이하로"); these tests fail on that.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import CostNote from '../../../src-renderer/components/editor/CostNote.svelte'
import { refusal } from '../../../src-renderer/lib/lab-errors'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { validateSpec } from '../../../src-engine/spec'
import { threadsThatFit } from '../../../src-engine/spec-lint'
import type { NetSpec } from '../../../src-engine/spec-types'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

const refused = (fits: number): string =>
  tr(refusal({ code: 'train-failed', message: 'host words', params: { case: 'threads', threads: 4, needs: 2500, limit: 2048, fits } }))

describe('the threads refusal when one thread fits', () => {
  it('says to set Threads to 1, and "N or fewer" when more fit (en, ko)', () => {
    expect(refused(1)).toBe('Training did not start: on 4 threads this network needs about 2,500 MB, since every thread keeps its own copy of the weights and of their gradients, and the lab allows 2,048 MB. Set “Threads” to 1 and press Start again.')
    expect(refused(3)).toMatch(/Set “Threads” to 3 or fewer and press Start again\.$/)
    i18n.set('ko')
    expect(refused(1)).toMatch(/ 2,048 MB까지만 허용합니다\. “스레드”를 1로 바꾼 뒤 다시 시작하세요\.$/)
    expect(refused(3)).toMatch(/“스레드”를 3개 이하로 바꾼 뒤 다시 시작하세요\.$/)
  })
})

describe("the training page's cost note when one thread fits", () => {
  /** About 1.8 GiB on one thread: two threads' copies of its 71.6 M parameters take it past 2 GiB. */
  const wide: NetSpec = { input: [1, 28, 28], task: 'classify', layers: [{ type: 'Flatten' }, { type: 'Affine', units: 90000 }, { type: 'Relu' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
  const report = validateSpec(wide)

  it('says to set Threads to 1 (en, ko)', () => {
    expect(threadsThatFit(report.memoryBytes!, report.totalParams, 3)).toBe(1)
    for (const lang of ['en', 'ko'] as const) {
      cleanup()
      i18n.set(lang)
      render(CostNote, { props: { spec: wide, report, names: [], threads: 3 } })
      const note = screen.getByTestId('cost-threads').textContent!
      if (lang === 'en') expect(note).toMatch(/^On 3 threads this network needs about \d{1,3}(,\d{3})* MB, .*: Start would refuse it\. Set “Threads” to 1\.$/)
      else expect(note).toMatch(/이대로는 시작되지 않습니다\. “스레드”를 1로 바꾸세요\.$/)
    }
  })
})
