/**
 * Nothing the learner drew is lost by one click or without a word (Q3's F16): "Remove all" and a thumbnail's removal
 * leave an Undo line that puts the drawings back (storage too) until the next drawing is added; at MAX_DRAWINGS
 * no more are added and the page says why, instead of the oldest being dropped silently.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import AddDrawing from '../../../src-renderer/components/draw/AddDrawing.svelte'
import { MAX_DRAWINGS, drawings } from '../../../src-renderer/lib/drawings.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

const image = (v: number): Float32Array => new Float32Array(784).fill(v)
const stored = (): number => (JSON.parse(localStorage.getItem('backprop-lab.drawings') ?? '[]') as unknown[]).length
/** `n` distinct drawings, labelled i % 10 (put in the list at once: adding 500 one by one writes storage 500 times). */
function fill(n: number): void {
  drawings.list = Array.from({ length: n }, (_, i) => {
    const im = new Array<number>(784).fill(0)
    im[i % 784] = 0.5
    im[(i * 7 + 3) % 784] += 0.25
    return { image: im, label: i % 10 }
  })
}

beforeEach(() => {
  drawings.clear()
  drawings.forgetRemoved()
})
afterEach(() => {
  cleanup()
  i18n.set('en')
})

describe('removing drawings', () => {
  it('Remove all leaves an Undo that puts every drawing back, in its place and in storage (en, ko)', async () => {
    fill(3)
    const labels = drawings.list.map((d) => d.label)
    render(AddDrawing, { image: null })
    await fireEvent.click(screen.getByTestId('drawn-clear'))
    expect(drawings.list).toHaveLength(0)
    expect(stored()).toBe(0)
    expect(screen.getByTestId('drawn-removed').textContent).toContain('Removed 3 drawings.')
    i18n.set('ko')
    await Promise.resolve()
    expect(screen.getByTestId('drawn-removed').textContent).toContain('그림 3개를 삭제했습니다.')
    await fireEvent.click(screen.getByTestId('drawn-undo'))
    expect(drawings.list.map((d) => d.label)).toEqual(labels)
    expect(stored()).toBe(3)
    expect(screen.queryByTestId('drawn-removed')).toBeNull()
  })

  it('a thumbnail removed, then the rest: one Undo brings back all of them; adding a drawing ends the offer', async () => {
    fill(4)
    const before = drawings.list
    drawings.remove(1)
    drawings.clear()
    expect(drawings.removed?.count).toBe(4)
    drawings.undo()
    expect(drawings.list).toEqual(before)
    drawings.remove(0)
    expect(drawings.add(image(0.9), 1)).toBe(true)
    expect(drawings.removed).toBeNull()
  })
})

describe('the most drawings kept', () => {
  afterEach(() => { drawings.limit = MAX_DRAWINGS })

  it(`at ${MAX_DRAWINGS} adds no more, instead of dropping the oldest`, () => {
    fill(MAX_DRAWINGS)
    const first = drawings.list[0]
    expect(drawings.add(image(0.77), 2)).toBe(false)
    expect(drawings.list).toHaveLength(MAX_DRAWINGS)
    expect(drawings.list[0]).toBe(first)
  })

  it('the page says so at the limit and turns the label buttons off (en, ko)', async () => {
    // a few stand for 500 here: 500 thumbnails take 2 s to draw in jsdom
    drawings.limit = 3
    fill(3)
    render(AddDrawing, { image: image(0.77) })
    expect(screen.getByTestId('drawn-full').textContent).toContain('That is 3 drawings, the most the lab keeps in this browser: to add this one, remove some first')
    expect(screen.getByTestId('draw-add-2').getAttribute('aria-disabled')).toBe('true')
    i18n.set('ko')
    await Promise.resolve()
    expect(screen.getByTestId('drawn-full').textContent).toContain('그림이 이 브라우저에 저장할 수 있는 최대 개수인 3개가 되었습니다.')
    // one removed: room again
    await fireEvent.click(screen.getAllByRole('button', { name: /정답 0/ })[0])
    expect(screen.queryByTestId('drawn-full')).toBeNull()
    expect(screen.getByTestId('draw-add-2').getAttribute('aria-disabled')).toBe('false')
  })
})
