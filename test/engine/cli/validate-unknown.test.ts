/**
 * The CLI's validate agrees with the editor on counts an error leaves unknown (Q7's F1): '?' where the editor says "—",
 * and no total as a definite number that leaves them out; and on the one error a size not whole allows (F2).
 */
import { describe, expect, it } from 'vitest'
import { lab, tempDir, writeJson } from './helpers'

const dir = tempDir()
const head = [{ type: 'Flatten' }, { type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }]

describe('validate on a network whose shapes stop at an error', () => {
  it('prints a kernel too large\'s own weights, "?" after it, and the total as not known', async () => {
    const path = writeJson(dir, 'kbig.json', { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 8, kernel: 29 }, { type: 'Relu' }, ...head] })
    const r = await lab('validate', path)
    expect(r.code).toBe(1)
    const out = r.out.join('\n')
    expect(out).toMatch(/conv1 +Convolution +→ \? +6,736 params/)
    expect(out).toMatch(/affine1 +Affine +→ \? +\? params/)
    expect(out).toContain('total ? parameters (6,736 known), ? multiply-adds per example (0 known)')
  })

  it('reports only the size that is not whole, not an error worked out from its rounded-down size', async () => {
    const pool = { type: 'Pooling', size: 2 }
    const path = writeJson(dir, 'pools.json', { input: [1, 28, 28], layers: [{ type: 'Convolution', filters: 8, kernel: 5 }, pool, pool, pool, pool, pool, ...head] })
    const r = await lab('validate', path, '--json')
    const report = r.events.at(-1)?.report as { issues: { severity: string; layerName: string; code: string }[] }
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => `${i.layerName} ${i.code}`)).toEqual(['pool4 pool-size-not-integer'])
  })
})
