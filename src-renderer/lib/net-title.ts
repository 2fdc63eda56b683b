/**
 * The training page's name for a network edited on the Architecture page. A preset's title may carry its sizes,
 * "Two-layer network (784 → 100 → 10)", which stop being true once the learner changes them (an input of
 * 3 × 224 × 224, say): the page names such a network by its preset's title without those sizes, and says what it
 * is now, its input shape → its output shape, from the editor's report.
 */
import type { NetSpec, SpecReport } from '../../src-engine/spec-types'
import type { PresetInfo } from '../../src-main/ipc/contract'
import { i18n, t } from '../i18n/index.svelte'
import { isPresetAsIs } from './train-form'

/** What the training page knows of the network it would train, for its name (netTitle). */
export interface NetFacts {
  /** The project's network: null when it holds none (the page then trains the default preset). */
  project: NetSpec | null
  /** The network Start trains (the project's, else the default preset's); null while the presets load. */
  spec: NetSpec | null
  /** The preset it came from, when the page knows one. */
  preset: PresetInfo | null
  /** The default preset's id (the editor opens with it). */
  defaultId: string | null
  /** The editor's report on `spec`, for the shapes an edited preset is named by. */
  report: SpecReport | null
}

/**
 * The training page's name for the network, in the page's language: the default preset (none in the project, or the
 * default untouched, as the editor opens with it), another preset as it came, an edited preset named by what it is now,
 * or a network that did not start from a preset (built from an empty one, imported) by its own name.
 */
export function netTitle(f: NetFacts): string {
  const { spec, preset } = f
  if (!spec) return t('train.loadingPresets')
  const name = preset?.titles?.[i18n.lang] ?? spec.name ?? preset?.title ?? t('train.networkUnnamed')
  const asIs = f.project !== null && isPresetAsIs(f.project, preset)
  if (f.project === null || (asIs && preset?.id === f.defaultId)) return t('train.networkDefault', { name })
  if (asIs) return t('train.networkPreset', { name })
  const shapes = preset ? shapesNow(spec, f.report) : null
  return shapes ? t('train.networkEdited', { name: titleWithoutSizes(name), shapes }) : t('train.networkCustom', { name })
}

/** A title without a bracket that holds a number: "Two-layer network (784 → 100 → 10)" → "Two-layer network"; "Simple ConvNet (book)" stays. */
export function titleWithoutSizes(title: string): string {
  const bare = title.replace(/\s*\([^()]*\d[^()]*\)/g, '').trim()
  return bare || title
}

/**
 * "3 × 224 × 224 → 10": the input shape and the last layer's output shape, or null when the report has no shapes. Its
 * spaces do not break (the page's header wraps the name around it: "→ 10)" alone on a line read as a fragment).
 */
export function shapesNow(spec: NetSpec, report: SpecReport | null): string | null {
  const out = report?.ok ? report.layers.at(-1)?.outShape : null
  if (!out || spec.input.length === 0) return null
  const sh = (s: readonly number[]): string => s.join('\u00a0×\u00a0')
  return `${sh(spec.input)}\u00a0→\u00a0${sh(out)}`
}
