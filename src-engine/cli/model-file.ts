/**
 * The steps `predict`, `export` and `generate` share: read --weights, find the spec (--spec or the one
 * inside the weights), and load the weights into a model. Every failure says what to do.
 */
import { readFileSync } from 'node:fs'
import { Rng } from '../rng'
import type { NetSpec } from '../spec-types'
import { Sequential, WeightsError } from '../models/sequential'
import { errorMessage } from '../train/errors'
import { decodeWeightsFile, notSafetensors, otherFormat } from './weights-file'
import { str, UsageError, type Parsed } from './args'
import { checkedSpec, InputError, readJsonFile } from './spec-source'

export type WeightsFile = ReturnType<typeof decodeWeightsFile>

/** Reads a file for a command, naming what it is for when it is missing or unreadable. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError('file', code === 'ENOENT' ? `the ${what} file ${path} does not exist` : `cannot read the ${what} file ${path}: ${errorMessage(e)}`)
  }
}

/** The weights file at `path`, decoded and validated. */
export function readWeights(path: string): WeightsFile {
  const bytes = readBytes(path, 'weights')
  try {
    return decodeWeightsFile(bytes, path)
  } catch (e) {
    const other = notSafetensors(e) ? otherFormat(bytes, path) : null
    if (other !== null) {
      // another of the lab's files: say which, and which one --weights takes (the app imports only safetensors too)
      throw new InputError('not-weights', `${path} is ${other}, not a weights file: --weights takes the .safetensors file the lab writes`,
        'Write one with `npm run lab -- train ... --out W.safetensors`, or in the app with Model & project › Export weights (safetensors).')
    }
    throw new InputError('bad-weights', `${path} is not a usable weights file: ${errorMessage(e)}`, 'Weights files are written by `npm run lab -- train ... --out W.safetensors` or the app\'s export.')
  }
}

/**
 * The network the weights belong to: --spec when given, else the spec stored in the weights. `adapt` may
 * complete a raw spec before validation (a language model's vocabulary size from the saved vocabulary).
 */
export function specFor(p: Parsed, weightsPath: string, file: WeightsFile, adapt: (raw: unknown) => unknown = (r) => r): { spec: NetSpec; where: string; fit: string } {
  const specPath = str(p, 'spec')
  const raw = specPath !== undefined ? readJsonFile(specPath, 'spec') : file.spec
  if (raw === null) throw new UsageError(`${weightsPath} does not say which network it belongs to; add --spec SPEC.json`)
  const where = specPath ?? `the spec inside ${weightsPath}`
  return { spec: checkedSpec(adapt(raw), where).spec, where, fit: specPath ?? 'its spec' }
}

/** A model of `spec` holding the file's weights; every name, shape and value is checked as the app does. */
export function loadModel(spec: NetSpec, file: WeightsFile, weightsPath: string, fit: string): Sequential {
  const model = Sequential.fromSpec(spec, new Rng(0))
  try {
    model.loadWeights(file.tensors)
  } catch (e) {
    if (e instanceof WeightsError) throw new InputError(e.code, `${weightsPath} does not fit ${fit}: ${e.message}`)
    throw e
  }
  return model
}
