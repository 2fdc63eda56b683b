/**
 * Data layer of the self-attention explainer. Each word gets a small, fixed embedding (d = 4, one
 * decimal, the same vector every time the word appears); Q = X·Wq, K = X·Wk, V = X·Wv, scores
 * Q·Kᵀ / √d_k, a row-wise softmax, and the weighted sum A·V — with the engine's GEMM and softmax.
 * X and the W's have one decimal, so Q, K and V are exact to two decimals and Q·Kᵀ to four: the
 * explainer shows them to that precision so that each step can be redone by hand from the screen.
 * A causal mask (a language model may only look back) sets the scores above the diagonal to −∞.
 */
import { Rng } from '../../../src-engine/rng'
import { gemm } from '../../../src-engine/kernels/gemm'
import { softmaxForward } from '../../../src-engine/kernels/softmax'

export const D_MODEL = 4

/** The course's worked row: Q·Kᵀ of the first word against three words, with d_k = 64. */
export const WORKED_ROW = { scores: [110, 90, 80], dk: 64 }

export interface ScaledRow { scaled: number[]; weights: number[] }

/** One row of scores divided by √d_k, then softmax (the engine's kernel). */
export function scaledSoftmaxRow(scores: readonly number[], dk: number): ScaledRow {
  const scaled = scores.map((s) => s / Math.sqrt(dk))
  const p = new Float32Array(scores.length)
  softmaxForward(p, Float32Array.from(scaled), 1, scores.length)
  return { scaled, weights: Array.from(p) }
}

/** Splits a sentence into words (spaces; punctuation dropped), at most `max`. */
export function tokenize(sentence: string, max = 8): string[] {
  return sentence
    .split(/\s+/)
    .map((w) => w.replace(/[.,!?;:"'()]/g, ''))
    .filter((w) => w.length > 0)
    .slice(0, max)
}

function hash(s: string): number {
  let h = 0x811c9dc5
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0
  return h
}

/** A word's embedding: 4 values in [−1, 1] with one decimal, fixed by the word (case-insensitive). */
export function embed(word: string): number[] {
  const rng = new Rng(hash(word.toLowerCase()))
  return Array.from({ length: D_MODEL }, () => Math.round((rng.next() * 2 - 1) * 10) / 10)
}

/**
 * The projection matrices (D_MODEL, D_MODEL), fixed, with one decimal, in [−1.5, 1.5]: large enough
 * that the softmax picks favourites in a short sentence (smaller weights give nearly uniform rows).
 */
export function projections(seed = 2024): { Wq: number[][]; Wk: number[][]; Wv: number[][] } {
  const rng = new Rng(seed)
  const m = (): number[][] => Array.from({ length: D_MODEL }, () => Array.from({ length: D_MODEL }, () => Math.round((rng.next() * 3 - 1.5) * 10) / 10))
  return { Wq: m(), Wk: m(), Wv: m() }
}

export interface Attention {
  words: string[]
  X: number[][]
  /** The projections (D_MODEL, D_MODEL) that made Q, K and V, as shown. */
  Wq: number[][]; Wk: number[][]; Wv: number[][]
  Q: number[][]; K: number[][]; V: number[][]
  /** Q·Kᵀ (n, n), unmasked. */
  scores: number[][]
  /** Whether the causal mask was applied. */
  causal: boolean
  /** Q·Kᵀ as it goes into the softmax: with the causal mask, −∞ above the diagonal; else the scores. */
  masked: number[][]
  /** masked / √d_k. */
  scaled: number[][]
  /** softmax of each row: who each word attends to. */
  weights: number[][]
  /** weights·V: the new representation of each word. */
  out: number[][]
  dk: number
}

/**
 * The causal mask on a square matrix of scores (row i = the word that asks): the entries above the
 * diagonal (j > i, words after it) become −∞, so that the softmax gives them weight exactly 0 and each
 * word attends only to itself and the words before it. The diagonal always stays, so no row is all −∞.
 */
export function causalMask(scores: Float32Array, n: number): Float32Array {
  const out = Float32Array.from(scores)
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out[i * n + j] = -Infinity
  return out
}

export interface AttentionOptions {
  seed?: number
  /** Mask the scores above the diagonal (a word may not look at the words after it). */
  causal?: boolean
}

const rows = (a: Float32Array, n: number, m: number): number[][] => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * m, (i + 1) * m)))

export function selfAttention(words: string[], { seed = 2024, causal = false }: AttentionOptions = {}): Attention {
  const n = words.length
  const d = D_MODEL
  const X = words.map(embed)
  const { Wq, Wk, Wv } = projections(seed)
  const x = Float32Array.from(X.flat())
  const proj = (W: number[][]): Float32Array => {
    const out = new Float32Array(n * d)
    gemm(out, x, Float32Array.from(W.flat()), n, d, d)
    return out
  }
  const q = proj(Wq), k = proj(Wk), v = proj(Wv)
  const s = new Float32Array(n * n)
  gemm(s, q, k, n, n, d, { transB: true }) // (n, d)·(n, d)ᵀ
  const m = causal ? causalMask(s, n) : s
  const scale = 1 / Math.sqrt(d)
  const sc = m.map((val) => val * scale) // −∞ stays −∞, and exp(−∞ − max) = 0 in the softmax
  const p = new Float32Array(n * n)
  softmaxForward(p, sc, n, n)
  const o = new Float32Array(n * d)
  gemm(o, p, v, n, d, n)
  return {
    words, X, Wq, Wk, Wv, Q: rows(q, n, d), K: rows(k, n, d), V: rows(v, n, d),
    scores: rows(s, n, n), causal, masked: rows(m, n, n), scaled: rows(sc, n, n), weights: rows(p, n, n), out: rows(o, n, d), dk: d
  }
}
