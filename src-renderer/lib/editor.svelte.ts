/**
 * The architecture editor's state: every edit goes through `commit`, which keeps the undo history,
 * asks about trained weights when the architecture of a trained model changes, and writes the new spec
 * to `project.spec` (a fresh plain object each time, so the report below re-derives on every edit).
 */
import type { LayerInfo, LayerSpec, NetSpec, SpecIssue, SpecReport } from '../../src-engine/spec-types'
import { layerNames } from '../../src-engine/spec-names'
import { withVocab } from '../../src-engine/spec'
import { validateSpec, presetList, emptyNet, type EmptyKind } from '../components/editor/engine'
import { layerDef, isLossType } from '../components/editor/catalog'
import { parseSpecJson, type ImportProblem } from '../components/editor/spec-json'
import { dataIssue, forData, layerIssues } from '../components/editor/issues'
import { project } from './project.svelte'
import { trainLab } from './train.svelte'
import { folderClasses } from './folder-classes.svelte'
import { textUpload } from './text-upload.svelte'
import { weightsFit, type WeightsFit } from './weights-fit'
import { sameSpec } from './same-spec'
import type { Draft } from './draft-store.svelte'
import { boxLeaving } from './leaving'

const HISTORY_LIMIT = 200
const TYPING_PAUSE_MS = 1500

/** `fresh`: a preset chosen on purpose, which brings its own training settings (the learner's are kept across other edits). */
/** `select`: the layer to select once the change is applied (a layer list edit's), undefined to leave the selection. */
/** `then`: what the learner asked for after the change (a lesson's "Train …" goes on to the training page), once applied. */
/** `note`: the one setting the change sets, named in the keep-weights question (the box behind still shows the old value). */
/** `focus`: the element that made the change, focus's way back after the question (taken when it is asked, see `change`). */
type Change = {
  spec: NetSpec; presetId: string | null; kind: 'edit' | 'undo' | 'redo'; key: string | null; fresh?: boolean; select?: number | null
  then?: () => void; note?: ChangeNote; focus?: { el: HTMLElement; id: string } | null
}

/**
 * A change of one setting, as the keep-weights question names it ("conv1 · Filters: 8 → 32"): the layer's name and type
 * (null for the input's shape and vocabulary), the setting's key and its values before and after (undefined: the
 * setting's default).
 */
export interface ChangeNote { layer: string | null; type: string | null; key: string; from: unknown; to: unknown }

/**
 * The element the learner is in when a change is asked about: the focused one, or the box being left (lib/leaving.ts,
 * watched while the editor's page is shown). Taken at once, in the change's own event: the question's dialog, drawn a
 * moment later, found <body> focused after a value committed with Tab, and a cancelled change left the focus on the page.
 */
function focusedNow(): { el: HTMLElement; id: string } | null {
  const active = typeof document === 'undefined' ? null : document.activeElement
  const el = active instanceof HTMLElement && active !== document.body ? active : boxLeaving()
  return el ? { el, id: el.id } : null
}

export class EditorState {
  past = $state.raw<NetSpec[]>([])
  future = $state.raw<NetSpec[]>([])
  /** Index of the selected layer (new layers go after it), or null. */
  selected = $state<number | null>(null)
  /** A change waiting for the learner's keep/fresh answer (the model was trained). */
  pending = $state.raw<Change | null>(null)
  /** Counts cancelled changes; the layer list is redrawn from the spec when it changes (inputs show the kept values). */
  cancelled = $state(0)
  /**
   * How many of the pending change's weights would fit the trained model (the architecture in place is the one
   * trained: any change since asked first, or 'keep' was chosen and the model already took it): none, and the question
   * offers no keeping. Null with nothing pending, or when it cannot be told (the new network is not valid).
   */
  readonly pendingFit: WeightsFit | null = $derived(
    this.pending && project.spec ? weightsFit(this.reportFor(project.spec), this.reportFor(this.pending.spec)) : null
  )
  /** Last import failure, as an i18n key with values; null when the last import worked. */
  importError = $state.raw<{ key: string; values: Record<string, string | number>; more?: ImportProblem[]; rest?: number } | null>(null)

