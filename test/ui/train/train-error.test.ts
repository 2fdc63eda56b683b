/**
 * A request the host refuses is worded in the page's language from its code and params, and that wording speaks
 * for itself: no lead before it (the Korean threads refusal read "실험실이 요청을 처리하지 못했습니다: 학습을 시작하지
 * 않았습니다. …", the failure said twice; on the old train.svelte.ts every case here but the last had that lead). A
 * code the page has no words for shows the host's English words after a translated lead.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n, msg, type Lang } from '../../../src-renderer/i18n/index.svelte'
import type { LabError } from '../../../src-main/ipc/contract'
import { FakeLab, flush } from './fake-lab'

describe('a refused training request', () => {
  const fake = new FakeLab()
  setLab(fake)
  i18n.set('en')
  afterAll(() => {
    setLab(null)
    trainLab.error = null
    i18n.set('en')
  })

  /** Renders the page, has the host refuse Start with `error`, and returns the error box. */
  async function refusedStart(error: LabError): Promise<HTMLElement> {
    document.body.innerHTML = ''
    fake.handlers['train:start'] = () => ({ ok: false, error })
    render(TrainPage)
    await flush()
    await flush()
    await fireEvent.click(screen.getByTestId('train-start'))
    await flush()
    return screen.getByTestId('train-error')
  }

  async function switchTo(lang: Lang): Promise<void> {
    i18n.set(lang)
    await flush()
  }

  it('is worded in the current language from its code, and follows a switch', async () => {
    const box = await refusedStart({ code: 'busy', message: 'Run r7 is still running; stop it before starting another.', params: { case: 'start', state: 'running' } })
    const said = (): string => box.querySelector('span')!.textContent!
    expect(said()).toBe('A run is still training or paused: stop it before starting another.')
    await switchTo('ko')
    expect(said()).toBe('학습이 아직 진행 중이거나 일시 정지되어 있습니다. 다른 학습을 시작하기 전에 멈추세요.')
    expect(box.textContent).not.toContain('Run r7')
    // a message of the page's own is translated whole
    trainLab.error = msg('train.errNoSpec')
    await flush()
    expect(screen.getByTestId('train-error').textContent).toContain('아직 학습할 신경망이 없습니다')
    await switchTo('en')
  })

  it('names the architecture\'s first error as the editor words it', async () => {
    const issue = {
      severity: 'error' as const, layer: 0, layerName: 'conv1', field: 'filters', code: 'field-out-of-range',
      message: 'conv1: "filters" must be a whole number of at least 1 (got 0).', values: { field: 'filters', value: 0 }
    }
    const box = await refusedStart({ code: 'invalid-spec', message: issue.message, path: 'spec.layers.0.filters', issue })
    expect(box.querySelector('span')!.textContent).toMatch(/^The architecture has an error, so nothing was started: conv1: 0 is not allowed for/)
    await switchTo('ko')
    expect(box.textContent).toContain('구조에 오류가 있어 시작하지 않았습니다: conv1')
    expect(box.textContent).not.toContain('must be')
    await switchTo('en')
  })

  it('says a refusal for the threads once, in Korean too', async () => {
    const box = await refusedStart({
      code: 'train-failed', message: 'Training did not start: on 3 threads the network needs about 2383 MB (…); set threads to 2 or fewer.',
      params: { case: 'threads', threads: 3, needs: 2383, limit: 2048, fits: 2 }, path: 'settings.threads'
    })
    expect(box.querySelector('span')!.textContent).toMatch(/^Training did not start: on 3 threads this network needs about 2,383 MB/)
    await switchTo('ko')
    const said = box.querySelector('span')!.textContent!
    expect(said).toMatch(/^학습을 시작하지 않았습니다\. /)
    expect(said).not.toContain('실험실이')
    await switchTo('en')
  })

  it('falls back to the host\'s English words for a code it cannot word, after a lead', async () => {
    let box = await refusedStart({ code: 'melted', message: 'The flux capacitor melted; let it cool.' })
    await switchTo('ko')
    expect(box.textContent).toContain('실험실이 요청을 처리하지 못했습니다: The flux capacitor melted; let it cool.')
    await switchTo('en')
    // a known code whose wording needs a value the error does not carry
    box = await refusedStart({ code: 'bad-project', message: 'x.bplab has no project.json; it is not a Backprop Lab project' })
    expect(box.textContent).toContain('The lab could not do that: x.bplab has no project.json')
  })
})
