/**
 * `lab generate`: continues a prompt with a trained character language model, sampling each next
 * character from softmax(scores / temperature) with the seeded Rng. The vocabulary comes from the
 * weights file (metadata "vocab", written by `train --out` for language models).
 */
import { Rng } from '../rng'
import { Sequential, WeightsError } from '../models/sequential'
import { generateText, MAX_GENERATE_LENGTH } from '../models/generate'
import { errorMessage } from '../train/errors'
import { decodeWeightsFile } from './weights-file'
import { readBytes } from './predict'
import { int, nonNegative, parseArgs, str, UsageError, type FlagKind } from './args'
import { checkedSpec, InputError, readJsonFile } from './spec-source'
import { Output } from './output'

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

  let file
  try {
    file = decodeWeightsFile(readBytes(weightsPath, 'weights'), weightsPath)
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError('bad-weights', `${weightsPath} is not a usable weights file: ${errorMessage(e)}`, 'Weights files are written by `npm run lab -- train ... --out W.safetensors`.')
  }
  if (file.vocab === null) {
    throw new InputError('no-vocab', `${weightsPath} has no vocabulary (metadata "vocab"), so its ids cannot be turned into characters`,
      'Train the language model again with `train --preset char-lstm --out W.safetensors`, which saves the vocabulary with the weights.')
  }
  const specPath = str(p, 'spec')
  const rawSpec = specPath !== undefined ? readJsonFile(specPath, 'spec') : file.spec
  if (rawSpec === null) throw new UsageError(`${weightsPath} does not say which network it belongs to; add --spec SPEC.json`)
  const where = specPath ?? `the spec inside ${weightsPath}`
  const V = file.vocab.chars.length
  const raw = rawSpec as { task?: unknown; vocab?: unknown }
  // A hand-written spec may leave the vocabulary size to the data ("units": "vocab"): it is the saved vocabulary's.
  const { spec } = checkedSpec(raw && typeof raw === 'object' && raw.task === 'language-model' && raw.vocab === undefined ? { ...raw, vocab: V } : raw, where)
  if (spec.task !== 'language-model') throw new InputError('not-language-model', `${where} is not a language model (task "${spec.task ?? 'classify'}"); generate needs one such as char-lstm`)

  const model = Sequential.fromSpec(spec, new Rng(0))
  try {
    model.loadWeights(file.tensors)
  } catch (e) {
    if (e instanceof WeightsError) throw new InputError(e.code, `${weightsPath} does not fit ${specPath ?? 'its spec'}: ${e.message}`)
    throw e
  }
  let result
  try {
    result = generateText(model, file.vocab, { prompt, length, temperature, seed })
  } catch (e) {
    throw new InputError('generate', errorMessage(e), /vocabulary/.test(errorMessage(e)) ? 'Use only characters of the text the model was trained on in --prompt.' : undefined)
  }
  out.event('done', { prompt: result.prompt, text: result.text, length: result.ids.length, temperature, seed }, result.prompt + result.text)
  return 0
}
