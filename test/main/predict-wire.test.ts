/**
 * model:predict on the wire: a Float32Array input goes as base64 over the WebSocket and is checked like
 * an array; a reply's feature maps and gates go back as base64 too.
 */
import { describe, expect, it } from 'vitest'
import { float32ToWire, reviveReply } from '../../src-renderer/lib/lab'
import { encode, reviveRequest } from '../../src-main/web-shell'
import type { Prediction, Result, WsServerMessage } from '../../src-main/ipc/contract'
import { validatePayload } from '../../src-main/ipc/validate'

const drawing = (): Float32Array => Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 29 + 1e-7 * (i % 3))

describe('model:predict input', () => {
  it('survives the WebSocket exactly as a Float32Array, in a quarter of the text', () => {
    const x = drawing()
    const text = JSON.stringify({ id: 1, channel: 'model:predict', payload: { input: float32ToWire(x) } })
    const plain = JSON.stringify({ id: 1, channel: 'model:predict', payload: { input: Array.from(x) } })
    expect(text.length).toBeLessThan(plain.length / 3)
    const back = JSON.parse(text, reviveRequest) as { payload: { input: unknown } }
    expect(back.payload.input).toBeInstanceOf(Float32Array)
    expect(Array.from(back.payload.input as Float32Array)).toEqual(Array.from(x))
    const checked = validatePayload('model:predict', back.payload)
    expect(checked.ok).toBe(true)
    if (checked.ok) expect(checked.value.input).toEqual(Array.from(x))
  })

  it('checks a Float32Array like an array: size, range, finiteness, with the field path', () => {
    const x = drawing()
    x[3] = 1.5
    expect(validatePayload('model:predict', { input: x })).toMatchObject({ ok: false, error: { code: 'bad-payload', path: 'input.3' } })
    x[3] = NaN
    expect(validatePayload('model:predict', { input: x })).toMatchObject({ ok: false, error: { path: 'input.3' } })
    expect(validatePayload('model:predict', { input: new Float32Array(783) })).toMatchObject({ ok: false, error: { path: 'input' } })
    expect(validatePayload('model:predict', { input: new Float64Array(784) })).toMatchObject({ ok: false, error: { path: 'input' } })
  })

  it('leaves anything that is not exactly { $f32: base64 of whole floats } alone, so validation refuses it', () => {
    const odd = JSON.parse('{"input":{"$f32":"AAE="}}', reviveRequest) as { input: unknown }
    expect(odd.input).toEqual({ $f32: 'AAE=' })
    const extra = JSON.parse('{"input":{"$f32":"AAAAAA==","x":1}}', reviveRequest) as { input: unknown }
    expect(extra.input).toEqual({ $f32: 'AAAAAA==', x: 1 })
    expect(validatePayload('model:predict', odd)).toMatchObject({ ok: false, error: { path: 'input' } })
  })
})

describe('model:predict reply', () => {
  it('carries the feature maps and gates packed as base64, and the page gets the same Float32Arrays back', () => {
    const data = Float32Array.from({ length: 30 * 24 * 24 }, (_, i) => Math.sin(i) * 3)
    const gates = [{ layer: 'lstm1', gate: 'f', h: 4, w: 28, data: Float32Array.from({ length: 112 }, (_, i) => i / 112) }]
    const value = { probs: [0.9, 0.1], logits: [1, -1], top: 0, ms: 1, maps: [{ layer: 'conv1', shape: [30, 24, 24], maps: { count: 30, h: 24, w: 24, data } }], gates }
    const text = encode({ id: 7, result: { ok: true, value } } as WsServerMessage)
    expect(text.length).toBeLessThan(data.length * 6)
    expect(text).toContain('$f32')
    const back = reviveReply('model:predict', (JSON.parse(text) as { result: Result<unknown> }).result)
    expect(back.ok).toBe(true)
    const p = (back as { value: Prediction }).value
    expect(p.probs).toEqual([0.9, 0.1])
    expect(p.maps![0].maps.data).toEqual(data)
    expect(p.gates![0].data).toEqual(gates[0].data)
    // an answer without maps stays plain JSON
    expect(encode({ id: 8, result: { ok: true, value: { probs: [1], logits: [0], top: 0, ms: 1 } } } as WsServerMessage)).not.toContain('$f32')
  })
})
