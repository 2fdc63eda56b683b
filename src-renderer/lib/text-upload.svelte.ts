/**
 * A language model's own text, chosen on this computer and uploaded to the host (data:text-upload), which
 * keeps it and answers with the path a run's data source names: the only way a page in the web shell can
 * give the lab a text (it cannot name a file on the host), and the desktop's too. The training form's text
 * file becomes that path, but the page shows the text's name (the path is the host's business); the texts
 * uploaded before are offered again (data:texts) and can be removed (data:text-remove). A form naming a kept
 * text that is gone (a project saved with it, opened after it was removed) says so. A project carries its
 * text (the host keeps it again when it is opened, and the opened settings name it); why one could not be
 * taken back is worded by carriedTextProblem.
 */
import type { LabApi, StoredText, TextProblem } from '../../src-main/ipc/contract'
import type { NetSpec } from '../../src-engine/spec-types'
import { BUILTIN_TEXT_CHARS, BUILTIN_TEXT_VOCAB, textMinChars } from '../../src-engine/data/text'
import { fmtInt, msg, type Msg } from '../i18n/index.svelte'
import { uploadOf, errorMsg } from './files.svelte'
import { trainLab } from './train.svelte'
import { statefulProblem } from './train-data'
import { project } from './project.svelte'

/** The name a kept text was uploaded under, from its path (`…/texts/일기-<hash>.txt` → `일기.txt`), or null for any other file. */
export function keptTextName(path: string): string | null {
  const m = /[\\/]texts[\\/]([^\\/]+)-[0-9a-f]{16}\.txt$/.exec(path)
  return m ? `${m[1]}.txt` : null
}

const PROBLEM_KEYS: Record<TextProblem['case'], string> = {
  damaged: 'files.textDamaged', 'too-large': 'files.textTooLarge', encoding: 'files.textEncoding', empty: 'files.textEmpty', 'write-failed': 'files.textNotKept'
}

/** Why project `name` opened without the text it carried, and what to do: upload it again (en, ko). */
export function carriedTextProblem(name: string, problem: TextProblem): Msg {
  return msg(PROBLEM_KEYS[problem.case] ?? 'files.textDamaged', { name, text: problem.fileName ?? msg('files.textUnnamed') })
}

export class TextUpload {
  /** The texts the host keeps, the most recently uploaded first (null until asked). */
  kept = $state.raw<StoredText[] | null>(null)
  busy = $state(false)
  /** The text an opened project carried but could not give back, by the path its settings name, and why. */
  private notCarried = $state.raw<{ textFile: string; problem: TextProblem } | null>(null)
  /** Why the last upload or removal was refused (translated when shown), and the form it was refused for. */
  private refused = $state.raw<{ why: Msg; textFile: string; spec: NetSpec | null } | null>(null)

  /** The text the form trains on, when it is a kept one. */
  get current(): StoredText | null {
    return this.kept?.find((k) => k.file === trainLab.form.textFile) ?? null
  }

  /**
   * The text a language model trains on, as the form names it (the form turns to a text for one: carryForm keeps its
   * file), when the page knows its vocabulary size: the built-in text's own, a kept text's counted one (the
   * vocabulary a run on it gets). Null for a path on the host, or a kept text the host no longer keeps (or not yet
   * listed): its vocabulary is known only once a run loads it. `name` is the kept text's, '' for the built-in one.
   */
  get chosen(): { name: string; vocab: number } | null {
    const file = trainLab.form.textFile.trim()
    if (file === '' || file === 'builtin') return { name: '', vocab: BUILTIN_TEXT_VOCAB }
    const kept = this.current
    return kept ? { name: kept.fileName, vocab: kept.vocab } : null
  }

  /** The name of the uploaded text the form names but the host no longer keeps (removed), else null. */
  get missing(): string | null {
    if (this.kept === null || this.current) return null
    const file = trainLab.form.textFile
    return keptTextName(file) === null ? null : (this.listed.get(file) ?? keptTextName(file))
  }

  /** The names the texts listed before had, by path: one gone since is named as it was uploaded ('my story.txt', not its file's 'my-story.txt'). */
  private listed = new Map<string, string>()

  /** Why the missing text is missing when it is one an opened project carried but could not give back (not removed: never kept here). */
  get missingWhy(): Msg | null {
    const n = this.notCarried
    const name = this.missing
    if (!n || !name || n.textFile !== trainLab.form.textFile) return null
    return msg('train.textNotCarried', { name, why: msg(`train.textNotCarried.${n.problem.case}`) })
  }

  /** An opened project carried the text its settings name (`textFile`) but could not give it back. */
  noteNotCarried(textFile: string, problem: TextProblem | undefined): void {
    this.notCarried = problem ? { textFile, problem } : null
  }

  /** What the text field shows: an uploaded text's name, else the path the learner typed (the field is there only for a file). */
  get shown(): string {
    return this.current?.fileName ?? this.missing ?? trainLab.form.textFile
  }

