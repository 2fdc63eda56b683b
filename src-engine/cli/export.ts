/**
 * `lab export`: converts a trained weights file (safetensors, as `train --out` writes it) into files
 * other tools load — ONNX (the whole model, for ONNX Runtime) and NumPy .npz (the tensors by name).
 * The weights are checked against the spec (from the file's metadata or --spec) before anything is
 * written, so a file that does not fit its network never produces a half-right export.
 */
import { writeFileSync } from 'node:fs'
import { exportOnnx } from '../io/onnx'
import { encodeNpz } from '../io/npz'
import { parseArgs, str, UsageError, type FlagKind } from './args'
import type { Output } from './output'
import { loadModel, readWeights, specFor } from './model-file'
import { InputError } from './spec-source'
import { errorMessage } from '../train/errors'

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

  const file = readWeights(weightsPath)
  const { spec, fit } = specFor(p, weightsPath, file)
  const model = loadModel(spec, file, weightsPath, fit)
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
