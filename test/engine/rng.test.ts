import { describe, expect, it } from 'vitest'
import { Rng } from '../../src-engine/rng'

describe('Rng', () => {
  it('keeps its stream: the same words, uniforms, integers and normals for a seed as always', () => {
    const r = new Rng(1)
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.next(), r.int(1000), r.normal(), r.normal()])
      .toEqual([2442144158, 3238099751, 3819917871, 0.49002045509405434, 470, -0.11039444632664878, 0.14613522429770953])
    const z = new Rng(0)
    expect([z.nextU32(), z.nextU32()]).toEqual([3809008728, 1133695204])
  })

  it('fillWords draws a fresh stream seeded by four of its words and moves on by those four', () => {
    const a = new Rng(9)
    const b = new Rng(9)
    const words = new Uint32Array(300)
    a.fillWords(words, 250)
    expect(words[250]).toBe(0)
    // a moved on by the four words it drew, no more: its next is Rng(9)'s fifth (that those four seed the
    // words' stream is checked against the algorithm written out in shape-layers.test.ts, dropoutMask)
    const skipped = new Rng(9)
    for (let i = 0; i < 4; i++) skipped.nextU32()
    expect(a.nextU32()).toBe(skipped.nextU32())
    const again = new Uint32Array(250)
    b.fillWords(again)
    expect(Array.from(again)).toEqual(Array.from(words.subarray(0, 250)))
    expect(new Set(words.subarray(0, 250)).size).toBe(250)
  })
})
