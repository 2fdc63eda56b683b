/**
 * validateSpec speed: the editor re-validates on every keystroke and LabHost on the main thread,
 * so one call must stay well under 1 ms. Times 10,000 validations of each preset (largest first).
 * Run: npx jiti bench/spec-validate.ts
 */
import { validateSpec, withVocab } from '../src-engine/spec'
import { PRESETS } from '../src-engine/models/presets'

const N = 10_000
// Wall time and this process's CPU time: on a shared, busy machine the CPU figure is the honest cost.
const rows: { id: string; layers: number; us: number; cpu: number }[] = []
for (const p of PRESETS) {
  const spec = p.spec.task === 'language-model' ? withVocab(p.spec, 96) : p.spec
  for (let i = 0; i < 1000; i++) validateSpec(spec) // warm-up / JIT
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  let sink = 0
  for (let i = 0; i < N; i++) sink += validateSpec(spec).totalParams
  const us = ((performance.now() - t0) * 1000) / N
  const c = process.cpuUsage(c0)
  if (sink === 0) throw new Error('no work done')
  rows.push({ id: p.id, layers: p.spec.layers.length, us, cpu: (c.user + c.system) / N })
}
rows.sort((a, b) => b.layers - a.layers)
for (const r of rows) {
  console.log(`${r.id.padEnd(18)} ${String(r.layers).padStart(3)} layers  ${r.us.toFixed(1).padStart(6)} µs wall  ${r.cpu.toFixed(1).padStart(6)} µs CPU per validateSpec`)
}
const worst = Math.max(...rows.map((r) => r.us))
console.log(`slowest: ${worst.toFixed(1)} µs (${worst < 1000 ? 'under' : 'OVER'} the 1 ms budget)`)
