/**
 * A fractional output size names its sides in the page's language: the validator writes "height … and width …" in
 * English, and the Korean message (in the editor and on the padding-and-stride calculator) said "height".
 */
import { afterEach, describe, expect, it } from 'vitest'
import { issueText } from '../../../src-renderer/components/editor/issues'
import { validateSpec } from '../../../src-renderer/components/editor/engine'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import type { NetSpec } from '../../../src-engine/spec-types'

afterEach(() => i18n.set('en'))

const conv = (input: [number, number, number], stride: number): NetSpec =>
  ({ input, layers: [{ type: 'Convolution', filters: 2, kernel: 3, stride }, { type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] })

function sizeIssue(spec: NetSpec) {
  return validateSpec(spec).issues.find((i) => i.code === 'conv-size-not-integer')!
}

describe('a fractional output size', () => {
  it('names the height, the width or both in Korean, and keeps the English wording in English', () => {
    const tall = sizeIssue(conv([1, 28, 7], 2)) // height (28 − 3)/2 + 1 = 13.50; width (7 − 3)/2 + 1 = 3
    const both = sizeIssue(conv([1, 28, 30], 2)) // 13.50 and (30 − 3)/2 + 1 = 14.50
    const square = sizeIssue(conv([1, 28, 28], 2))
    expect(issueText(tall)).toContain('the output size height (28 + 2·0 − 3) / 2 + 1 = 13.50 is not a whole number')
    i18n.set('ko')
    expect(issueText(tall)).toBe('conv1: 출력 크기를 계산하면 높이 (28 + 2·0 − 3) / 2 + 1 = 13.50, 정수가 아닙니다. 고치는 방법: 스트라이드 1.')
    expect(issueText(both)).toContain('출력 크기를 계산하면 높이 (28 + 2·0 − 3) / 2 + 1 = 13.50, 너비 (30 + 2·0 − 3) / 2 + 1 = 14.50, 정수가 아닙니다.')
    expect(issueText(square)).toContain('출력 크기를 계산하면 (28 + 2·0 − 3) / 2 + 1 = 13.50, 정수가 아닙니다.')
    for (const i of [tall, both, square]) expect(issueText(i)).not.toMatch(/height|width/)
  })
})
