/**
 * What is wrong with a folder of IDX data, as facts (data/idx-folder.ts finds them on the host; the page words them,
 * errors train-failed.<case> and train idxProblem.<case>) and in English. No file access here: the page imports it.
 */
/** What is wrong with an IDX folder, as facts the page words (errors train-failed.<case>) and the English says. */
export type IdxFolderProblem =
  | { case: 'folder'; dir: string }
  | { case: 'not-folder'; dir: string }
  /** No IDX file at all (an empty folder, a folder of something else). */
  | { case: 'idx-none'; dir: string }
  /** `file`: the first expected name missing; `found`: the IDX-like names there, comma-separated. */
  | { case: 'idx-missing'; dir: string; file: string; found: string }
  /** `file`: a file of 0 bytes. */
  | { case: 'idx-empty-file'; dir: string; file: string }
  /** `file`: a file whose first bytes are not an IDX header of unsigned bytes; `starts`: those bytes in hex. */
  | { case: 'idx-not-idx'; dir: string; file: string; starts: string }
  /** `file`: a gzipped file that does not inflate to its end (a download cut short, a damaged copy). */
  | { case: 'idx-gzip'; dir: string; file: string }
  /**
   * `file`: an IDX file of values of another type than unsigned bytes, the only one the lab reads: `typeCode` its type
   * byte ("0x0D"), `valueType` that type's name ("float32"; data/idx.ts IDX_TYPE_NAMES).
   */
  | { case: 'idx-type'; dir: string; file: string; typeCode: string; valueType: string }
  /**
   * `file`: fewer bytes than its header declares (a copy cut short, or a header claiming an absurd count): `declared`
   * the bytes its header promises after itself (count × height × width for images), `size` those the file holds
   * (once inflated, for a .gz).
   */
  | { case: 'idx-truncated'; dir: string; file: string; declared: number; size: number }
  /** `file`: more bytes than its header declares (two files run together, a header rewritten). */
  | { case: 'idx-extra'; dir: string; file: string; declared: number; size: number }
  /** A pair whose images file declares `images` images and its labels file `labels` labels. */
  | { case: 'idx-count-mismatch'; dir: string; imagesFile: string; labelsFile: string; images: number; labels: number }
  /** `file`: a labels file holding `label` at example `index` (counted from 0), outside 0..`top` (the reader's 10 classes). */
  | { case: 'idx-label'; dir: string; file: string; index: number; label: number; top: number }
  /**
   * `file`: images of `height` × `width` where the network takes `input` (its shape, "(1, 28, 28)"): the run fed them
   * to it as if they were its size when the pixel counts matched (56 × 14 as 28 × 28), and failed at load otherwise.
   * `want`: the input that takes them, as the network's kind reads an image ("(1, 56, 14)"; a row model's "(56, 14)").
   */
  | { case: 'idx-shape'; dir: string; file: string; height: number; width: number; input: string; want: string }

/**
 * The input a network of `input`'s kind takes images of height × width as: (1, H, W) for one of images (C, H, W), the
 * rows as a sequence (H, W) for a row model's (T, D), H·W values for a flat input; null for a language model (a text's
 * data, refused elsewhere) or an input of another rank.
 */
export function inputForImages(input: readonly number[], task: string | undefined, height: number, width: number): number[] | null {
  if (task === 'language-model') return null
  if (input.length === 3) return [1, height, width]
  if (input.length === 2) return [height, width]
  if (input.length === 1) return [height * width]
  return null
}

/** The IDX images file `file` of height × width against the network's input: the problem, or null when it takes them. */
export function idxShapeMismatch(dir: string, file: string, height: number, width: number, input: readonly number[], task: string | undefined): IdxFolderProblem | null {
  const want = inputForImages(input, task, height, width)
  if (!want || (want.length === input.length && want.every((v, i) => v === input[i]))) return null
  return { case: 'idx-shape', dir, file, height, width, input: `(${input.join(', ')})`, want: `(${want.join(', ')})` }
}

const FOUR = 'an IDX folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may be .gz)'

/** The problem in English, for logs, the command line and the host's message beside the facts. */
export function idxFolderMessage(p: IdxFolderProblem): string {
  switch (p.case) {
    case 'folder': return `there is no folder ${p.dir}; check its path, or train on the built-in digits.`
    case 'not-folder': return `${p.dir} is a file, not a folder; enter the folder that holds the IDX files.`
    case 'idx-none': return `the folder ${p.dir} holds no IDX files; ${FOUR}.`
    case 'idx-missing': return `the folder ${p.dir} has no ${p.file} (or ${p.file}.gz) (IDX files there: ${p.found}); ${FOUR}.`
    case 'idx-empty-file': return `${p.file} in ${p.dir} is empty (0 bytes); put the complete file there again.`
    case 'idx-not-idx': return `${p.file} in ${p.dir} is not an IDX file of bytes: it should start with 0x00 0x00 0x08 <dimensions> but starts with ${p.starts}.`
    case 'idx-gzip': return `${p.file} in ${p.dir} is gzipped but does not decompress to its end: the download or copy was cut short or is damaged; download it again, or put the uncompressed file there.`
    case 'idx-type': return `${p.file} in ${p.dir} holds ${p.valueType} values (IDX type ${p.typeCode}); the lab reads IDX files of unsigned bytes (type 0x08, pixels 0 to 255 and labels), as MNIST and Fashion-MNIST are stored: convert it to bytes, or choose another folder.`
    case 'idx-truncated': return `${p.file} in ${p.dir} is cut short: its header declares ${p.declared} bytes of data but the file holds ${p.size}; copy the complete file there again.`
    case 'idx-extra': return `${p.file} in ${p.dir} holds ${p.size} bytes of data where its header declares ${p.declared}; copy the original file there again.`
    case 'idx-count-mismatch': return `${p.imagesFile} in ${p.dir} has ${p.images} images but ${p.labelsFile} has ${p.labels} labels; they must come in matching pairs: copy the two files of the same set there again.`
    case 'idx-label': return `${p.file} in ${p.dir}: label #${p.index} is ${p.label}, outside 0..${p.top}; the file is damaged or not MNIST-format labels: copy the original file there again.`
    case 'idx-shape': return `${p.file} in ${p.dir} holds images of ${p.height} × ${p.width} pixels but the network takes inputs of ${p.input}; set the network's input to ${p.want} in the editor, or choose a folder of images its size.`
  }
}
