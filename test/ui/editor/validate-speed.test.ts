/**
 * The editor re-validates on every keystroke, so one validateSpec pass must be far below a frame
 * (16 ms). Measured on every preset; the slowest is reported.
 */
import { expect, it } from 'vitest'
import { validateSpec } from '../../../src-engine/spec'
import { PRESETS } from '../../../src-engine/models/presets'

function medianMs(fn: () => void, runs: number): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

it('validates every preset in well under a frame (median of 200 passes each)', () => {
  const rows = PRESETS.map((p) => {
    for (let i = 0; i < 50; i++) validateSpec(p.spec) // warm up the JIT
    return { id: p.id, layers: p.spec.layers.length, params: validateSpec(p.spec).totalParams, ms: medianMs(() => validateSpec(p.spec), 200) }
  })
  const largest = rows.reduce((a, b) => (b.params > a.params ? b : a))
  const slowest = rows.reduce((a, b) => (b.ms > a.ms ? b : a))
  console.log(rows.map((r) => `${r.id}: ${r.layers} layers, ${r.params} params, ${r.ms.toFixed(3)} ms`).join('\n'))
  console.log(`largest preset ${largest.id}: ${largest.ms.toFixed(3)} ms; slowest ${slowest.id}: ${slowest.ms.toFixed(3)} ms`)
  expect(slowest.ms).toBeLessThan(4)
})
