/**
 * `lab export`: converts a trained weights file (safetensors, as `train --out` writes it) into files
 * other tools load — ONNX (the whole model, for ONNX Runtime) and NumPy .npz (the tensors by name).
 * The weights are checked against the spec (from the file's metadata or --spec) before anything is
 * written, so a file that does not fit its network never produces a half-right export.
 */
import { writeFileSync } from 'node:fs'
import { Rng } from '../rng'
import { Sequential, WeightsError } from '../models/sequential'
import { exportOnnx } from '../io/onnx'
import { encodeNpz } from '../io/npz'
import { errorMessage } from '../train/errors'
import { decodeWeightsFile } from './weights-file'
import { parseArgs, str, UsageError, type FlagKind } from './args'
import { checkedSpec, InputError, readJsonFile } from './spec-source'
import { readBytes } from './predict'
import type { Output } from './output'

export const EXPORT_FLAGS: Record<string, FlagKind> = {
  weights: 'string', spec: 'string', onnx: 'string', npz: 'string', compress: 'switch', json: 'switch', help: 'switch'
}

function write(path: string, bytes: Uint8Array, what: string): void {
  try {
    writeFileSync(path, bytes)
  } catch (e) {
    throw new InputError('file', `cannot write the ${what} file ${path}: ${errorMessage(e)}`)
  }
}

export function exportCommand(argv: readonly string[], out: Output): number {
  const p = parseArgs(argv, EXPORT_FLAGS, 'export')
  const weightsPath = str(p, 'weights')
  const onnxPath = str(p, 'onnx')
  const npzPath = str(p, 'npz')
  if (weightsPath === undefined) throw new UsageError('export needs --weights W.safetensors (written by `train --out`)')
  if (onnxPath === undefined && npzPath === undefined) throw new UsageError('export needs at least one output: --onnx OUT.onnx and/or --npz OUT.npz')
  if (p.positionals.length > 0) throw new UsageError(`"export" takes no positional arguments (got ${p.positionals.join(' ')})`)

  let file
  try {
    file = decodeWeightsFile(readBytes(weightsPath, 'weights'), weightsPath)
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError('bad-weights', `${weightsPath} is not a usable weights file: ${errorMessage(e)}`, 'Weights files are written by `npm run lab -- train ... --out W.safetensors` or the app\'s export.')
  }
  const specPath = str(p, 'spec')
  const rawSpec = specPath !== undefined ? readJsonFile(specPath, 'spec') : file.spec
  if (rawSpec === null) throw new UsageError(`${weightsPath} does not say which network it belongs to; add --spec SPEC.json`)
  const { spec } = checkedSpec(rawSpec, specPath ?? `the spec inside ${weightsPath}`)

  // Loading into a real model checks every name, shape and value the same way the app does.
  const model = Sequential.fromSpec(spec, new Rng(0))
  try {
    model.loadWeights(file.tensors)
  } catch (e) {
    if (e instanceof WeightsError) throw new InputError(e.code, `${weightsPath} does not fit ${specPath ?? 'its spec'}: ${e.message}`)
    throw e
  }
  const weights = model.weights()

  if (onnxPath !== undefined) {
    let bytes: Uint8Array
    try {
      bytes = exportOnnx(spec, weights, { producer: 'Backprop Lab CLI' })
    } catch (e) {
      throw new InputError('export-failed', `the model could not be exported as ONNX: ${errorMessage(e)}`)
    }
    write(onnxPath, bytes, 'ONNX')
    out.event('written', { format: 'onnx', file: onnxPath, bytes: bytes.length }, `wrote ${onnxPath} (ONNX, ${bytes.length} bytes; input "input", outputs "scores" and "output")`)
  }
  if (npzPath !== undefined) {
    const bytes = encodeNpz(weights, p.flags.has('compress'))
    write(npzPath, bytes, '.npz')
    out.event('written', { format: 'npz', file: npzPath, bytes: bytes.length, arrays: Object.keys(weights) },
      `wrote ${npzPath} (NumPy .npz, ${Object.keys(weights).length} arrays, ${bytes.length} bytes)`)
  }
  out.event('done', { params: model.paramCount }, 'done')
  return 0
}
