/**
 * Where a run's examples come from (Node side: reads files). The built-in digits are split into
 * training and held-out sets with a fixed seed, so every run — whatever its own seed — is judged
 * on the same held-out examples; IDX folders bring their own train / t10k files.
 */
import { Rng } from '../rng'
import type { DataSource } from '../protocol'
import { stratifiedSplit, type Dataset } from '../data/dataset'
import { loadBuiltinMnist, loadIdxDir } from '../data/files'

export interface TrainData { train: Dataset; test: Dataset; description: string }

/** The seed of the built-in digits' train / held-out split (never the run's seed; see above). */
export const SPLIT_SEED = 20240601

const cache = new Map<string, TrainData>()

/** Loads (once per process) and splits the data a run trains on. */
export function loadTrainData(source: DataSource, testFraction = 0.2): TrainData {
  const key = JSON.stringify([source, testFraction])
  const hit = cache.get(key)
  if (hit) return hit
  let data: TrainData
  switch (source.kind) {
    case 'mnist': {
      const all = loadBuiltinMnist()
      const { train, test } = stratifiedSplit(all, testFraction, new Rng(SPLIT_SEED))
      data = { train, test, description: `built-in digits: ${train.n} training, ${test.n} held-out` }
      break
    }
    case 'idx': {
      const { train, test } = loadIdxDir(source.dir)
      data = { train, test, description: `IDX files in ${source.dir}: ${train.n} training, ${test.n} held-out` }
      break
    }
    case 'text':
      throw new Error('training on text (language models) is not available yet: use --data mnist or --data idx:DIR')
    default: {
      const never: never = source
      throw new Error(`unknown data source ${JSON.stringify(never)}`)
    }
  }
  cache.set(key, data)
  return data
}
