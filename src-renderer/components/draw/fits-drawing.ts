/**
 * Whether the network can answer the draw page's picture: 28 × 28 = 784 values per example (an image (1, 28, 28),
 * a vector (784), or 28 rows read in turn (28, 28)). A language model reads character numbers, and a network
 * built for another input size cannot take the drawing: asking the engine anyway brought back its English refusal
 * ("the network expects inputs of (64) per example…", K4's walk with the character LSTM trained), so the page
 * says so in the learner's words and asks nothing.
 */
import type { NetSpec } from '../../../src-engine/spec-types'

export const DRAWING_VALUES = 28 * 28

export type DrawingFit = { ok: true } | { ok: false; why: 'text' } | { ok: false; why: 'shape'; shape: string }

export function fitsDrawing(spec: NetSpec | null | undefined): DrawingFit {
  if (!spec) return { ok: true }
  if (spec.task === 'language-model') return { ok: false, why: 'text' }
  const values = spec.input.reduce((a, b) => a * b, 1)
  return values === DRAWING_VALUES ? { ok: true } : { ok: false, why: 'shape', shape: `(${spec.input.join(', ')})` }
}
