/**
 * How many classes an IDX folder's training labels use, read from its labels file alone. Its reader declares 10
 * classes (labels 0 to 9) but a folder may use fewer; a run takes from its largest label + 1 up to 10 class scores
 * (train/checks.ts). The editor's class-count warning asks the host (src-main/idx-classes.ts, data:idx-classes), the
 * command line's `validate --data idx:DIR` reads it here; the count of those labels is the folder's training
 * examples, by which the editor's cost note times an epoch. 1.3 ms for Fashion-MNIST's gzipped labels.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parseIdx } from './idx'
import { idxFilesIn } from './files'

/**
 * The largest labels file read for the warning: 16 MiB is 16 million labels, far past any real set (MNIST's 60,000
 * take 60 kB). A larger or misnamed file is not read on the main thread; the editor then says nothing, as for an
 * unreadable folder, and a run reads it on its training thread and says what is wrong.
 */
export const IDX_LABELS_MAX_BYTES = 16 * 2 ** 20

/** One more than the largest training label of the IDX folder `dir`, or null when it has none to read (the run says why). */
export function idxLabelsUsed(dir: string, maxBytes = IDX_LABELS_MAX_BYTES): number | null {
  return idxLabelFacts(dir, maxBytes)?.used ?? null
}

/**
 * What the training labels file of the IDX folder `dir` tells: the classes its labels use (one more than the
 * largest) and how many training examples it labels; null when it has none to read (the run says why).
 */
export function idxLabelFacts(dir: string, maxBytes = IDX_LABELS_MAX_BYTES): { used: number; examples: number } | null {
  try {
    // the file the run reads (data/files.ts idxFilesIn, the rule of the run's reader and the check before Start)
    const name = idxFilesIn(readdirSync(dir)).get('train-labels')
    if (name === undefined) return null
    const file = join(dir, name)
    if (statSync(file).size > maxBytes) return null
    // a gzipped file is bounded after inflating too: a small .gz can expand to gigabytes
    const labels = parseIdx(readFileSync(file), name, (b: Uint8Array) => gunzipSync(b, { maxOutputLength: maxBytes }))
    if (labels.dims.length !== 1 || labels.data.length === 0) return null
    let top = 0
    for (const l of labels.data) if (l > top) top = l
    return { used: top + 1, examples: labels.data.length }
  } catch {
    return null
  }
}
