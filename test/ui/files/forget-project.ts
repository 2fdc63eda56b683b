import { project } from '../../../src-renderer/lib/project.svelte'
import { trainLab } from '../../../src-renderer/lib/train.svelte'
import { i18n } from '../../../src-renderer/i18n/index.svelte'

/**
 * Puts back what opening or recovering a project leaves in the page's shared state (the network, whether it is trained
 * and the keep-or-fresh answer, the runs and the model's run, the language), so the next test starts from an empty lab.
 */
export function forgetProject(): void {
  i18n.set('en')
  project.spec = null
  project.trained = false
  project.weightsChoice = null
  trainLab.runs = []
  trainLab.currentId = null
  trainLab.modelRunId = null
  trainLab.modelViews = null
}
