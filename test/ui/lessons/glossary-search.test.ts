/**
 * The glossary's search says when it finds nothing (Q1 F7: "zzz" left the table's header row and nothing under it), in
 * a polite status region that is on the page before its text, so a screen reader hears it (en, ko); the message goes
 * when a term matches again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { TERM_IDS } from '../../../src-renderer/lib/glossary'
import Glossary from '../../../src-renderer/components/lessons/Glossary.svelte'

afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('the glossary search', () => {
  it('says that no term matches, politely to a screen reader, and clears it when one does (en, ko)', async () => {
    render(Glossary)
    const none = screen.getByTestId('glossary-none')
    expect(none.getAttribute('role')).toBe('status')
    expect(none.textContent).toBe('')
    const search = screen.getByRole('searchbox')
    await fireEvent.input(search, { target: { value: '  zzz ' } })
    expect(screen.queryAllByTestId('glossary-row')).toHaveLength(0)
    // the same element, there before: its text is what changed
    expect(screen.getByTestId('glossary-none')).toBe(none)
    expect(none.textContent).toBe('No term matches “zzz”. Try part of a word, in Korean or English.')
    i18n.set('ko')
    flushSync()
    expect(none.textContent).toBe('“zzz”에 맞는 용어가 없습니다. 단어의 일부만 한국어나 영어로 입력해 보세요.')
    await fireEvent.input(search, { target: { value: '드롭' } })
    expect(screen.getAllByTestId('glossary-row').length).toBeGreaterThan(0)
    expect(none.textContent).toBe('')
    await fireEvent.input(search, { target: { value: '' } })
    expect(screen.getAllByTestId('glossary-row')).toHaveLength(TERM_IDS.length)
  })
})
