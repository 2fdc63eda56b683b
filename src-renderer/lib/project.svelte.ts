/**
 * The open project, shared by every page: the architecture being edited and what was trained.
 * The editor writes `spec`; the training page trains it; the draw page predicts with the trained model.
 */
import type { NetSpec } from '../../src-engine/spec-types'

class Project {
  /** The architecture in the editor (always a plain, JSON-able object). */
  spec = $state.raw<NetSpec | null>(null)
  /** Preset the spec started from, if any. */
  presetId = $state<string | null>(null)
  /** True once a model of the current spec has been trained (or loaded) in the host. */
  trained = $state(false)
  /**
   * The learner's answer when the architecture was changed after training (asked by the editor):
   * 'keep' = start the next run from the trained weights of layers whose parameter shapes still match;
   * 'fresh' = start from new random weights (the editor also sets `trained` to false).
   * null = not asked since the last run; the training page reads it when a run starts, then resets it to null.
   */
  weightsChoice = $state<'keep' | 'fresh' | null>(null)
  /** Which page is shown. */
  page = $state<'editor' | 'train' | 'draw' | 'lessons'>('editor')
}

export const project = new Project()
