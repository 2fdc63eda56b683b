/**
 * An image grid (probes, filters, wrong examples, each layer's maps) is painted only once it is on screen: the
 * training page, opened during a run, painted every grid under its charts in one task, off screen or not. Its size
 * is set at once, so the page does not move when it is painted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render } from '@testing-library/svelte'
import { tick } from 'svelte'
import ImageGrid from '../../../src-renderer/components/train/ImageGrid.svelte'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('an image grid', () => {
  it('waits to be on screen before it paints, with its size set at once', async () => {
    let report: ((entries: { isIntersecting: boolean }[]) => void) | null = null
    vi.stubGlobal('IntersectionObserver', class {
      constructor(cb: (entries: { isIntersecting: boolean }[]) => void) { report = cb }
      observe(): void {}
      disconnect(): void {}
    })
    const put = vi.fn()
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({ putImageData: put } as never)
    vi.stubGlobal('ImageData', class { constructor(public data: Uint8ClampedArray, public width: number, public height: number) {} })
    const stack = { count: 4, h: 3, w: 3, data: new Float32Array(36).map((_, i) => i) }
    render(ImageGrid, { stack, label: 'maps', testid: 'grid' })
    await tick()
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="grid"]')!
    // 2 × 2 cells of 3 × 3 with a pixel between and around them
    expect([canvas.width, canvas.height]).toEqual([9, 9])
    expect(put).not.toHaveBeenCalled()
    report!([{ isIntersecting: true }])
    await tick()
    expect(put).toHaveBeenCalledTimes(1)
  })
})
