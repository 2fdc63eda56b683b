/** The built-in architectures: valid, with the counts of their sources, and ready for their data. */
import { describe, expect, it } from 'vitest'
import { validateSpec, withVocab } from '../../src-engine/spec'
import { PRESETS, emptySpec, presetById, CHAR_SEQ_LEN } from '../../src-engine/models/presets'

const byId = (id: string) => {
  const p = presetById(id)
  if (!p) throw new Error(`no preset ${id}`)
  return p
}

describe('presets', () => {
  it('all validate without errors; only the character models wait for their vocabulary', () => {
    for (const p of PRESETS) {
      const r = validateSpec(p.spec)
      expect(r.ok, `${p.id}: ${r.issues.map((i) => i.message).join('; ')}`).toBe(true)
      const expected = p.spec.task === 'language-model' ? ['vocab-pending', 'vocab-pending'] : []
      expect(r.issues.map((i) => i.code), p.id).toEqual(expected)
      expect(validateSpec(withVocab(p.spec, 80)).issues, p.id).toEqual([])
    }
  })

  it('have unique ids, both titles, a palette kind and usable defaults', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length)
    expect(PRESETS.map((p) => p.id)).toEqual(['simple-convnet', 'keras-cnn', 'lenet5', 'mlp', 'row-lstm', 'row-rnn',
      'char-lstm', 'char-rnn', 'conv-autoencoder', 'ae-2d'])
    for (const p of PRESETS) {
      expect(p.title.en.length, p.id).toBeGreaterThan(2)
      expect(p.title.ko.length, p.id).toBeGreaterThan(2)
      expect(['cnn', 'mlp', 'rnn', 'autoencoder']).toContain(p.kind)
      expect(['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']).toContain(p.defaults.optimizer)
      expect(p.defaults.lr).toBeGreaterThan(0)
      expect(p.defaults.lr).toBeLessThan(1)
      expect(Number.isInteger(p.defaults.batchSize) && p.defaults.batchSize > 0).toBe(true)
      expect(Number.isInteger(p.defaults.epochs) && p.defaults.epochs > 0).toBe(true)
    }
  })

  it('share no objects between or within specs (editing one layer cannot change another)', () => {
    const seen = new Set<object>()
    for (const p of PRESETS) {
      for (const o of [p.spec, p.spec.input, p.spec.layers, ...p.spec.layers]) {
        expect(seen.has(o), p.id).toBe(false)
        seen.add(o)
      }
    }
  })

  it('simple-convnet is the book’s 433,890-parameter network', () => {
    const r = validateSpec(byId('simple-convnet').spec)
    expect(r.totalParams).toBe(433_890)
    expect(r.layers.map((l) => l.outShape)).toEqual([[30, 24, 24], [30, 24, 24], [30, 12, 12], [100], [100], [10], [10]])
  })

  it('keras-cnn keeps the course’s 3,241,354 parameters, with Dropout moved before the last Affine and a note saying why', () => {
    const p = byId('keras-cnn')
    const r = validateSpec(p.spec)
    expect(r.totalParams).toBe(3_241_354)
    expect(r.layers.filter((l) => l.params > 0).map((l) => l.params)).toEqual([320, 18_496, 3_212_288, 10_250])
    const types = p.spec.layers.map((l) => l.type)
    expect(types.indexOf('Dropout')).toBe(types.lastIndexOf('Affine') - 1)
    expect(p.note?.en).toContain('3,241,354')
    expect(p.note?.ko).toContain('3,241,354')
    // the course's own placement, after the softmax: same count, one warning
    const course = { ...p.spec, layers: [...p.spec.layers.filter((l) => l.type !== 'Dropout'), { type: 'Dropout' as const, rate: 0.25 }] }
    const rc = validateSpec(course)
    expect(rc.totalParams).toBe(3_241_354)
    expect(rc.issues.map((i) => i.code)).toEqual(['dropout-after-output'])
  })

  it('lenet5 fits 28×28 digits with pad 2 and has the classic 61,706 parameters', () => {
    const r = validateSpec(byId('lenet5').spec)
    expect(r.totalParams).toBe(61_706)
    expect(r.layers.filter((l) => l.type === 'Convolution' || l.type === 'Pooling').map((l) => l.outShape))
      .toEqual([[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5]])
  })

  it('mlp is 784 → 100 → 10', () => {
    const r = validateSpec(byId('mlp').spec)
    expect(r.layers.filter((l) => l.params > 0).map((l) => l.paramShapes.W)).toEqual([[784, 100], [100, 10]])
    expect(r.totalParams).toBe(784 * 100 + 100 + 100 * 10 + 10)
  })

  it('row-lstm and row-rnn read a digit as 28 steps of 28 pixels', () => {
    const lstm = validateSpec(byId('row-lstm').spec)
    expect(lstm.layers[0].inShape).toEqual([28, 28])
    expect(lstm.layers[0].paramShapes).toEqual({ Wx: [28, 512], Wh: [128, 512], b: [512] })
    expect(lstm.totalParams).toBe(28 * 512 + 128 * 512 + 512 + 128 * 10 + 10)
    const rnn = validateSpec(byId('row-rnn').spec)
    expect(rnn.layers[0].paramShapes).toEqual({ Wx: [28, 128], Wh: [128, 128], b: [128] })
    expect(rnn.outputShape).toEqual([10])
  })

  it('char-lstm and char-rnn score the whole vocabulary at every step once the text sets it', () => {
    for (const id of ['char-lstm', 'char-rnn']) {
      const p = byId(id)
      expect(p.spec.vocab).toBeUndefined()
      expect(p.spec.input).toEqual([CHAR_SEQ_LEN])
      const r = validateSpec(withVocab(p.spec, 97))
      expect(r.outputShape).toEqual([CHAR_SEQ_LEN, 97])
      expect(r.layers[0].paramShapes).toEqual({ W: [97, 64] })
      expect(r.layers[2].paramShapes).toEqual({ W: [256, 97], b: [97] })
    }
    expect(validateSpec(withVocab(byId('char-lstm').spec, 97)).layers[1].paramShapes.Wx).toEqual([64, 1024])
  })

  it('the autoencoders give back an image shaped like their input', () => {
    for (const id of ['conv-autoencoder', 'ae-2d']) {
      const p = byId(id)
      expect(p.spec.task).toBe('reconstruct')
      const r = validateSpec(p.spec)
      expect(r.outputShape).toEqual([1, 28, 28])
    }
    const ae = validateSpec(byId('ae-2d').spec)
    expect(Math.min(...ae.layers.filter((l) => l.type === 'Affine').map((l) => l.outShape![0]))).toBe(2)
    const conv = validateSpec(byId('conv-autoencoder').spec)
    expect(conv.layers.map((l) => l.outShape)[5]).toEqual([8, 7, 7])
  })

  it('emptySpec starts from the input and the loss, and the validator says what to add first', () => {
    const img = validateSpec(emptySpec('digits'))
    expect(img.ok).toBe(false)
    expect(img.issues.map((i) => i.code)).toEqual(['softmax-needs-vector'])
    expect(img.issues[0].message).toContain('put Flatten and an Affine with one unit per class before it')
    const text = validateSpec(emptySpec('text'))
    expect(text.issues.map((i) => i.code)).toEqual(['tokens-need-embedding'])
    expect(emptySpec('digits')).not.toBe(emptySpec('digits'))
  })
})
