/**
 * The engine's pure parts as LabHost uses them: spec validation, the preset list and held-out digit
 * samples. They run on the main thread, so each must stay cheap (validation is well under 1 ms; the
 * digits load once per process and are cached by the engine).
 */
import type { SpecReport } from '../src-engine/spec-types'
import { validateSpec } from '../src-engine/spec'
import { PRESETS } from '../src-engine/models/presets'
import { SPLIT_SEED } from '../src-engine/train/data'
import { loadBuiltinMnist } from '../src-engine/data/files'
import { stratifiedSplit, type Dataset } from '../src-engine/data/dataset'
import { Rng } from '../src-engine/rng'
import type { PresetInfo } from './ipc/contract'
import { pickSamples } from './probe-samples'

export interface PureEngine {
  validateSpec(spec: unknown): SpecReport
  presets(): PresetInfo[]
  /** `count` held-out digits (the same held-out set training is judged on), picked by `seed`. */
  testSamples(count: number, seed: number): { images: number[][]; labels: number[] }
}

/** The built-in digits' held-out set, split exactly as training splits it (default 8,000 / 2,000). */
let heldOut: Dataset | null = null

const KINDS: ReadonlySet<string> = new Set(['cnn', 'mlp', 'rnn', 'autoencoder'])

export const pureEngine: PureEngine = {
  validateSpec,

  presets(): PresetInfo[] {
    return PRESETS.map((p) => {
      const report = validateSpec(p.spec)
      const title = typeof p.title === 'string' ? p.title : p.title.en
      const kind = (KINDS.has(p.kind) ? p.kind : 'cnn') as PresetInfo['kind']
      const info: PresetInfo = { id: p.id, title, kind, spec: p.spec, params: report.totalParams, defaults: { ...p.defaults } }
      if (typeof p.title === 'object') info.titles = { en: p.title.en, ko: p.title.ko }
      if (p.note) info.note = { en: p.note.en, ko: p.note.ko }
      return info
    })
  },

  testSamples(count: number, seed: number) {
    heldOut ??= stratifiedSplit(loadBuiltinMnist(), 0.2, new Rng(SPLIT_SEED)).test
    return pickSamples(heldOut, count, seed)
  }
}
