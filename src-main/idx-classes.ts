/**
 * How many classes an IDX folder's training labels use, for the editor's class-count warning (data:idx-classes). Only the
 * labels file is read (60 kB for 60,000 labels), on the main thread: 1.3 ms for Fashion-MNIST's gzipped one. The
 * reader is the engine's (src-engine/data/idx-labels.ts), which the command line's `validate --data idx:DIR` uses too.
 */
export { IDX_LABELS_MAX_BYTES, idxLabelFacts, idxLabelsUsed } from '../src-engine/data/idx-labels'
export { idxFolderMessage, idxFolderProblem, idxFolderProblemAsync, idxImageSizes, idxShapeProblem, inflateIdxFolder, type IdxFolderProblem } from '../src-engine/data/idx-folder'
