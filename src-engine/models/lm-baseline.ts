/**
 * Yardsticks for a character language model: the unigram model (each character drawn on its own,
 * with its frequency in the training text, ignoring everything before it) and the share of
 * generated words that are real words of the text. A language model worth its name beats the
 * unigram model on both: lower held-out perplexity, and far more real words.
 */
import { Rng } from '../rng'

/** Character frequencies of `ids` over V ids, with add-one smoothing (no character has probability 0). */
export function unigramProbs(ids: ArrayLike<number>, V: number): Float64Array {
  const p = new Float64Array(V).fill(1)
  for (let i = 0; i < ids.length; i++) p[ids[i]]++
  const z = ids.length + V
  for (let v = 0; v < V; v++) p[v] /= z
  return p
}

/** Perplexity of the unigram model `p` on `ids`: exp(mean of −log p(id)). */
export function unigramPerplexity(p: ArrayLike<number>, ids: ArrayLike<number>): number {
  let nll = 0
  for (let i = 0; i < ids.length; i++) nll -= Math.log(p[ids[i]])
  return Math.exp(nll / ids.length)
}

/** `length` ids drawn independently from the unigram probabilities `p`, with the seeded Rng. */
export function sampleUnigram(p: ArrayLike<number>, length: number, rng: Rng): number[] {
  const out: number[] = []
  for (let k = 0; k < length; k++) {
    let r = rng.next()
    let v = 0
    while (v < p.length - 1 && (r -= p[v]) >= 0) v++
    out.push(v)
  }
  return out
}

/** The words of a text: runs of letters (any script, so Hangul counts), lower-cased. */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+/gu) ?? [])
}

/** The share (0..1) of the words of `text` found in `known`; 0 for a text without words. */
export function realWordShare(text: string, known: ReadonlySet<string>): { share: number; words: number; real: number } {
  const words = wordsOf(text)
  const real = words.filter((w) => known.has(w)).length
  return { share: words.length === 0 ? 0 : real / words.length, words: words.length, real }
}
