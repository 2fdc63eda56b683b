/**
 * How many classes an IDX folder's training labels use, for the editor's class-count warning (data:idx-classes). Its
 * reader declares 10 classes (labels 0 to 9) but a folder may use fewer; a run takes from its largest label + 1 up to
 * 10 class scores (train/checks.ts), and the editor says the same before the run once it knows the folder's labels.
 * Only the labels file is read (60 kB for 60,000 labels), on the main thread: 1.3 ms for Fashion-MNIST's gzipped one.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parseIdx } from '../src-engine/data/idx'

const TRAIN_LABELS = /^train-labels[-.]idx1-ubyte(\.gz)?$/i

/** One more than the largest training label of the IDX folder `dir`, or null when it has none to read (the run says why). */
export function idxLabelsUsed(dir: string): number | null {
  try {
    // the uncompressed file when both are there, as the run reads it (data/files.ts loadIdxDir)
    const names = readdirSync(dir).filter((n) => TRAIN_LABELS.test(n)).sort((a, b) => Number(a.endsWith('.gz')) - Number(b.endsWith('.gz')))
    if (!names.length) return null
    const labels = parseIdx(readFileSync(join(dir, names[0])), names[0], gunzipSync)
    if (labels.dims.length !== 1 || labels.data.length === 0) return null
    let top = 0
    for (const l of labels.data) if (l > top) top = l
    return top + 1
  } catch {
    return null
  }
}
