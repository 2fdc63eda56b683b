/**
 * Character-level text for language models (book 2's corpus / word_to_id, one character per token).
 * Tokens are Unicode code points, so a Hangul syllable such as "한" is one token (text is first
 * normalised to NFC, which composes separate jamo into syllables). Pure TypeScript.
 * Shapes: T is the number of time steps; a window holds T+1 ids: xs = ids[0..T), ts = ids[1..T].
 */
import type { Tensor } from '../tensor'
import { shapeText } from '../tensor'

/** id → character; plain data, saved beside a language model's weights. */
export interface CharVocab {
  readonly chars: readonly string[]
}

/** NFC composition and "\n" line endings, so the same text always gives the same tokens. */
export function prepareText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n')
}

/**
 * The bytes of text file `name` as a string: UTF-8 strictly, a byte-order mark dropped, a clear error if it is
 * not UTF-8. One rule for a text file on the host (data/files.ts loadTextFile), an uploaded text
 * (src-main/file-store.ts) and a text carried in a project (io/project.ts).
 */
export function decodeTextFile(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new Error(`${name} is not valid UTF-8 text; save it as UTF-8 and open it again`)
  }
}

/** A text's characters (code points, after prepareText) and its distinct ones (the vocabulary size buildVocab gives it). */
export function textCounts(text: string): { chars: number; vocab: number } {
  const seen = new Set<string>()
  let chars = 0
  for (const ch of prepareText(text)) {
    seen.add(ch)
    chars++
  }
  return { chars, vocab: seen.size }
}

/** Every distinct code point of the (prepared) text, in code-point order. */
export function buildVocab(text: string): CharVocab {
  const seen = new Set<string>()
  for (const ch of prepareText(text)) seen.add(ch)
  const chars = [...seen].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)
  return { chars }
}

/** A vocabulary read back from a file: checks that each entry is one code point and none repeats. */
export function vocabFromChars(chars: readonly string[]): CharVocab {
  const seen = new Set<string>()
  chars.forEach((ch, i) => {
    if (typeof ch !== 'string' || [...ch].length !== 1) throw new Error(`vocabulary entry #${i} must be one character, got ${JSON.stringify(ch)}`)
    if (seen.has(ch)) throw new Error(`vocabulary entry #${i} ${JSON.stringify(ch)} appears twice`)
    seen.add(ch)
  })
  return { chars: [...chars] }
}

/** A character the vocabulary lacks: the first one of a text, and its position (in code points, after prepareText). */
export class UnknownCharError extends Error {
  constructor(readonly char: string, readonly position: number, vocabSize: number) {
    const cp = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
    super(`character ${JSON.stringify(char)} (U+${cp}) at position ${position} is not in the vocabulary of ${vocabSize}`)
    this.name = 'UnknownCharError'
  }
}

/** Text → ids (T). Characters outside the vocabulary are an error naming the first one (UnknownCharError), or skipped. */
export function encode(vocab: CharVocab, text: string, unknown: 'error' | 'skip' = 'error'): Int32Array {
  const index = new Map<string, number>()
  vocab.chars.forEach((ch, i) => index.set(ch, i))
  const out: number[] = []
  let pos = 0
  for (const ch of prepareText(text)) {
    const id = index.get(ch)
    if (id !== undefined) out.push(id)
    else if (unknown === 'error') throw new UnknownCharError(ch, pos, vocab.chars.length)
    pos++
  }
  return Int32Array.from(out)
}

/** ids → text. */
export function decode(vocab: CharVocab, ids: ArrayLike<number>): string {
  let s = ''
  for (let i = 0; i < ids.length; i++) {
    const ch = vocab.chars[ids[i]]
    if (ch === undefined) throw new Error(`id ${ids[i]} at position ${i} is outside the vocabulary of ${vocab.chars.length}`)
    s += ch
  }
  return s
}

/** The share of a text a run holds out for testing: its last tenth (train/data.ts). */
export const TEXT_TEST_FRACTION = 0.1

/**
 * Characters of the built-in text (Pride and Prejudice, chapters 1–28, after prepareText), as textCounts counts them:
 * the cost note counts an epoch by it before any text is loaded; test/engine/data/builtin-sizes.test.ts holds it to the file.
 */
export const BUILTIN_TEXT_CHARS = 278_848

/**
 * Distinct characters of the built-in text, as textCounts counts them: the vocabulary a run on it gets, so the editor
 * can size a language model's vocabulary layers for it before any run (builtin-sizes.test.ts holds it to the file).
 */
export const BUILTIN_TEXT_VOCAB = 74

/** How many of a text's `chars` ids are trained on: the head textCorpus keeps before the held-out tail. */
export function textTrainLength(chars: number, testFraction = TEXT_TEST_FRACTION): number {
  return Math.round(chars * (1 - testFraction))
}

/**
 * The fewest characters a text needs for a language model with input length `T`: one window of T+1 characters in
 * the head it trains on and one in the tail held out to test (textCorpus splits off the last tenth, so about ten
 * windows' worth: 646 for T = 64). Fewer, and the run cannot start (train/data.ts says so with these numbers).
 */
