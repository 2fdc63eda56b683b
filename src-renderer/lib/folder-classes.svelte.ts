/**
 * The classes the IDX folder chosen on the training page uses (data:idx-classes), for the editor's class-count
 * warning (components/editor/issues.ts forData): a folder declares 10 classes but its labels may use fewer, and a
 * run takes from its largest label + 1 up to 10 scores. Its training examples, for the cost note's epoch. Asked once the folder has stayed the same for a moment
 * (typing a path asks nothing per key), whenever the form names one; unknown until the host answers, and where it
 * cannot read the folder (the editor then says nothing about fewer scores).
 */
import type { LabApi } from '../../src-main/ipc/contract'
import { trainLab } from './train.svelte'

const SETTLE_MS = 300

class FolderClasses {
  /** The folder the host answered for, the classes its training labels use and how many examples they label (null: not said). */
  known = $state.raw<{ dir: string; used: number; examples: number | null } | null>(null)
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
  }
}

export const folderClasses = new FolderClasses()

$effect.root(() => {
  $effect(() => folderClasses.follow(trainLab.form.dataKind, trainLab.form.idxDir))
})
