/** The explainers' number fields: a bad entry is reported, and what the explainer uses meanwhile. */
import { describe, expect, it } from 'vitest'
import { wholeField, realField, lastGoodFields } from '../../../src-renderer/lib/lessons/fields'

describe('explainer fields', () => {
  it('reads a whole-number field in range and says when what was typed is not one', () => {
    expect(wholeField(3, 1, 8)).toEqual({ value: 3, ok: true })
    expect(wholeField(0, 1, 8)).toEqual({ value: 1, ok: false })
    expect(wholeField(2.5, 1, 8)).toEqual({ value: 3, ok: false })
    expect(wholeField(99, 1, 8)).toEqual({ value: 8, ok: false })
    expect(wholeField(null, 0, 8)).toEqual({ value: 0, ok: false })
    expect(wholeField('', 1, 8)).toEqual({ value: 1, ok: false })
    expect(wholeField(-1, 0)).toEqual({ value: 0, ok: false })
  })

  it('reads a real-number field, using the fallback for an empty or non-numeric entry (never 0 unasked)', () => {
    expect(realField(-2.5, 7)).toEqual({ value: -2.5, ok: true })
    expect(realField(0, 7)).toEqual({ value: 0, ok: true })
    expect(realField('1.5', 7)).toEqual({ value: 1.5, ok: true })
    expect(realField(null, 7)).toEqual({ value: 7, ok: false })
    expect(realField('', 7)).toEqual({ value: 7, ok: false })
    expect(realField('  ', 7)).toEqual({ value: 7, ok: false })
    expect(realField('abc', 7)).toEqual({ value: 7, ok: false })
    expect(realField(Number.NaN, 7)).toEqual({ value: 7, ok: false })
    expect(realField(Infinity, 7)).toEqual({ value: 7, ok: false })
  })

  it('keeps each field’s last good value while it is bad, and takes the new one once it is fixed', () => {
    const read = lastGoodFields({ a: 1, b: 2 })
    expect(read({ a: null, b: 2 })).toEqual({ a: { value: 1, ok: false }, b: { value: 2, ok: true } })
    expect(read({ a: 5, b: 3 })).toEqual({ a: { value: 5, ok: true }, b: { value: 3, ok: true } })
    // emptied after 5: the last good 5 is kept, not the start value and not 0
    expect(read({ a: '', b: 'x' })).toEqual({ a: { value: 5, ok: false }, b: { value: 3, ok: false } })
    expect(read({ a: -4, b: 3 })).toEqual({ a: { value: -4, ok: true }, b: { value: 3, ok: true } })
  })
})