export function textMinChars(T: number, testFraction = TEXT_TEST_FRACTION): number {
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`textMinChars: T must be a positive integer, got ${T}`)
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`textMinChars: testFraction must be in (0, 1), got ${testFraction}`)
  const w = T + 1
  // both parts grow by 0 or 1 as the text grows by one character: the first length that gives both windows, by bisection
  const fits = (n: number): boolean => textTrainLength(n, testFraction) >= w && n - textTrainLength(n, testFraction) >= w
  let hi = w
  while (!fits(hi)) hi *= 2
  let lo = Math.floor(hi / 2)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/** How many (T+1)-id windows makeWindows cuts from `length` ids every `stride`; 0 when not even one fits. */
export function windowCount(length: number, T: number, stride = T): number {
  return length < T + 1 ? 0 : Math.floor((length - (T + 1)) / stride) + 1
}

/** A text ready for training: its vocabulary and ids, split into a train head and a held-out tail. */
export interface TextCorpus {
  readonly vocab: CharVocab
  readonly train: Int32Array
  readonly test: Int32Array
}

/**
 * Tokenise a whole text and hold out its last `testFraction` as test ids. The split is contiguous
 * (not shuffled): neighbouring windows overlap in content, so shuffling would leak test text into training.
 */
export function textCorpus(text: string, testFraction = TEXT_TEST_FRACTION): TextCorpus {
  if (!(testFraction >= 0 && testFraction < 1)) throw new Error(`textCorpus: testFraction must be in [0, 1), got ${testFraction}`)
  const vocab = buildVocab(text)
  const ids = encode(vocab, text)
  const cut = textTrainLength(ids.length, testFraction)
  return { vocab, train: ids.slice(0, cut), test: ids.slice(cut) }
}

/**
 * Start offsets of (T+1)-id windows over ids, every `stride` ids (default T: windows share one id,
 * so every id is predicted once). Shuffle the returned order with the Rng, batch it with makeBatches.
 */
export function makeWindows(ids: ArrayLike<number>, T: number, stride = T): Uint32Array {
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`makeWindows: T must be a positive integer, got ${T}`)
  if (!(Number.isInteger(stride) && stride > 0)) throw new Error(`makeWindows: stride must be a positive integer, got ${stride}`)
  if (ids.length < T + 1) throw new Error(`makeWindows: the text has ${ids.length} tokens, fewer than one window of T+1 = ${T + 1}`)
  const count = windowCount(ids.length, T, stride)
  const starts = new Uint32Array(count)
  for (let k = 0; k < count; k++) starts[k] = k * stride
  return starts
}

/**
 * Fill outX (N, T) with ids[s .. s+T) and outT (N, T) with ids[s+1 .. s+T] for each start s of the batch.
 * Ids are stored as float32 (exact up to 2^24), as TimeEmbedding and TimeSoftmaxWithLoss read them.
 */
export function gatherWindows(ids: ArrayLike<number>, starts: ArrayLike<number>, T: number, outX: Tensor, outT: Tensor): void {
  const N = starts.length
  for (const [name, t] of [['outX', outX], ['outT', outT]] as const) {
    if (t.shape.length !== 2 || t.shape[0] !== N || t.shape[1] !== T) {
      throw new Error(`gatherWindows: ${name} is ${shapeText(t.shape)} but the batch needs (${N}, ${T})`)
    }
  }
  for (let n = 0; n < N; n++) {
    const s = starts[n]
    if (!(s >= 0 && s + T + 1 <= ids.length)) throw new Error(`gatherWindows: window at ${s} runs past the ${ids.length} ids`)
    for (let t = 0; t < T; t++) {
      outX.data[n * T + t] = ids[s + t]
      outT.data[n * T + t] = ids[s + t + 1]
    }
  }
}

/**
 * Book 2's truncated-BPTT order for stateful training: the ids are cut into batchSize equal lanes
 * and batch k takes window k of every lane, so row n of batch k+1 continues exactly where row n of
 * batch k stopped (carry h and c across batches; reset them each epoch). Returns each batch's
 * window starts, ready for gatherWindows.
 */
export function sequentialBatches(ids: ArrayLike<number>, batchSize: number, T: number): Uint32Array[] {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`sequentialBatches: batch size must be a positive integer, got ${batchSize}`)
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`sequentialBatches: T must be a positive integer, got ${T}`)
  const lane = Math.floor(ids.length / batchSize)
  // A window reads T+1 ids, and its last id is the next window's first, so a lane of L ids holds floor((L-1)/T) windows.
  const steps = Math.floor((lane - 1) / T)
  if (steps < 1) {
    throw new Error(`sequentialBatches: ${ids.length} tokens in ${batchSize} lanes leave ${lane} per lane, fewer than one window of T+1 = ${T + 1}`)
  }
  const batches: Uint32Array[] = []
  for (let k = 0; k < steps; k++) {
    const starts = new Uint32Array(batchSize)
    for (let n = 0; n < batchSize; n++) starts[n] = n * lane + k * T
    batches.push(starts)
  }
  return batches
}
