/**
 * The largest network the lab takes: how many layers, how large each setting, how long a name. The host's payload
 * check (src-main/ipc/validate.ts) refuses anything over these before the engine sees it, as a defence; validateSpec
 * names each one first, as a problem with what to change, so what the editor, a JSON import, a project file or the
 * CLI accepts is what training takes (Q4's B1: 301 layers were "ready to train" and Start failed with the payload's
 * '"spec.layers" must be at most 256 long'). test/main/spec-limits.test.ts holds the two to the same numbers.
 * No imports: the renderer, the engine and the host all read these.
 */

/** Layers in one network. */
export const MAX_LAYERS = 256
/** Each size of the input shape (C, H, W), (T, D) or (T). */
export const MAX_INPUT_SIZE = 100_000
/** A network's vocabulary size ("vocab"; also a weights file's, src-main/projects.ts). */
export const MAX_VOCAB = 1_000_000
/** Units of an Affine or TimeAffine. */
export const MAX_UNITS = 1_000_000
/** Each size of a Reshape's new shape. */
export const MAX_SIZE = 1_000_000
/** Filters of a (transposed) convolution; an Embedding's dim; an RNN's or LSTM's hidden size. */
export const MAX_CHANNELS = 4096
/** A kernel or pooling window's side, a stride, a padding. */
export const MAX_WINDOW = 64
/** An Upsample's scale. */
export const MAX_UPSAMPLE = 16
/** Characters of a layer's name. */
export const MAX_LAYER_NAME = 64
/** Characters of the network's name (its title). */
export const MAX_TITLE = 200
