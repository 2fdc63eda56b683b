/**
 * `lab predict`: runs a saved model on images from a .npy file (N, C, H, W) float32 in 0..1 and
 * prints, per example, the predicted class with its probabilities and logits — or, for an
 * autoencoder (task "reconstruct"), the reconstructed image and its MSE against the input.
 */
import { sizeOf, shapeText } from '../tensor'
import { decodeNpy } from '../io/npy'
import { errorMessage } from '../train/errors'
import { classOf, classOutputOf, classValue, scoreDigits } from '../models/class-output'
import { parseArgs, str, UsageError, type FlagKind } from './args'
import { InputError } from './spec-source'
import { Output } from './output'
import { loadModel, readBytes, readWeights, specFor } from './model-file'

export const PREDICT_FLAGS: Record<string, FlagKind> = { spec: 'string', weights: 'string', input: 'string', json: 'switch', help: 'switch' }

const CHUNK = 100

export async function predictCommand(argv: readonly string[], out: Output): Promise<number> {
  const p = parseArgs(argv, PREDICT_FLAGS, 'predict')
  const weightsPath = str(p, 'weights')
  const inputPath = str(p, 'input')
  if (weightsPath === undefined) throw new UsageError('predict needs --weights W.safetensors (written by `train --out`)')
  if (inputPath === undefined) throw new UsageError('predict needs --input X.npy: float32 images (N, C, H, W) with values in 0..1')
  if (p.positionals.length > 0) throw new UsageError(`"predict" takes no positional arguments (got ${p.positionals.join(' ')})`)

  const file = readWeights(weightsPath)
  const { spec, fit } = specFor(p, weightsPath, file)
  const model = loadModel(spec, file, weightsPath, fit)

  let x
  try {
    x = decodeNpy(readBytes(inputPath, 'input'), inputPath)
  } catch (e) {
    if (e instanceof InputError) throw e
    throw new InputError('bad-input', `${inputPath} is not a usable .npy file: ${errorMessage(e)}`)
  }
  const per = sizeOf(spec.input)
  const shape = x.shape
  const n = shapeText(shape.slice(1)) === shapeText(spec.input) ? shape[0] : shapeText(shape) === shapeText(spec.input) ? 1 : -1
  if (n < 1) {
    throw new InputError('input-shape', `${inputPath} holds an array of ${shapeText(shape)} but this network takes examples of ${shapeText(spec.input)}: save it as (N, ${spec.input.join(', ')})`)
  }
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]
    if (!(v >= 0 && v <= 1)) {
      throw new InputError('input-range', `${inputPath} has the value ${v} at index ${i}, but pixels must be in 0..1${v > 1 ? ' (divide 0..255 images by 255)' : ''}`)
    }
  }

  let counted = 0
  const kind = classOutputOf(spec.layers.at(-1)?.type)
  for (let s = 0; s < n; s += CHUNK) {
    const m = Math.min(CHUNK, n - s)
    const { probs, logits } = model.predict(model.inputTensor(x.data.slice(s * per, (s + m) * per), m))
    const K = probs.data.length / m
    if (spec.task === 'reconstruct') {
      // An autoencoder's output is an image: print it (sigmoid applied) and how far it is from the input.
      for (let k = 0; k < m; k++) {
        const rec = probs.data.subarray(k * K, (k + 1) * K)
        let sq = 0
        for (let j = 0; j < K; j++) sq += (rec[j] - x.data[(s + k) * per + j]) ** 2
        const mse = sq / K
        out.event('reconstruction', { index: s + k, shape: spec.input, mse, reconstruction: Array.from(rec) }, `#${s + k}: reconstructed ${spec.input.join('×')}  (MSE ${mse.toFixed(4)})`)
        counted++
      }
      continue
    }
    for (let k = 0; k < m; k++) {
      const pr = Array.from(probs.data.subarray(k * K, (k + 1) * K))
      const lg = Array.from(logits.data.subarray(k * K, (k + 1) * K))
      // a yes/no classifier's one output says class 1 or 0 by its threshold, not by an arg-max of one value
      const top = classOf(pr, 0, K, kind)
      out.event('prediction', { index: s + k, predicted: top, probs: pr, logits: lg }, predictionLine(s + k, top, classValue(pr, 0, K, kind, top), spec.layers.at(-1)?.type))
      counted++
    }
  }
  out.event('done', { count: counted }, `${counted} example${counted === 1 ? '' : 's'} predicted`)
  return 0
}

/**
 * The text line for one prediction, by the loss layer that gave `value` (models/class-output.ts, as the app says it):
 * a softmax probability as a percentage; a sigmoid's as one too, but said to be each class's on its own (they need not
 * add up to 1); an MSE classifier's raw output as a score with two decimals, as it may go below 0 or above 1
 * ("probability 130.0%" before). The JSON event is the same for all three.
 */
export function predictionLine(index: number, top: number, value: number, loss: string | undefined): string {
  const kind = classOutputOf(loss)
  if (kind === 'scores') return `#${index}: ${top}  (score ${scoreDigits(value)})`
  const pct = `${(value * 100).toFixed(1)}%`
  return `#${index}: ${top}  (probability ${pct}${kind === 'sigmoid' ? ', each class on its own' : ''})`
}
