/**
 * Text generation from a character language model (book 2, chapter 7): feed the prompt through the
 * network, then repeatedly sample the next character from softmax(scores / temperature) and feed it
 * back in. The recurrent layers run statefully during generation, so each new character costs one
 * time step (T = 1) instead of re-reading the whole text; their previous mode is restored afterwards.
 * Randomness comes only from the given Rng: the same model, prompt, temperature and seed give the
 * same text.
 */
import { Rng } from '../rng'
import { tensor } from '../tensor'
import type { Layer } from '../layers/layer'
import type { Sequential } from './sequential'
import { aside } from './recurrent-state'
import { encode, prepareText, type CharVocab } from '../data/text'

/** Longest text one call generates (characters after the prompt). */
export const MAX_GENERATE_LENGTH = 10_000

export interface GenerateOptions {
  /** Text to continue; may be empty (the model then starts after a line break or a space). */
  prompt: string
  /** Characters to generate after the prompt. */
  length: number
  /** Softmax temperature: 1 samples the model's own distribution, below 1 is bolder about likely characters, 0 always takes the likeliest. */
  temperature: number
  /** Seed of the sampling Rng (default 1). */
  seed?: number
}

export interface Generated {
  prompt: string
  /** The generated characters only (without the prompt). */
  text: string
  ids: number[]
}

interface Recurrent extends Layer { stateful: boolean; resetState(): void }

function isRecurrent(l: Layer): l is Recurrent {
  return 'stateful' in l && typeof (l as Partial<Recurrent>).resetState === 'function'
}

/**
 * Index sampled from softmax(logits / temperature) (temperature 0: the arg-max; ties → first).
 * Reads logits[offset .. offset+V).
 */
export function sampleIndex(logits: ArrayLike<number>, offset: number, V: number, temperature: number, rng: Rng): number {
  if (!(temperature >= 0 && Number.isFinite(temperature))) throw new Error(`the temperature must be 0 or a positive number, got ${temperature}`)
  let best = 0
  for (let v = 1; v < V; v++) if (logits[offset + v] > logits[offset + best]) best = v
  if (temperature === 0) return best
  const max = logits[offset + best]
  const p = new Float64Array(V)
  let sum = 0
  for (let v = 0; v < V; v++) {
    p[v] = Math.exp((logits[offset + v] - max) / temperature)
    sum += p[v]
  }
  let r = rng.next() * sum
  for (let v = 0; v < V; v++) {
    r -= p[v]
    if (r < 0) return v
  }
  return best // rounding left r ≥ 0 after the last bin: take the likeliest
}

/** Checks that a model and vocabulary make a character language model; returns V. */
export function checkLanguageModel(model: Sequential, vocab: CharVocab): number {
  if (model.spec.task !== 'language-model') throw new Error(`this network is not a language model (its task is "${model.spec.task ?? 'classify'}"): text comes from task "language-model" networks such as char-lstm`)
  const V = vocab.chars.length
  if (model.spec.vocab !== undefined && model.spec.vocab !== V) {
    throw new Error(`the vocabulary has ${V} characters but the network predicts ${model.spec.vocab}; use the vocabulary saved with these weights`)
  }
  return V
}

/** Generates `length` characters after `prompt`. Throws (naming it) on a prompt character outside the vocabulary. */
export function generateText(model: Sequential, vocab: CharVocab, opts: GenerateOptions): Generated {
  const V = checkLanguageModel(model, vocab)
  const length = opts.length
  if (!(Number.isInteger(length) && length >= 0 && length <= MAX_GENERATE_LENGTH)) {
    throw new Error(`the length must be a whole number from 0 to ${MAX_GENERATE_LENGTH}, got ${length}`)
  }
  const rng = new Rng(opts.seed ?? 1)
  const prompt = prepareText(opts.prompt)
  let start = Array.from(encode(vocab, prompt))
  if (start.length === 0) {
    // No prompt: start as if after a line break (or a space), which every text has plenty of.
    const seedChar = ['\n', ' '].find((c) => vocab.chars.includes(c))
    start = [seedChar === undefined ? 0 : vocab.chars.indexOf(seedChar)]
  }
  const recurrent = model.layers.filter(isRecurrent)
  const ids: number[] = []
  // aside: from zero state, and afterwards each layer's mode and carried state are put back (a stateful run that
  // trains this model while text is asked for goes on from its own state)
  aside(model, () => {
    for (const l of recurrent) l.stateful = true
    let input = tensor([1, start.length], Float32Array.from(start))
    for (let k = 0; k < length; k++) {
      const scores = model.forward(input, false) // (1, T, V): the last step predicts the next character
      if (scores.shape.length !== 3 || scores.shape[2] !== V) {
        throw new Error(`the network's scores are ${JSON.stringify(scores.shape)} but a language model over ${V} characters gives (1, T, ${V})`)
      }
      const T = scores.shape[1]
      const next = sampleIndex(scores.data, (T - 1) * V, V, opts.temperature, rng)
      ids.push(next)
      input = tensor([1, 1], Float32Array.of(next))
    }
  })
  return { prompt, text: ids.map((i) => vocab.chars[i]).join(''), ids }
}
