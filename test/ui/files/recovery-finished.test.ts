/**
 * The recovery banner words a run that trained all its epochs as finished (Q8's F7: "continue where training stopped?"
 * was asked of a 2/2-epoch run), and keeps "where training stopped" for one cut off part-way.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import RecoveryBanner from '../../../src-renderer/components/files/RecoveryBanner.svelte'
import { files } from '../../../src-renderer/lib/files.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

afterEach(() => {
  cleanup()
  files.recovery = null
  i18n.lang = 'en'
})

function bannerText(finished: boolean, lang: 'en' | 'ko'): string {
  i18n.lang = lang
  files.recovery = { savedAt: '2026-11-27T07:11:26Z', epoch: 2, specName: 'My network', runs: 1, ...(finished ? { finished: { epochs: 2 } } : {}) }
  render(RecoveryBanner)
  flushSync()
  const text = screen.getByTestId('recovery-banner').textContent ?? ''
  cleanup()
  return text
}

describe('the recovery banner of a finished run', () => {
  it('says the run finished and does not offer to continue where it stopped', () => {
    const en = bannerText(true, 'en')
    expect(en).toContain('finished training of My network (epoch 2/2, all done) was not saved')
    expect(en).not.toContain('where training stopped')
    const ko = bannerText(true, 'ko')
    expect(ko).toContain('My network의 학습(에폭 2/2, 모두 마침)\u2060을 저장하지 않았습니다')
    expect(ko).not.toContain('멈춘 곳')
  })
  it('keeps "where training stopped" for a run cut off part-way', () => {
    expect(bannerText(false, 'en')).toContain('continue where training stopped')
    expect(bannerText(false, 'ko')).toContain('학습이 멈춘 곳부터 이어 갈까요')
  })
})
