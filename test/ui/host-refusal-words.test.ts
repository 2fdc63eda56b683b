/**
 * Host refusals worded for the learner. "No memory" is worded for what was sent: a file (binary frames, case 'file'),
 * a drawing sent for a prediction (case 'predict'), or, from a host that names neither, whatever the page sent (it
 * spoke of "a file this big" for all three). A run on more threads than its memory allows says how many fit
 * (lab-host.ts refuseThreads, tested in test/main/threads-memory.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { refusal } from '../../src-renderer/lib/lab-errors'
import { i18n, tr } from '../../src-renderer/i18n/index.svelte'
import type { ErrorParams } from '../../src-main/ipc/contract'

afterEach(() => i18n.set('en'))

const said = (params: ErrorParams): string => tr(refusal({ code: 'no-memory', message: 'host words', params }))

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

describe('a run refused for its threads\' memory', () => {
  const error = { code: 'train-failed' as const, message: 'host words', params: { case: 'threads', threads: 3, needs: 2383, limit: 2048, fits: 2 } }

  it('says what the threads cost and how many fit, in English and Korean', () => {
    expect(tr(refusal(error))).toBe('Training did not start: on 3 threads this network needs about 2,383 MB, since every thread keeps its own copy of the weights and of their gradients, and the lab allows 2,048 MB. Set “Threads” to 2 or fewer and press Start again.')
    i18n.set('ko')
    expect(tr(refusal(error))).toBe('학습을 시작하지 않았습니다. 스레드마다 가중치와 기울기의 사본을 한 벌씩 따로 두어야 해서, 스레드 3개로는 이 신경망에 약 2,383 MB가 필요합니다. 실험실은 2,048 MB까지만 허용합니다. “스레드”를 2개 이하로 바꾼 뒤 다시 시작하세요.')
  })
})
