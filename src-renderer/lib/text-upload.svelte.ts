/**
 * A language model's own text, chosen on this computer and uploaded to the host (data:text-upload), which
 * keeps it and answers with the path a run's data source names: the only way a page in the web shell can
 * give the lab a text (it cannot name a file on the host), and the desktop's too. The training form's text
 * file becomes that path; the text's name, characters and vocabulary size are shown while it is the one chosen.
 */
import type { LabApi, StoredText } from '../../src-main/ipc/contract'
import { msg, type Msg } from '../i18n/index.svelte'
import { uploadOf, errorMsg } from './files.svelte'
import { trainLab } from './train.svelte'

export class TextUpload {
  /** The last text the host kept (shown while the form still names it). */
  stored = $state.raw<StoredText | null>(null)
  busy = $state(false)
  /** Why the last upload was refused (translated when shown), and the text file the form named then. */
  private refused = $state.raw<{ why: Msg; textFile: string } | null>(null)

  /** The text the form trains on, when it is the uploaded one. */
  get current(): StoredText | null {
    return this.stored && trainLab.form.textFile === this.stored.file ? this.stored : null
  }

  /** Why the last upload was refused, while the form still names the text it named then (not once another is typed or chosen). */
  get error(): Msg | null {
    return this.refused && trainLab.form.textFile === this.refused.textFile ? this.refused.why : null
  }

  async upload(api: LabApi, file: File): Promise<boolean> {
    this.busy = true
    this.refused = null
    try {
      const r = await api.request('data:text-upload', await uploadOf(file))
      if (!r.ok) return this.refuse(errorMsg(r.error))
      this.stored = r.value
      trainLab.form = { ...trainLab.form, dataKind: 'text', textFile: r.value.file }
      return true
    } catch (e) {
      return this.refuse(msg('files.errOther', { detail: e instanceof Error ? e.message : String(e) }))
    } finally {
      this.busy = false
    }
  }

  private refuse(why: Msg): false {
    this.refused = { why, textFile: trainLab.form.textFile }
    return false
  }
}

export const textUpload = new TextUpload()
