/**
 * The training page's name for a network edited on the Architecture page. A preset's title may carry its sizes,
 * "Two-layer network (784 → 100 → 10)", which stop being true once the learner changes them (an input of
 * 3 × 224 × 224, say): the page names such a network by its preset's title without those sizes, and says what it
 * is now, its input shape → its output shape, from the editor's report.
 */
import type { NetSpec, SpecReport } from '../../src-engine/spec-types'

/** A title without a bracket that holds a number: "Two-layer network (784 → 100 → 10)" → "Two-layer network"; "Simple ConvNet (book)" stays. */
export function titleWithoutSizes(title: string): string {
  const bare = title.replace(/\s*\([^()]*\d[^()]*\)/g, '').trim()
  return bare || title
}

/** "3 × 224 × 224 → 10": the input shape and the last layer's output shape, or null when the report has no shapes. */
export function shapesNow(spec: NetSpec, report: SpecReport | null): string | null {
  const out = report?.ok ? report.layers.at(-1)?.outShape : null
  if (!out || spec.input.length === 0) return null
  const sh = (s: readonly number[]): string => s.join('\u00a0×\u00a0')
  return `${sh(spec.input)} → ${sh(out)}`
}