  /**
   * The text a language model will train on, when the training page knows its vocabulary (textUpload.chosen): a run
   * sets the spec's vocabulary to the loaded text's, over any the spec gives (train/data.ts specForData), so the
   * editor sizes the vocabulary layers by it too. Null for any other network, or a text whose vocabulary is not known.
   */
  readonly text: { name: string; vocab: number } | null = $derived(project.spec?.task === 'language-model' ? textUpload.chosen : null)
  /**
   * The chosen text's vocabulary alone: the form is filled again (a new object) whenever the training page looks at a
   * spec, and `text` with it, which re-validated the same spec with the same vocabulary each time.
   */
  private readonly textVocab: number | null = $derived(this.text?.vocab ?? null)
  /** The spec's validation, recomputed on every edit (and when the chosen text's vocabulary changes). */
  readonly report: SpecReport | null = $derived(
    project.spec ? validateSpec(this.textVocab !== null ? withVocab(project.spec, this.textVocab) : project.spec) : null
  )
  readonly names: string[] = $derived(project.spec ? layerNames(project.spec.layers) : [])

  /**
   * `spec` validated as the editor sizes it: the report above for the editor's own architecture (not validated again),
   * else `spec` with the chosen text's vocabulary when it is a language model (the default preset the training page
   * shows while the editor has none). The training page's cost note and a run's multiply-adds come from here, so a
   * language model's output layer is counted there with the text's vocabulary, as in the editor.
   */
  reportFor(spec: NetSpec): SpecReport {
    if (spec === project.spec && this.report) return this.report
    const text = spec.task === 'language-model' ? textUpload.chosen : null
    return validateSpec(text ? withVocab(spec, text.vocab) : spec)
  }
  /**
   * The report's issues as the editor shows them. An unknown vocabulary is not the learner's mistake
   * here: the training page sets it from the text it loads, so the editor shows it as a warning. The class-count
   * warnings follow the data chosen on the training page (forData), and so does a language model's output that does
   * not fit the chosen text's vocabulary: a warning naming the text (a run on it is refused: train/checks.ts checkVocab),
   * as the learner may mean another text. Data the training page would not start with (dataIssue) is a network warning.
   */
  readonly issues: SpecIssue[] = $derived(
    forData(this.report?.issues ?? [], trainLab.form.dataKind, folderClasses.usedBy(trainLab.form.idxDir)).map((i) =>
      i.code === 'vocab-missing' ? { ...i, severity: 'warning' as const }
        : i.code === 'lm-output-not-vocab' && this.text ? forText(i, this.text.name)
          : i).concat(dataIssue(project.spec, trainLab.form) ?? [])
  )
  readonly errors: SpecIssue[] = $derived(this.issues.filter((i) => i.severity === 'error'))
  /** The report's per-layer facts, reusing last edit's object wherever nothing changed (cards skip work). */
  readonly infos: LayerInfo[] = $derived(this.stable('infos', this.report?.layers ?? []))
  /** Each layer's issues, errors first, stable in the same way. */
  readonly layerIssues: SpecIssue[][] = $derived(
    this.stable('issues', (project.spec?.layers ?? []).map((_, i) => layerIssues(this.issues, i)))
  )

  private previous: Record<'infos' | 'issues', { key: string; value: unknown }[]> = { infos: [], issues: [] }

  /** Items equal (as JSON) to the previous list's item at the same index come back as that same object. */
  private stable<T>(slot: 'infos' | 'issues', items: T[]): T[] {
    const prev = this.previous[slot]
    const next = items.map((value, i) => {
      const key = JSON.stringify(value)
      return prev[i]?.key === key ? prev[i] : { key, value }
    })
    this.previous[slot] = next
    return next.map((e) => e.value as T)
  }

  /**
   * The preset each spec in the history came from. Undo and redo kept the project's preset id of the moment: undoing
   * the choice of the char-LSTM preset gave back the ConvNet still called "Character LSTM language model" on the
   * training page (and its training defaults).
   */
  private presetIds = new WeakMap<NetSpec, string | null>()
  private presetIdOf(spec: NetSpec): string | null {
    return this.presetIds.has(spec) ? (this.presetIds.get(spec) ?? null) : project.presetId
  }

  /** Consecutive edits with the same key (typing in one field) make one undo step, until the field is left. */
  private lastKey: string | null = null
  private lastAt = 0

  get spec(): NetSpec | null {
    return project.spec
  }

  get canUndo(): boolean {
    return this.past.length > 0
  }

