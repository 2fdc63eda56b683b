/**
 * The README's PyTorch recipe, checked: each preset's weights are exported as safetensors, rebuilt in
 * PyTorch exactly as "Use it elsewhere" says (Affine W transposed, conv OIHW as is, LSTM blocks
 * f, g, i, o reordered to i, f, g, o), and PyTorch's scores match the engine's within 1e-4.
 * Skipped where no Python with torch is installed (Debian: python3-torch).
 */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Rng } from '../../../src-engine/rng'
import { Sequential } from '../../../src-engine/models/sequential'
import { PRESETS } from '../../../src-engine/models/presets'
import { withVocab } from '../../../src-engine/spec'
import { encodeModelWeights } from '../../../src-engine/io/safetensors'
import { encodeNpy } from '../../../src-engine/io/npy'
import type { NetSpec } from '../../../src-engine/spec-types'

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, numpy'], { timeout: 60_000 }).status === 0) ?? null
const SCRIPT = join(__dirname, 'fixtures/torch_check.py')

describe.skipIf(PYTHON === null)('the README\'s PyTorch mapping', () => {
  for (const id of ['mlp', 'simple-convnet', 'lenet5', 'row-lstm', 'row-rnn', 'char-lstm']) {
    it(`${id}: PyTorch gives the engine's scores`, () => {
      const preset = PRESETS.find((p) => p.id === id)
      if (!preset) throw new Error(`no preset ${id}`)
      const spec: NetSpec = preset.spec.task === 'language-model' ? withVocab(preset.spec, 23) : preset.spec
      const rng = new Rng(7)
      const model = Sequential.fromSpec(spec, rng)
      // Biases and batch-norm statistics start at 0/1: move every weight so none can be mapped by luck.
      for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += (rng.next() - 0.5) * 0.2
      const N = 2
      const per = spec.input.reduce((a, b) => a * b, 1)
      const x = Float32Array.from({ length: N * per }, () => (spec.vocab ? rng.int(spec.vocab) : rng.next()))
      const want = model.forward(model.inputTensor(x, N), false).data
      const dir = mkdtempSync(join(tmpdir(), 'torch-check-'))
      writeFileSync(join(dir, 'w.safetensors'), encodeModelWeights(spec, model.weights()))
      writeFileSync(join(dir, 'x.npy'), encodeNpy([N, ...spec.input], x))
      const r = spawnSync(PYTHON!, [SCRIPT, join(dir, 'w.safetensors'), join(dir, 'x.npy')], { encoding: 'utf8', timeout: 120_000 })
      expect(r.status, r.stderr).toBe(0)
      const got = JSON.parse(r.stdout) as number[]
      expect(got.length).toBe(want.length)
      let worst = 0
      let at = 0
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(got[i] - want[i])
        if (d > worst) { worst = d; at = i }
      }
      expect(worst, `index ${at}: PyTorch ${got[at]}, engine ${want[at]}`).toBeLessThan(1e-4)
    }, 120_000)
  }
})
