/** A request the host refuses shows the host's words after a sentence in the page's language. */
import { afterAll, describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import TrainPage from '../../../src-renderer/pages/TrainPage.svelte'
import { setLab } from '../../../src-renderer/lib/lab'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, flush } from './fake-lab'

describe('a refused training request', () => {
  const fake = new FakeLab()
  fake.handlers['train:start'] = () => ({ ok: false, error: { code: 'busy', message: 'Run r7 is still running; stop it before starting another.' } })
  setLab(fake)
  i18n.set('en')
  afterAll(() => {
    setLab(null)
    trainLab.error = null
    i18n.set('en')
  })

  it('is explained in the current language, with the host\'s detail kept', async () => {
    render(TrainPage)
    await flush()
    await flush()
    await fireEvent.click(screen.getByTestId('train-start'))
    await flush()
    const box = screen.getByTestId('train-error')
    expect(box.textContent).toContain('The lab could not do that: Run r7 is still running; stop it before starting another.')
    i18n.set('ko')
    await flush()
    expect(box.textContent).toContain('실험실이 요청을 처리하지 못했습니다: Run r7 is still running')
    // a message of the page's own is translated whole
    trainLab.error = 'train.errNoSpec'
    await flush()
    expect(screen.getByTestId('train-error').textContent).toContain('아직 학습할 신경망이 없습니다')
  })
})