  get canRedo(): boolean {
    return this.future.length > 0
  }

  /**
   * The draft came back from storage at load (lib/draft-store.svelte.ts) and is the learner's work: a page loaded during
   * a run, or while the host holds a model, does not replace it with that network (see `keeps`). False for a draft that
   * is only the default preset, untouched; a new editor session (reset) clears it.
   */
  restored = $state(false)

  /**
   * Whether the network in the editor is the learner's work, to be kept rather than replaced by `other` (the network a
   * run trains, or the model the host holds, when the page loads: attach-run.ts, held-model.ts): the editor was edited
   * (undo or redo history) or a draft was restored, and it is not `other` itself.
   */
  keeps(other: NetSpec): boolean {
    if (!this.canUndo && !this.canRedo && !this.restored) return false
    return !(project.spec && sameSpec(project.spec, other))
  }

  /** What the draft store keeps: the network, its preset, and the history with the preset of each step. */
  draft(): Draft | null {
    const spec = project.spec
    if (!spec) return null
    const step = (s: NetSpec) => ({ spec: s, presetId: this.presetIdOf(s) })
    return { spec, presetId: project.presetId, past: this.past.map(step), future: this.future.map(step) }
  }

  /** A stored draft becomes the editor's network and history (at load, before the page is drawn). */
  restore(d: Draft): void {
    this.reset()
    for (const s of [...d.past, ...d.future]) this.presetIds.set(s.spec, s.presetId)
    this.past = d.past.map((s) => s.spec)
    this.future = d.future.map((s) => s.spec)
    project.spec = d.spec
    project.presetId = d.presetId
    project.trained = false
    project.weightsChoice = null
    const first = presetList()[0]
    const pristine = d.past.length === 0 && d.future.length === 0 && first !== undefined && d.presetId === first.id && sameSpec(d.spec, first.spec)
    this.restored = !pristine
  }

  /** Open the default architecture when the project has none yet (no history entry). */
  ensureSpec(): void {
    if (project.spec) return
    const first = presetList()[0]
    if (first) {
      project.spec = structuredClone(first.spec)
      project.presetId = first.id
    } else {
      project.spec = emptyNet('digits')
    }
  }

  /** Every architecture change enters here. `key` merges a run of edits to one field into one undo step. */
  commit(spec: NetSpec, key: string | null = null, presetId: string | null = project.presetId): void {
    this.change({ spec, presetId, kind: 'edit', key })
  }

  /**
   * Whether a change to the architecture now would ask the keep-weights question (a trained model, no answer given
   * yet): a typed value then waits for Enter or the box left, not for a pause (FieldControl, InputCard).
   */
  get asks(): boolean {
    return project.trained && project.weightsChoice === null
  }

  private change(c: Change): void {
    if (this.asks) {
      this.pending = { ...c, focus: focusedNow() }
      return
    }
    this.apply(c)
  }

  private apply(c: Change): void {
    const current = project.spec
    // the preset the spec being left came from, for an undo or redo that brings it back
    if (current) this.presetIds.set(current, project.presetId)
    if (c.kind === 'edit') {
      // a pause of more than TYPING_PAUSE_MS also starts a new step
      const now = Date.now()
      const merge = c.key !== null && c.key === this.lastKey && now - this.lastAt < TYPING_PAUSE_MS && this.past.length > 0
      this.lastAt = now
      if (current && !merge) this.past = [...this.past, current].slice(-HISTORY_LIMIT)
      this.future = []
      this.lastKey = c.key
    } else {
      this.lastKey = null
    }
    project.spec = c.spec
    project.presetId = c.presetId
    if (c.fresh) trainLab.freshForm()
    if (c.select !== undefined) this.selected = c.select
    const n = c.spec.layers.length
    if (this.selected !== null && this.selected >= n) this.selected = n > 0 ? n - 1 : null
    c.then?.()
  }

  /** The learner has finished with a field (change or blur): the next edit is a new undo step. */
  endTyping(): void {
    this.lastKey = null
  }

