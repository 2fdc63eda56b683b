/**
 * Host refusals worded for the learner. "No memory" is worded for what was sent: a file (binary frames, case 'file'),
 * a drawing sent for a prediction (case 'predict'), or, from a host that names neither, whatever the page sent (it
 * spoke of "a file this big" for all three).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { refusal } from '../../src-renderer/lib/lab-errors'
import { i18n, tr } from '../../src-renderer/i18n/index.svelte'

afterEach(() => i18n.set('en'))

const said = (params: Record<string, unknown>): string => tr(refusal({ code: 'no-memory', message: 'host words', params }))

describe('the no-memory refusal', () => {
  it('speaks of a file only when a file was sent, in English and Korean', () => {
    expect(said({ size: 5, case: 'file' })).toBe('The computer running the lab has no memory free for a file this big (5 MB): close other programs there or choose a smaller file, then upload it again.')
    expect(said({ size: 1, case: 'predict' })).toBe('The computer running the lab has no memory free to take this drawing for a prediction: close other programs there, then try again.')
    expect(said({ size: 2 })).toBe('The computer running the lab has no memory free for what this page sent (2 MB): close other programs there, then try again.')
    i18n.set('ko')
    expect(said({ size: 5, case: 'file' })).toContain('이만큼 큰 파일(5 MB)')
    expect(said({ size: 1, case: 'predict' })).toBe('실험실이 실행 중인 컴퓨터에 예측할 그림을 받을 메모리가 남아 있지 않습니다. 그 컴퓨터에서 다른 프로그램을 닫은 다음 다시 시도하세요.')
    expect(said({ size: 2 })).not.toContain('파일')
    expect(said({ size: 2 })).toContain('(2 MB)')
  })
})