  /**
   * The form trains on the built-in text, chosen as such (Q3 F17: it was the English keyword "builtin" typed in the path
   * box). The form keeps the word: saved projects and the host read it. An empty path also trains on the built-in text
   * (train-data.ts), but it is the file choice with no file named yet, as the learner left it.
   */
  get builtin(): boolean {
    return trainLab.form.textFile.trim() === 'builtin'
  }

  /** The file the form named before the built-in text was chosen, given back when a file is chosen again. */
  private lastFile = ''

  /** The learner chose the built-in text. */
  useBuiltin(): void {
    if (!this.builtin) this.lastFile = trainLab.form.textFile
    trainLab.form = { ...trainLab.form, textFile: 'builtin' }
  }

  /** The learner chose a file of their own: the one named before the built-in text was chosen, or none yet (a path to type or a text to upload). */
  useFile(): void {
    if (this.builtin) trainLab.form = { ...trainLab.form, textFile: this.lastFile }
  }

  /**
   * Why the last upload was refused, while the form is the one it was refused for: the same text named, the same network
   * (not once another preset is chosen); else why the text chosen cannot train this network (tooShort).
   */
  get error(): Msg | null {
    const r = this.refused
    return r && trainLab.form.textFile === r.textFile && project.spec === r.spec ? r.why : this.tooShort
  }

  /**
   * The text chosen is too short for the network's input length T (data/text.ts textMinChars: a window of T + 1 in the
   * part trained on and one in the held-out tenth), with the numbers and what to change; null when it is long enough or
   * the page does not know its length (a path on the host). Said at upload and whenever the network or the text
   * changes, before Start: a 2-character text was taken, and the run then failed with the engine's English words. A
   * stateful run's text is judged for its mini-batch size too (train-data.ts statefulProblem).
   */
  get tooShort(): Msg | null {
    return this.tooShortFor(project.spec)
  }

  /** tooShort for network `spec` (the training page's Start judges the network it would train). */
  tooShortFor(spec: NetSpec | null): Msg | null {
    if (trainLab.form.dataKind !== 'text' || spec?.task !== 'language-model' || spec.input.length !== 1) return null
    const T = spec.input[0]
    if (!(Number.isInteger(T) && T > 0)) return null
    const file = trainLab.form.textFile.trim()
    const chars = file === '' || file === 'builtin' ? BUILTIN_TEXT_CHARS : this.current?.chars
    if (chars === undefined) return null
    const needs = textMinChars(T)
    // long enough for a window: a stateful run also needs a window a lane, as many lanes as its mini-batch size
    if (chars >= needs) return statefulProblem(spec, trainLab.form, chars)
    // the counts grouped in the page's language when drawn; the plain ones beside them, as a function does not compare
    return msg('train.textTooShort', { chars: () => fmtInt(chars), needs: () => fmtInt(needs), T, window: T + 1, charsCount: chars, needsCount: needs })
  }

  /** Asks the host which texts it keeps (a failure leaves the list as it was). */
  async refresh(api: LabApi): Promise<void> {
    const r = await api.request('data:texts', undefined)
    if (!r.ok) return
    for (const k of this.kept ?? []) this.listed.set(k.file, k.fileName)
    this.kept = r.value
  }

  /**
   * The kept texts asked for again now (Start pressed) when the form trains on one: it may have been deleted or moved
   * since the list was asked for (at the page's load), and the field then says it is gone (missing) beside the host's
   * refusal, as folderClasses.recheck does for an IDX folder.
   */
  recheck(api: LabApi): void {
    if (trainLab.form.dataKind !== 'text' || keptTextName(trainLab.form.textFile) === null) return
    void this.refresh(api).catch(() => undefined)
  }

  async upload(api: LabApi, file: File): Promise<boolean> {
    return this.act(async () => {
      const r = await api.request('data:text-upload', await uploadOf(file))
      if (!r.ok) return this.refuse(errorMsg(r.error))
      this.kept = [r.value, ...(this.kept ?? []).filter((k) => k.file !== r.value.file)]
      this.use(r.value)
      return true
    })
  }

  /** The form trains on a kept text. */
  use(text: StoredText): void {
    this.refused = null
    trainLab.form = { ...trainLab.form, dataKind: 'text', textFile: text.file }
  }

  /** Removes a kept text; a form that named it goes back to the built-in text. */
  async remove(api: LabApi, text: StoredText): Promise<boolean> {
    return this.act(async () => {
      const r = await api.request('data:text-remove', { file: text.file })
      if (!r.ok) return this.refuse(errorMsg(r.error))
      this.kept = (this.kept ?? []).filter((k) => k.file !== text.file)
      if (trainLab.form.textFile === text.file) trainLab.form = { ...trainLab.form, textFile: 'builtin' }
      return true
    })
  }

  private async act(p: () => Promise<boolean>): Promise<boolean> {
    this.busy = true
    this.refused = null
    try {
      return await p()
    } catch (e) {
      return this.refuse(msg('files.errOther', { detail: e instanceof Error ? e.message : String(e) }))
    } finally {
      this.busy = false
    }
  }

  private refuse(why: Msg): false {
    this.refused = { why, textFile: trainLab.form.textFile, spec: project.spec }
    return false
  }
}

export const textUpload = new TextUpload()
