/**
 * The glossary's search says when it finds nothing (Q1 F7: "zzz" left the table's header row and nothing under it), in
 * a polite status region that is on the page before its text, so a screen reader hears it (en, ko); the message goes
 * when a term matches again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { ALIASES, TERM_IDS, searchRank, TERMS } from '../../../src-renderer/lib/glossary'
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

  it('finds the spellings students type (에포크, 오버피팅, 러닝레이트, 렐루, lr), and lists the term named first (Q3 F18)', async () => {
    i18n.set('ko')
    render(Glossary)
    const search = screen.getByRole('searchbox')
    const first = async (query: string): Promise<string | undefined> => {
      await fireEvent.input(search, { target: { value: query } })
      return screen.queryAllByTestId('glossary-row')[0]?.id
    }
    const cases: [string, string][] = [
      ['에포크', 'term-epoch'], ['오버피팅', 'term-overfitting'], ['러닝레이트', 'term-learningRate'], ['러닝 레이트', 'term-learningRate'],
      ['렐루', 'term-activation'], ['lr', 'term-learningRate'], ['LR', 'term-learningRate'], ['mini batch', 'term-miniBatch'],
      // the term's own row above the rows whose definitions mention it (가나다 put 매개변수 first, 가중치 before 손실 함수)
      ['스트라이드', 'term-stride'], ['손실', 'term-loss'], ['과적합', 'term-overfitting'], ['커널', 'term-filter'], ['키', 'term-key']
    ]
    for (const [query, id] of cases) expect([query, await first(query)]).toEqual([query, id])
    // after the names come the definitions: 스트라이드 is still found in 매개변수's
    await fireEvent.input(search, { target: { value: '스트라이드' } })
    expect(screen.getAllByTestId('glossary-row').map((r) => r.id)).toEqual(['term-stride', 'term-parameter'])
    i18n.set('en')
    flushSync()
    expect(await first('overfit')).toBe('term-overfitting')
    expect(await first('epochs')).toBe('term-epoch')
  })

  it('ranks an exact name, then a name\'s start, then a name holding the query, then a definition', () => {
    const row = { id: 'maxPooling' as const, ...TERMS.maxPooling, def: 'keeps the largest value of each window' }
    expect([searchRank(row, '최대 풀링'), searchRank(row, 'max'), searchRank(row, '풀링'), searchRank(row, 'largest'), searchRank(row, 'zzz')]).toEqual([0, 1, 2, 3, null])
    expect(searchRank(row, '맥스풀링')).toBe(0)
    expect(searchRank(row, '   ')).toBe(0)
  })

  it('finds a Korean definition typed with a closing bracket and its particle, as the catalogue\'s word joiner is not typed', () => {
    // the Korean definitions carry U+2060 after ')' (0b08824): '(코드)\u2060를 거쳐' is read, and typed, '(코드)를 거쳐'
    const row = { id: 'autoencoder' as const, ...TERMS.autoencoder, def: '가운데가 좁은 통로(코드)\u2060를 거쳐 자기 입력을 그대로 출력하도록' }
    expect([searchRank(row, '(코드)를 거쳐'), searchRank(row, '통로(코드)\u2060를'), searchRank(row, '오토인코더\u2060')]).toEqual([3, 3, 0])
  })

  it('gives each alias to one term only, never another term\'s name, so a search for it lists that term first', () => {
    const squeeze = (s: string): string => s.toLowerCase().replace(/[\s-]+/g, '')
    const owner = new Map<string, string>(TERM_IDS.flatMap((id) => [[squeeze(TERMS[id].ko), id], [squeeze(TERMS[id].en), id]] as [string, string][]))
    for (const [id, aliases] of Object.entries(ALIASES)) {
      for (const a of aliases) {
        expect([a, owner.get(squeeze(a)) ?? id]).toEqual([a, id])
        owner.set(squeeze(a), id)
      }
    }
  })
})
