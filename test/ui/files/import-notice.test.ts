/** The notice after importing weights groups the value count like every other count on the page (433,890). */
import { afterEach, describe, expect, it } from 'vitest'
import type { NetSpec } from '../../../src-engine/spec-types'
import { FilesLab } from '../../../src-renderer/lib/files.svelte'
import { project } from '../../../src-renderer/lib/project.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeApi } from './fake-api'

afterEach(() => i18n.set('en'))

describe('the import notice', () => {
  it('writes 433,890 values, in both languages', async () => {
    const spec: NetSpec = { name: 'net', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
    project.spec = spec
    const files = new FilesLab()
    files.connect(new FakeApi({ 'model:import-weights': { ok: true, value: { fileName: 'w.safetensors', tensors: 6, params: 433890 } } }), false)
    i18n.set('ko')
    expect(await files.importWeights(new File([new Uint8Array([1, 2, 3])], 'w.safetensors'))).toBe(true)
    expect(files.notice).toContain('텐서 6개(값 433,890개)')
    i18n.set('en')
    expect(files.notice).toContain('433,890')
  })
})
