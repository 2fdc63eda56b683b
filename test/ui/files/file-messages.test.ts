/**
 * File messages that say what the lab knows (Q4 B7), en and ko: another of the lab's files picked as weights is named
 * (a project: open it with Open project…; the .npz or ONNX export: export safetensors instead), a missing tensor is
 * "missing" and an extra one "not in this architecture" (not "differs"), and a NaN in a weights file or a project's
 * weights is named with its tensor, in Korean too. Before, these had no key of their own: "not safetensors",
 * "differs", "not a project or damaged", and the NaN in English in parentheses.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { i18n, tr } from '../../../src-renderer/i18n/index.svelte'
import { refusal } from '../../../src-renderer/lib/lab-errors'
import type { LabError } from '../../../src-main/ipc/contract'

const said = (code: string, params: Record<string, unknown>) => tr(refusal({ code, message: 'English words', params } as LabError))

afterEach(() => i18n.set('en'))

describe('file messages name what the file is and what happened', () => {
  it('in English', () => {
    expect(said('bad-weights', { case: 'other-project', file: 'a.safetensors' })).toBe('a.safetensors is a Backprop Lab project, not a weights file, so nothing was changed. ' +
      'Open it with Open project… (it brings its architecture and weights), or import the .safetensors file exported from it.')
    expect(said('bad-weights', { case: 'other-npz', file: 'w.npz' })).toContain('w.npz is a NumPy .npz archive')
    expect(said('bad-weights', { case: 'other-onnx', file: 'm.onnx' })).toContain('m.onnx is an ONNX model')
    expect(said('weights-mismatch', { case: 'import-missing', file: 'w.safetensors', tensor: 'affine2.b', count: 1 })).toContain('it has no tensor "affine2.b", which this architecture needs')
    expect(said('weights-mismatch', { case: 'import-extra', file: 'w.safetensors', tensor: 'foo.W', count: 1 })).toContain('its tensor "foo.W" is not in this architecture')
    expect(said('bad-weights', { case: 'value', file: 'n.safetensors', detail: 'x', tensor: 'affine1.W', value: 'NaN', index: 0 })).toContain('n.safetensors holds NaN in the tensor "affine1.W" (value #0)')
    expect(said('bad-project', { case: 'part-value', file: 'p.bplab', part: 'weights.safetensors', tensor: 'affine1.W', value: 'NaN', index: 3 }))
      .toContain('its weights.safetensors holds NaN in the tensor "affine1.W" (value #3)')
    expect(said('bad-project', { case: 'part-damaged', file: 'p.bplab', part: 'weights.safetensors' })).toContain('its weights.safetensors part is damaged')
  })

  it('in Korean, without the engine\'s English', () => {
    i18n.set('ko')
    expect(said('bad-weights', { case: 'other-project', file: 'a.safetensors' })).toContain('가중치 파일이 아니라 Backprop Lab 프로젝트여서 아무것도 바꾸지 않았습니다. 프로젝트 열기…로 여세요')
    expect(said('weights-mismatch', { case: 'import-missing', file: 'w.safetensors', tensor: 'affine2.b', count: 1 })).toContain('이 구조에 필요한 "affine2.b" 텐서가 파일에 없습니다')
    expect(said('weights-mismatch', { case: 'import-extra', file: 'w.safetensors', tensor: 'foo.W', count: 1 })).toContain('파일에 있는 "foo.W" 텐서는 이 구조에 없습니다')
    expect(said('bad-project', { case: 'part-value', file: 'p.bplab', part: 'weights.safetensors', tensor: 'affine1.W', value: 'NaN', index: 3 }))
      .toBe('p.bplab 프로젝트를 열 수 없어서 아무것도 바꾸지 않았습니다. 프로젝트 안의 weights.safetensors에서 "affine1.W" 텐서의 #3번 값이 NaN입니다. ' +
        '가중치는 유한한 수여야 합니다. 파일이 손상되었거나 학습이 발산한 뒤에 저장된 것입니다. 이전 사본을 열거나 구조에서부터 다시 학습하세요.')
    for (const [code, params] of [['bad-weights', { case: 'other-npz', file: 'w.npz' }], ['bad-weights', { case: 'other-onnx', file: 'm.onnx' }],
      ['bad-weights', { case: 'value', file: 'n.safetensors', detail: 'x', tensor: 't', value: 'NaN', index: 0 }], ['bad-project', { case: 'part-damaged', file: 'p.bplab', part: 'weights.safetensors' }]] as const) {
      const text = said(code, params)
      expect(text).not.toContain('English')
      expect(text).toContain('아무것도 바꾸지 않았습니다')
    }
  })
})
