/**
 * Two architectures are the same network when they are equal field by field, whatever order their keys were written
 * in. The training page called a preset "as it came" by comparing the two as JSON text: a field cleared and typed again
 * in the editor goes to the end of its layer's keys, and the unchanged preset read as "from the Architecture page".
 */
import { describe, expect, it } from 'vitest'
import { sameSpec } from '../../../src-renderer/lib/same-spec'
import { isPresetAsIs } from '../../../src-renderer/lib/train.svelte'
import { presetById } from '../../../src-engine/models/presets'
import type { LayerSpec, NetSpec } from '../../../src-engine/spec-types'

const preset = presetById('simple-convnet')!
/** The preset after the learner cleared its first layer's filters and typed them again (editor.svelte.ts setField). */
function retyped(): NetSpec {
  const spec = structuredClone(preset.spec)
  const first = spec.layers[0] as unknown as Record<string, unknown>
  const filters = first.filters
  delete first.filters
  first.filters = filters
  return spec
}

describe('the same network', () => {
  it('is equal field by field, in any key order, with undefined fields as absent', () => {
    const spec = retyped()
    expect(JSON.stringify(spec)).not.toBe(JSON.stringify(preset.spec))
    expect(sameSpec(spec, preset.spec)).toBe(true)
    expect(sameSpec({ ...spec, name: undefined }, { ...spec, name: undefined } as NetSpec)).toBe(true)
    const { name: _name, ...unnamed } = spec
    expect(sameSpec({ ...spec, name: undefined }, unnamed as NetSpec)).toBe(true)
    // a changed number, layer, shape or order is another network
    const wider = structuredClone(spec)
    ;(wider.layers[0] as { filters: number }).filters += 1
    expect(sameSpec(wider, spec)).toBe(false)
    expect(sameSpec({ ...spec, layers: spec.layers.slice(1) }, spec)).toBe(false)
    expect(sameSpec({ ...spec, input: [1, 28] }, spec)).toBe(false)
    expect(sameSpec({ ...spec, layers: [spec.layers[1], spec.layers[0], ...spec.layers.slice(2)] as LayerSpec[] }, spec)).toBe(false)
    expect(sameSpec({ ...spec, vocab: 74 }, spec)).toBe(false)
  })

  it('makes a preset whose field was cleared and typed back the preset as it came', () => {
    expect(isPresetAsIs(retyped(), preset)).toBe(true)
    expect(isPresetAsIs({ ...retyped(), name: 'mine' }, preset)).toBe(false)
  })
})
