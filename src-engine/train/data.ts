/**
 * Where a run's examples come from (Node side: reads files). The built-in digits are split into
 * training and held-out sets with a fixed seed, so every run — whatever its own seed — is judged
 * on the same held-out examples; IDX folders bring their own train / t10k files; a text is cut
 * into windows of the network's T tokens, its last tenth held out.
 */
import { Rng } from '../rng'
import type { NetSpec } from '../spec-types'
import type { DataSource } from '../protocol'
import { IMAGE_TEST_FRACTION, stratifiedSplit, type Dataset } from '../data/dataset'
import { BUILTIN_CORPORA, builtinCorpusOf, loadBuiltinCorpus, loadBuiltinMnist, loadIdxDir, loadTextFile } from '../data/files'
import { TEXT_TEST_FRACTION, textCorpus, textMinChars, type TextCorpus } from '../data/text'
import { textExamples, type Examples } from './examples'
import { DataMismatchError } from './checks'

export interface TrainData {
  train: Dataset | Examples
  test: Dataset | Examples
  description: string
  /** Vocabulary size of a text (language models); the spec's `vocab` is set from it. */
  vocab?: number
  /** A text's characters in id order (language models): saved with the weights for generation. */
  chars?: readonly string[]
}

/** The seed of the built-in digits' train / held-out split (never the run's seed; see above). */
export const SPLIT_SEED = 20240601

const images = new Map<string, TrainData>()
const texts = new Map<string, { corpus: TextCorpus; title: string }>()

/** Loads (once per process) and splits the data a run of `spec` trains on. */
export function loadTrainData(source: DataSource, testFraction = IMAGE_TEST_FRACTION, spec?: NetSpec): TrainData {
  switch (source.kind) {
    case 'mnist':
    case 'idx': {
      if (spec?.task === 'language-model') throw new Error('this is a language model: train it on a text (data kind "text"), not on images')
      const key = JSON.stringify([source, testFraction])
      const hit = images.get(key)
      if (hit) return hit
      let data: TrainData
      if (source.kind === 'mnist') {
        const { train, test } = stratifiedSplit(loadBuiltinMnist(), testFraction, new Rng(SPLIT_SEED))
        data = { train, test, description: `built-in digits: ${train.n} training, ${test.n} held-out` }
      } else {
        const { train, test } = loadIdxDir(source.dir)
        data = { train, test, description: `IDX files in ${source.dir}: ${train.n} training, ${test.n} held-out` }
      }
      images.set(key, data)
      return data
    }
    case 'text': {
      if (!spec || spec.task !== 'language-model' || spec.input.length !== 1) {
        throw new Error('a text trains language models (task "language-model", input (T) tokens), such as the char-lstm preset')
      }
      const { corpus, title } = loadText(source.file)
      const T = spec.input[0]
      // a window short in either part: said with the numbers and what to change (the page words the facts), not as
      // makeWindows' "the text has 20 tokens, fewer than one window of T+1 = 65" (the held-out tenth's count)
      if (corpus.train.length < T + 1 || corpus.test.length < T + 1) {
        const chars = corpus.train.length + corpus.test.length
        const needs = textMinChars(T, TEXT_TEST_FRACTION)
        throw new DataMismatchError(`${title} has ${chars} characters, too few for an input of ${T}: a run needs at least ${needs}, a window of ${T + 1} to train on and one in the last tenth, held out to test; use a longer text or a shorter input`, { case: 'text', chars, needs, T, window: T + 1 })
      }
      const V = corpus.vocab.chars.length
      const train = textExamples(corpus.train, T, V)
      const test = textExamples(corpus.test, T, V)
      return { train, test, vocab: V, chars: corpus.vocab.chars, description: `${title}: ${V} distinct characters, ${train.n} training and ${test.n} held-out windows of ${T}` }
    }
    default: {
      const never: never = source
      throw new Error(`unknown data source ${JSON.stringify(never)}`)
    }
  }
}

/**
 * A text by file path, or a built-in corpus named as the command line names it (files.ts builtinCorpusOf):
 * 'builtin' (Pride and Prejudice) or 'builtin:<name>'. Any other name is a path, so a file called "korean-words"
 * (or "constructor") is that file.
 */
function loadText(file: string): { corpus: TextCorpus; title: string } {
  const hit = texts.get(file)
  if (hit) return hit
  const builtin = builtinCorpusOf(file)
  const text = builtin ? loadBuiltinCorpus(builtin) : loadTextFile(file)
  const entry = { corpus: textCorpus(text, TEXT_TEST_FRACTION), title: builtin ? BUILTIN_CORPORA[builtin].title : file }
  texts.set(file, entry)
  return entry
}

/** The spec with its vocabulary size filled in from the data (language models). */
export function specForData(spec: NetSpec, data: TrainData): NetSpec {
  return data.vocab !== undefined && spec.task === 'language-model' ? { ...spec, vocab: data.vocab } : spec
}
