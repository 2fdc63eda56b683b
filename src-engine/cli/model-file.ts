/**
 * The steps `predict`, `export`, `generate` and `evaluate` share: read --weights (a safetensors file, or a
 * .bplab project: its weights.safetensors with project.json's spec and vocabulary), find the spec (--spec or
 * the one inside), and load the weights into a model. Every failure says what to do.
 */
import { readFileSync } from 'node:fs'
import { Rng } from '../rng'
import type { NetSpec } from '../spec-types'
import { Sequential, WeightsError } from '../models/sequential'
import { errorMessage } from '../train/errors'
import type { TrainSettings } from '../protocol'
import { decodeProject, ProjectError, type ProjectText } from '../io/project'
import { vocabFromChars } from '../data/text'
import { decodeWeightsFile, notSafetensors, otherFormat } from './weights-file'
import { str, UsageError, type Parsed } from './args'
import { checkedSpec, InputError, readJsonFile } from './spec-source'

/**
 * A weights file as read: its tensors, spec and vocabulary; from a .bplab project also what it was trained with
 * (`project`: its settings, which say the data and the held-out share, and a language model's carried text).
 */
export type WeightsFile = ReturnType<typeof decodeWeightsFile> & { project?: { settings: Partial<TrainSettings>; text?: ProjectText } }

/** Reads a file for a command, naming what it is for when it is missing or unreadable. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EISDIR') {
      // a teacher's folder of hand-ins given as it is: the shell expands its files with a glob
      throw new InputError('file', `${path} is a folder, not a ${what} file`, what === 'weights' ? `Give the files in it: --weights ${path.replace(/[\\/]+$/, '')}/*` : undefined)
    }
    throw new InputError('file', code === 'ENOENT' ? `the ${what} file ${path} does not exist` : `cannot read the ${what} file ${path}: ${errorMessage(e)}`)
  }
}

/** The weights file at `path`, decoded and validated: a safetensors file, or a .bplab project's weights. */
export function readWeights(path: string): WeightsFile {
  const bytes = readBytes(path, 'weights')
  if (isProject(bytes)) return projectWeights(bytes, path)
  try {
    return decodeWeightsFile(bytes, path)
  } catch (e) {
    const other = notSafetensors(e) ? otherFormat(bytes, path) : null
    if (other !== null) {
      // another of the lab's files: say which, and which one --weights takes (the app imports only safetensors too)
      throw new InputError('not-weights', `${path} is ${other}, not a weights file: --weights takes the .safetensors file or the .bplab project the lab writes`,
        'Write one with `npm run lab -- train ... --out W.safetensors`, or in the app with Model & project › Export weights (safetensors).')
    }
    throw new InputError('bad-weights', `${path} is not a usable weights file: ${errorMessage(e)}`, 'Weights files are written by `npm run lab -- train ... --out W.safetensors` or the app\'s export.')
  }
}

/**
 * A zip holding a project.json is read as a project, whatever its name (a hand-in renamed .zip); the name is looked for
 * in the archive's bytes, cheaply (a .npz never has one). A zip without one, named .bplab or not, is said to be what it
 * is by otherFormat.
 */
function isProject(bytes: Uint8Array): boolean {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) return false
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('project.json')
}

/**
 * A project's weights as a weights file: the spec and vocabulary from its project.json, checked against each other
 * by decodeProject (a damaged or other file is refused with its words). A project saved before any training has none.
 */
function projectWeights(bytes: Uint8Array, path: string): WeightsFile {
  let project
  try {
    project = decodeProject(bytes, path)
  } catch (e) {
    // a newer lab's project says to update; any other is damaged or not this network's: it has to be saved again
    if (e instanceof ProjectError) throw new InputError(e.code, e.message, e.code === 'newer-project' ? undefined : 'Save the project again in the app (Model & project › Save project), or export its weights (Model & project › Export weights (safetensors)).')
    throw e
  }
  if (project.weights === undefined) {
    throw new InputError('no-weights', `${path} is a project with no trained weights (it was saved before training)`, 'Train it in the app, then save the project again (Model & project › Save project).')
  }
  let vocab = null
  try {
    vocab = project.vocab ? vocabFromChars(project.vocab) : null
  } catch (e) {
    throw new InputError('bad-project', `${path}: project.json's vocabulary is not usable: ${errorMessage(e)}`)
  }
  // the spec as saved (a language model's vocabulary size is in it): a shallow copy, which checkedSpec may not change
  return {
    tensors: project.weights, spec: { ...project.spec }, vocab,
    project: { settings: project.settings ?? {}, ...(project.text ? { text: project.text } : {}) }
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
