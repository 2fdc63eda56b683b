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
  }
}