  /** The learner's answer to "keep compatible weights or start fresh?"; 'cancel' drops the change. */
  resolvePending(choice: 'keep' | 'fresh' | 'cancel'): void {
    const c = this.pending
    this.pending = null
    if (!c) return
    if (choice === 'cancel') {
      this.cancelled++
      return
    }
    project.weightsChoice = choice
    if (choice === 'fresh') project.trained = false
    if (c.kind === 'undo') {
      this.future = [project.spec!, ...this.future]
      this.past = this.past.slice(0, -1)
    } else if (c.kind === 'redo') {
      this.past = [...this.past, project.spec!]
      this.future = this.future.slice(1)
    }
    this.apply(c)
  }

  undo(): void {
    if (!this.canUndo || !project.spec || this.pending) return
    const prev = this.past[this.past.length - 1]
    if (project.trained && project.weightsChoice === null) {
      this.pending = { spec: prev, presetId: this.presetIdOf(prev), kind: 'undo', key: null }
      return
    }
    this.future = [project.spec, ...this.future]
    this.past = this.past.slice(0, -1)
    this.apply({ spec: prev, presetId: this.presetIdOf(prev), kind: 'undo', key: null })
  }

  redo(): void {
    if (!this.canRedo || !project.spec || this.pending) return
    const next = this.future[0]
    if (project.trained && project.weightsChoice === null) {
      this.pending = { spec: next, presetId: this.presetIdOf(next), kind: 'redo', key: null }
      return
    }
    this.past = [...this.past, project.spec]
    this.future = this.future.slice(1)
    this.apply({ spec: next, presetId: this.presetIdOf(next), kind: 'redo', key: null })
  }

  /** Edit a copy of the layer list; `touched` layers are copied first, the others keep their identity. */
  /**
   * `select(layers)`: the layer to select after the edit, given the edited list. The selection moves with the change,
   * so a change waiting on the keep-weights question (and dropped by Cancel) leaves it where it was.
   */
  private withLayers(edit: (layers: LayerSpec[]) => void, key: string | null = null, touched: number[] = [],
    select?: (layers: LayerSpec[]) => number | null, note?: ChangeNote): void {
    const spec = project.spec
    if (!spec) return
    const layers = spec.layers.slice()
    for (const i of touched) if (layers[i]) layers[i] = { ...layers[i] } as LayerSpec
    edit(layers)
    this.change({ spec: { ...spec, layers }, presetId: project.presetId, kind: 'edit', key, select: select?.(layers), note })
  }

  /**
   * `then` runs once the preset is in place: at once, or after the keep-or-fresh question's answer (not after Cancel),
   * so a lesson's "Train …" button takes the learner on to the training page it promised (TryIt.svelte).
   */
  loadPreset(id: string, then?: () => void): void {
    const p = presetList().find((x) => x.id === id)
    if (!p) return
    this.selected = null
    this.change({ spec: structuredClone(p.spec), presetId: p.id, kind: 'edit', key: null, fresh: true, then })
  }

  loadEmpty(kind: EmptyKind): void {
    this.selected = null
    this.commit(emptyNet(kind), null, null)
  }

  /** Add a layer after the selected one; otherwise before a final loss layer (so the net stays whole), else at the end. */
  addLayer(type: string): void {
    const def = layerDef(type)
    const spec = project.spec
    if (!def || !spec) return
    const at = this.addsAt(type)
    this.withLayers((ls) => ls.splice(at, 0, def.make()), null, [], () => at)
  }

  /**
   * Where a new layer of `type` goes: after the selected card (else at the end), but never after a loss layer, where
   * training and prediction already end: a layer added with the loss card selected (the only card of an empty network)
   * goes just before it, not after it with two errors at once (Q3's F15). A loss layer itself goes where asked. With
   * no type, where any other layer goes (the palette's note).
   */
  addsAt(type: string | null = null): number {
    const layers = project.spec?.layers ?? []
    let at = this.selected !== null && this.selected < layers.length ? this.selected + 1 : layers.length
    if (type === null || !isLossType(type)) while (at > 0 && isLossType(layers[at - 1].type)) at--
    return at
  }

  remove(i: number): void {
    this.withLayers((ls) => ls.splice(i, 1), null, [], (ls) => (ls.length === 0 ? null : Math.min(i, ls.length - 1)))
  }

  /** The copy goes right after the original and takes a default name (so names stay unique). */
  duplicate(i: number): void {
    this.withLayers((ls) => {
      const copy = structuredClone(ls[i]) as LayerSpec
      delete copy.name
      ls.splice(i + 1, 0, copy)
    }, null, [], () => i + 1)
  }

