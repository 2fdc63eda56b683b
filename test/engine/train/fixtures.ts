/** Small, fast training setups shared by the trainer, session and worker tests. */
import { Rng } from '../../../src-engine/rng'
import { loadBuiltinMnist } from '../../../src-engine/data/files'
import { stratifiedSplit, subset, type Dataset } from '../../../src-engine/data/dataset'
import type { NetSpec } from '../../../src-engine/spec-types'
import type { TrainerSettings } from '../../../src-engine/train/trainer'
import { WorkerSession, type SessionOptions } from '../../../src-engine/train/session'
import type { TrainData } from '../../../src-engine/train/data'
import type { WorkerEvent } from '../../../src-engine/protocol'

/** 600 training and 200 held-out digits, the same every time. */
export function smallDigits(): { train: Dataset; test: Dataset; description: string } {
  const all = loadBuiltinMnist()
  const { train, test } = stratifiedSplit(all, 0.2, new Rng(7))
  return { train: subset(train, range(600)), test: subset(test, range(200)), description: '600 + 200 built-in digits' }
}

export const TINY_MLP: NetSpec = {
  name: 'tiny mlp',
  input: [1, 28, 28],
  layers: [
    { type: 'Affine', units: 32 },
    { type: 'Relu' },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

export const TINY_CNN: NetSpec = {
  name: 'tiny cnn',
  input: [1, 28, 28],
  layers: [
    { type: 'Convolution', filters: 4, kernel: 5 },
    { type: 'Relu' },
    { type: 'Pooling', size: 2, stride: 2 },
    { type: 'Affine', units: 10 },
    { type: 'SoftmaxWithLoss' }
  ]
}

export const SGD_SETTINGS: TrainerSettings = { optimizer: 'SGD', lr: 0.3, batchSize: 50, epochs: 2, seed: 3 }

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** A WorkerSession training on `data` (nothing loaded from files) that records every event it posts. */
export function recordingSession(data: TrainData, opts: Partial<SessionOptions> = {}): { s: WorkerSession; events: WorkerEvent[] } {
  const events: WorkerEvent[] = []
  const s = new WorkerSession((e) => events.push(e), { loadData: () => data, ...opts })
  return { s, events }
}
