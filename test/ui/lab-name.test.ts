/** The Korean UI calls the lab by one name, 실험실 (as its status, error and file messages do), never 실습실 as well. */
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src-renderer/i18n/index.svelte'

describe('the lab’s Korean name', () => {
  it('is 실험실 in every message', () => {
    const other = Object.entries(catalogues.ko).filter(([, v]) => v.includes('실습실')).map(([k]) => k)
    expect(other).toEqual([])
    expect(Object.values(catalogues.ko).filter((v) => v.includes('실험실')).length).toBeGreaterThan(50)
  })
})
