/**
 * `lab generate`: continues a prompt with a trained character language model, sampling each next
 * character from softmax(scores / temperature) with the seeded Rng. The vocabulary comes from the
 * weights file (metadata "vocab", written by `train --out` for language models).
 */
import { generateText, MAX_GENERATE_LENGTH } from '../models/generate'
import { errorMessage } from '../train/errors'
import { int, nonNegative, parseArgs, str, UsageError, type FlagKind } from './args'
import { InputError } from './spec-source'
import { Output } from './output'
import { loadModel, readWeights, specFor } from './model-file'

export const GENERATE_FLAGS: Record<string, FlagKind> = {
  spec: 'string', weights: 'string', prompt: 'string', length: 'string', temperature: 'string', seed: 'string', json: 'switch', help: 'switch'
}

export async function generateCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, GENERATE_FLAGS, 'generate')
  if (p.positionals.length > 0) throw new UsageError(`"generate" takes no positional arguments (got ${p.positionals.join(' ')}); give the prompt with --prompt "..."`)
  const weightsPath = str(p, 'weights')
  if (weightsPath === undefined) throw new UsageError('generate needs --weights W.safetensors (written by `train --preset char-lstm --out W.safetensors`)')
  const length = int(p, 'length', 0) ?? 200
  if (length > MAX_GENERATE_LENGTH) throw new UsageError(`--length must be at most ${MAX_GENERATE_LENGTH}, got ${length}`)
  const temperature = nonNegative(p, 'temperature') ?? 1
  const seed = int(p, 'seed', 0) ?? 1
  const prompt = str(p, 'prompt') ?? ''

  const file = readWeights(weightsPath)
  if (file.vocab === null) {
    throw new InputError('no-vocab', `${weightsPath} has no vocabulary (metadata "vocab"), so its ids cannot be turned into characters`,
      'Train the language model again with `train --preset char-lstm --out W.safetensors`, which saves the vocabulary with the weights.')
  }
  const V = file.vocab.chars.length
  // A hand-written spec may leave the vocabulary size to the data ("units": "vocab"): it is the saved vocabulary's.
  const { spec, where, fit } = specFor(p, weightsPath, file, (raw: unknown) => {
    const r = raw as { task?: unknown; vocab?: unknown }
    return r && typeof r === 'object' && r.task === 'language-model' && r.vocab === undefined ? { ...r, vocab: V } : raw
  })
  if (spec.task !== 'language-model') throw new InputError('not-language-model', `${where} is not a language model (task "${spec.task ?? 'classify'}"); generate needs one such as char-lstm`)
  const model = loadModel(spec, file, weightsPath, fit)
  let result
  try {
    result = generateText(model, file.vocab, { prompt, length, temperature, seed })
  } catch (e) {
    throw new InputError('generate', errorMessage(e), /vocabulary/.test(errorMessage(e)) ? 'Use only characters of the text the model was trained on in --prompt.' : undefined)
  }
  out.event('done', { prompt: result.prompt, text: result.text, length: result.ids.length, temperature, seed }, result.prompt + result.text)
  return 0
}
