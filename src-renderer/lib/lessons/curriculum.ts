/**
 * The lessons, in the order of the curriculum (topics 1–15). Text lives in i18n/<lang>/lessons.ts
 * under `<id>_title`, `<id>_summary`, `<id>_p1`…, `<id>_q<k>`, `<id>_q<k>_a<j>`, `<id>_q<k>_why`;
 * this file holds the structure: which explainers, which presets to try, which answers are right.
 */
import type { PresetId } from '../../../src-engine/models/presets'
import type { TermId } from '../glossary'

export type ExplainerName =
  | 'shape-flow' | 'conv-stepper' | 'output-size' | 'pooling' | 'optimizer-paths'
  | 'numerical-gradient' | 'gradient-check' | 'backprop-graph' | 'softmax-loss' | 'rnn-vs-lstm' | 'self-attention' | 'overfitting' | 'receptive-field' | 'param-count'

export interface LessonTry { preset: PresetId; page: 'editor' | 'train' }
export interface Question { choices: number; answer: number }

export interface Lesson {
  id: string
  /** Paragraph count of the lesson text. */
  paragraphs: number
  explainers: ExplainerName[]
  tries: LessonTry[]
  /** A button to the draw page, for a lesson that asks the learner to draw (it loads no preset: the model just trained stays). */
  draw?: boolean
  questions: Question[]
  terms: TermId[]
}

const q = (answer: number, choices = 3): Question => ({ choices, answer })

export const LESSONS: readonly Lesson[] = [
  { id: 'shape', paragraphs: 2, explainers: ['shape-flow'], tries: [{ preset: 'simple-convnet', page: 'editor' }],
    questions: [q(1), q(2)], terms: ['tensor', 'shape', 'miniBatch', 'featureMap'] },
  { id: 'affine', paragraphs: 2, explainers: ['param-count', 'shape-flow'], tries: [{ preset: 'mlp', page: 'editor' }],
    questions: [q(0), q(2)], terms: ['affine', 'weight', 'bias', 'parameter'] },
  { id: 'conv', paragraphs: 3, explainers: ['conv-stepper'], tries: [{ preset: 'simple-convnet', page: 'editor' }],
    questions: [q(2), q(1), q(0)], terms: ['convolution', 'filter', 'featureMap', 'bias'] },
  { id: 'padstride', paragraphs: 2, explainers: ['output-size', 'receptive-field'], tries: [{ preset: 'keras-cnn', page: 'editor' }],
    questions: [q(1), q(0)], terms: ['padding', 'stride', 'receptiveField'] },
  { id: 'im2col', paragraphs: 2, explainers: ['conv-stepper'], tries: [{ preset: 'simple-convnet', page: 'train' }],
    questions: [q(2), q(1)], terms: ['im2col', 'convolution'] },
  { id: 'pooling', paragraphs: 2, explainers: ['pooling', 'receptive-field'], tries: [{ preset: 'lenet5', page: 'editor' }],
    questions: [q(0), q(1), q(2)], terms: ['pooling', 'maxPooling', 'receptiveField'] },
  { id: 'cnn', paragraphs: 3, explainers: ['shape-flow'], tries: [{ preset: 'simple-convnet', page: 'train' }, { preset: 'lenet5', page: 'train' }], draw: true,
    questions: [q(1), q(0)], terms: ['filter', 'featureMap', 'activation', 'accuracy', 'epoch'] },
  { id: 'backprop', paragraphs: 3, explainers: ['softmax-loss', 'backprop-graph', 'numerical-gradient', 'gradient-check'], tries: [{ preset: 'mlp', page: 'train' }],
    questions: [q(1), q(2), q(0)], terms: ['loss', 'gradient', 'numericalDiff', 'backprop', 'softmax'] },
  { id: 'optimizers', paragraphs: 4, explainers: ['optimizer-paths'], tries: [{ preset: 'mlp', page: 'train' }],
    questions: [q(0), q(2)], terms: ['optimizer', 'sgd', 'momentum', 'learningRate', 'miniBatch', 'initialisation', 'vanishingGradient', 'batchNorm'] },
  { id: 'overfitting', paragraphs: 2, explainers: ['overfitting'], tries: [{ preset: 'keras-cnn', page: 'editor' }],
    questions: [q(2), q(1)], terms: ['overfitting', 'dropout', 'weightDecay', 'accuracy'] },
  { id: 'autoencoder', paragraphs: 2, explainers: [], tries: [{ preset: 'conv-autoencoder', page: 'train' }, { preset: 'ae-2d', page: 'train' }], draw: true,
    questions: [q(1), q(0)], terms: ['loss', 'featureMap'] },
  { id: 'rnn', paragraphs: 2, explainers: ['rnn-vs-lstm'], tries: [{ preset: 'row-rnn', page: 'train' }],
    questions: [q(0), q(2)], terms: ['rnn', 'hiddenState', 'vanishingGradient'] },
  { id: 'lstm', paragraphs: 3, explainers: ['rnn-vs-lstm'], tries: [{ preset: 'row-lstm', page: 'train' }, { preset: 'char-lstm', page: 'train' }], draw: true,
    questions: [q(1), q(2), q(0)], terms: ['memoryCell', 'forgetGate', 'inputGate', 'outputGate', 'vanishingGradient'] },
  { id: 'lm', paragraphs: 2, explainers: ['softmax-loss'], tries: [{ preset: 'char-lstm', page: 'train' }, { preset: 'char-rnn', page: 'editor' }],
    questions: [q(2), q(0)], terms: ['languageModel', 'perplexity', 'softmax'] },
  { id: 'attention', paragraphs: 3, explainers: ['self-attention'], tries: [],
    questions: [q(0), q(1), q(2)], terms: ['selfAttention', 'query', 'key', 'value', 'softmax'] }
]

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id)
}
