/**
 * What the project service's tests share (test/main: autosave-save, data-folder-writes, forget-runs, recovery-offer):
 * a one-layer MLP, its settings and an epoch report, and a ModelHost that holds no model and answers the autosave as
 * each test needs (written by the stub itself, held, failed, or not written).
 */
import type { ModelHost } from '../../src-main/projects'
import type { NetSpec } from '../../src-engine/spec-types'
import type { TrainSettings } from '../../src-engine/protocol'

export const MLP_SPEC: NetSpec = { name: 'MLP', input: [1, 28, 28], layers: [{ type: 'Affine', units: 10 }, { type: 'SoftmaxWithLoss' }] }
export const MLP_SETTINGS: TrainSettings = { data: { kind: 'mnist' }, optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 2, weightDecay: 0, seed: 1, threads: 1 }
export const EPOCH_REPORT = { epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.9, seconds: 1 }

/** A host with no model whose autosave is `autosave`. */
export function stubModelHost(autosave: ModelHost['autosave']): ModelHost {
  return {
    getModel: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
    loadModel: async () => ({ ok: true, value: { params: 7850 } }),
    modelFile: async () => ({ ok: false, error: { code: 'no-model', message: 'none' } }),
    isTraining: () => false,
    preferPriority: () => 'low',
    autosave,
    forgetModel: () => undefined
  }
}
