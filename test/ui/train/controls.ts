/** Shared set-up for the run controls' component tests: TrainControls on the app's trainLab, driven by a FakeLab. */
import { cleanup, render } from '@testing-library/svelte'
import type { NetSpec } from '../../../src-engine/spec-types'
import TrainControls from '../../../src-renderer/components/train/TrainControls.svelte'
import { defaultsFor, trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'
import { FakeLab, SIMPLE_CONVNET, flush } from './fake-lab'

/**
 * TrainControls for `spec` with no run yet, its form at the network's defaults, the shared trainLab connected to a
 * new FakeLab (returned): Start starts a run through trainLab, as the training page does.
 */
export async function renderControls(spec: NetSpec = SIMPLE_CONVNET): Promise<FakeLab> {
  const fake = new FakeLab()
  trainLab.connect(fake)
  trainLab.runs = []
  await flush()
  trainLab.form = defaultsFor(spec, 2)
  render(TrainControls, { spec, onstart: () => void trainLab.start(spec), oncontinue: () => {} })
  return fake
}

/** Lets the fake's answers and the state events it echoes (zero timers) land. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 4; i++) await flush()
}

/** For afterEach: no controls, English, no runs, the form back at its defaults (the trainLab is the app's, shared by the tests of a file). */
export function resetControls(): void {
  cleanup()
  i18n.set('en')
  trainLab.form = defaultsFor(null, 1)
  trainLab.runs = []
  trainLab.currentId = null
}