  move(from: number, to: number): void {
    const n = project.spec?.layers.length ?? 0
    if (from === to || from < 0 || to < 0 || from >= n || to >= n) return
    this.withLayers((ls) => {
      const [l] = ls.splice(from, 1)
      ls.splice(to, 0, l)
    }, null, [], () => to)
  }

  /** An empty name goes back to the default (`conv1`, `affine2`…). */
  rename(i: number, name: string): void {
    this.withLayers((ls) => {
      const l = ls[i] as LayerSpec
      const v = name.trim()
      if (v === '') delete l.name
      else l.name = v
    }, `name:${i}`, [i])
  }

  /** Set (or, with undefined, clear) one setting of layer i. */
  setField(i: number, key: string, value: unknown): void {
    const layer = project.spec?.layers[i]
    const note = layer ? { layer: this.names[i] ?? null, type: layer.type, key, from: (layer as unknown as Record<string, unknown>)[key], to: value } : undefined
    this.withLayers((ls) => {
      const l = ls[i] as unknown as Record<string, unknown>
      if (value === undefined) delete l[key]
      else l[key] = value
    }, `field:${i}:${key}`, [i], undefined, note)
  }

  setInput(dims: number[]): void {
    const spec = project.spec
    if (!spec) return
    this.change({ spec: { ...spec, input: dims }, presetId: project.presetId, kind: 'edit', key: 'input', note: { layer: null, type: null, key: 'input', from: spec.input, to: dims } })
  }

  setVocab(v: number | undefined): void {
    const spec = project.spec
    if (!spec) return
    const next = { ...spec }
    if (v === undefined) delete next.vocab
    else next.vocab = v
    this.change({ spec: next, presetId: project.presetId, kind: 'edit', key: 'vocab', note: { layer: null, type: null, key: 'vocab', from: spec.vocab, to: v } })
  }

  exportJson(): string {
    return JSON.stringify(project.spec, null, 2) + '\n'
  }

  /**
   * Import a file's text; a bad file changes nothing and leaves `importError` set. Returns whether the file was read.
   * `then` runs once the architecture is in place: at once, or after the keep-or-fresh question's answer (not after
   * Cancel), so the page says "imported" only when it was (it said so while the question was open, Q1 F9).
   */
  importJson(text: string, then?: () => void): boolean {
    const r = parseSpecJson(text)
    if (!r.ok) {
      this.importError = { key: r.key, values: r.values, more: r.more, rest: r.rest }
      return false
    }
    this.importError = null
    this.selected = null
    this.change({ spec: r.spec, presetId: null, kind: 'edit', key: null, then })
    return true
  }

  /**
   * `spec` becomes the page's architecture in place of the one being edited, as a new editor session (no undo
   * history, no question pending): an opened project's (lib/files.svelte.ts apply) or the model the host still holds
   * when the page loads again (lib/held-model.ts). `trained`: the host holds its weights. The training form is
   * filled for it; `freshForm`: with the network's own settings (an opened project brings its own), else the
   * learner's are carried over as after an edit.
   */
  adopt(spec: NetSpec, presetId: string | null, trained: boolean, freshForm: boolean): void {
    this.reset()
    project.spec = spec
    project.presetId = presetId
    project.trained = trained
    if (freshForm) trainLab.freshForm()
    trainLab.prepareForm(spec, trainLab.presetFor(spec, presetId))
  }

  /** Forget the history (a new editor session); used by tests. */
  reset(): void {
    this.restored = false
    this.past = []
    this.future = []
    this.selected = null
    this.pending = null
    this.importError = null
    this.lastKey = null
  }
}

/**
 * A language model's output that does not fit the vocabulary of the text chosen on the training page, as the editor
 * words it: the text named (the kept text's name, or the built-in text's own words when `name` is ''), a warning.
 */
export function forText(issue: SpecIssue, name: string): SpecIssue {
  const code = name === '' ? 'lm-output-not-builtin-text' : 'lm-output-not-text'
  return { ...issue, code, severity: 'warning', values: { ...issue.values, ...(name === '' ? {} : { text: name }) } }
}

export const editor = new EditorState()

// a run of the editor's architecture takes its multiply-adds from this report rather than validating it again
trainLab.knownReport = (spec) => editor.reportFor(spec)
