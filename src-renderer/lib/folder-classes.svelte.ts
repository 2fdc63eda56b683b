/**
 * The classes the IDX folder chosen on the training page uses (data:idx-classes), for the editor's class-count
 * warning (components/editor/issues.ts forData): a folder declares 10 classes but its labels may use fewer, and a
 * run takes from its largest label + 1 up to 10 scores. Its training examples, for the cost note's epoch. What Start
 * would refuse about the folder (no such folder, no IDX files, one that is not IDX: the host's check, data/idx-folder.ts),
 * said beside the folder box before Start (TrainControls). Asked once the folder has stayed the same for a moment
 * (typing a path asks nothing per key), whenever the form names one; unknown until the host answers, and where it
 * cannot read the folder (the editor then says nothing about fewer scores).
 */
import type { LabApi } from '../../src-main/ipc/contract'
import { idxFolderMessage, idxShapeMismatch, type IdxFolderProblem } from '../../src-engine/data/idx-problem'
import type { NetSpec } from '../../src-engine/spec-types'
import { trainLab } from './train.svelte'
import { catalogues, fmtInt, msg, type Msg } from '../i18n/index.svelte'

const SETTLE_MS = 300

class FolderClasses {
  /** The folder the host answered for, the classes its training labels use and how many examples they label (null: not said). */
  known = $state.raw<{ dir: string; used: number; examples: number | null } | null>(null)
  /** The folder the host found a problem in, and that problem as the refusal's message and facts. */
  trouble = $state.raw<{ dir: string; message: string; facts: IdxFolderProblem } | null>(null)
  /** The folder the host answered for and its images files' height × width (from their headers). */
  sizes = $state.raw<{ dir: string; images: { file: string; height: number; width: number }[] } | null>(null)
  private api: LabApi | null = null
  private wanted: string | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  /** The classes `dir` uses, when the host has said. */
  usedBy(dir: string): number | null {
    return this.known?.dir === dir.trim() ? this.known.used : null
  }

  /** The training examples in `dir`, when the host has said (the cost note times an epoch of them). */
  examplesIn(dir: string): number | null {
    return this.known?.dir === dir.trim() ? this.known.examples : null
  }

  /** What Start would refuse about `dir`, when the host has said. */
  problemIn(dir: string): { message: string; facts: IdxFolderProblem } | null {
    return this.trouble?.dir === dir.trim() ? this.trouble : null
  }

  /**
   * Images in `dir` the network `spec` does not take (56 × 14 for an input of (1, 28, 28)), as Start would refuse them
   * (the host's refuseData, data/idx-problem.ts idxShapeMismatch), when the host has said their sizes.
   */
  shapeProblemIn(dir: string, spec: NetSpec | null): { message: string; facts: IdxFolderProblem } | null {
    if (!spec || this.sizes?.dir !== dir.trim()) return null
    for (const { file, height, width } of this.sizes.images) {
      const facts = idxShapeMismatch(this.sizes.dir, file, height, width, spec.input, spec.task)
      if (facts) return { message: `Training would not start: ${idxFolderMessage(facts)}`, facts }
    }
    return null
  }

  /** The folder asked again now (Start pressed: the learner may have put the files there since it was asked). */
  recheck(): void {
    const d = trainLab.form.idxDir.trim()
    if (trainLab.form.dataKind !== 'idx' || !d || !this.api) return
    clearTimeout(this.timer)
    this.wanted = d
    void this.ask(d)
  }

  /** Set by the connection; the folder the form names now is asked at once. */
  connect(api: LabApi | null): void {
    this.api = api
    this.wanted = null
    this.follow(trainLab.form.dataKind, trainLab.form.idxDir)
  }

  /** The form's data changed: ask about its folder once it stops changing. */
  follow(kind: string, dir: string): void {
    const d = dir.trim()
    if (kind !== 'idx' || !d || d === this.wanted || !this.api) return
    this.wanted = d
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.ask(d), SETTLE_MS)
  }

  private async ask(dir: string): Promise<void> {
    const api = this.api
    if (!api) return
    const r = await api.request('data:idx-classes', { dir })
    // an answer for a folder the form no longer names is dropped; a refusal leaves it unknown
    if (this.wanted !== dir) return
    const used = r.ok && r.value && Number.isInteger(r.value.used) && r.value.used > 0 ? r.value.used : null
    const n = r.ok ? r.value?.examples : undefined
    this.known = used === null ? null : { dir, used, examples: Number.isInteger(n) && n! > 0 ? n! : null }
    const p = r.ok ? r.value?.problem : undefined
    this.trouble = p && typeof p.message === 'string' && typeof p.facts?.case === 'string' ? { dir, message: p.message, facts: p.facts } : null
    const images = r.ok && Array.isArray(r.value?.images) ? r.value.images.filter((i) => Number.isInteger(i?.height) && Number.isInteger(i?.width) && typeof i.file === 'string') : []
    this.sizes = images.length ? { dir, images } : null
  }
}

export const folderClasses = new FolderClasses()

/** The note beside the folder box for what Start would refuse (train.idxProblem.<case>), or the host's English. */
export function folderNote(p: { message: string; facts: IdxFolderProblem }): Msg | string {
  const key = `train.idxProblem.${p.facts.case}`
  if (typeof catalogues.en[key] !== 'string') return p.message
  const { case: _case, ...facts } = p.facts
  // a damaged file's byte counts run to millions: grouped in the page's language ("6,272,000"), as the refusal says them
  const values: NonNullable<Msg['values']> = { ...facts }
  for (const name of ['declared', 'size', 'images', 'labels']) {
    const n = values[name]
    if (typeof n === 'number') values[name] = () => fmtInt(n)
  }
  return msg(key, values)
}

$effect.root(() => {
  $effect(() => folderClasses.follow(trainLab.form.dataKind, trainLab.form.idxDir))
})
