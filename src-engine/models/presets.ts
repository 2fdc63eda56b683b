/**
 * Built-in architectures: the book's and the course's networks, plus recurrent and autoencoder
 * examples, each with training settings that work on the built-in data. Plain data; every spec here
 * passes validateSpec without errors, and without warnings except 'vocab-pending' for the character
 * models, whose vocabulary is known only once a text is loaded (tested). Clone a spec before editing it.
 */
import type { OptimizerName } from '../protocol'
import type { LayerSpec, NetSpec } from '../spec-types'

export type PresetId =
  | 'simple-convnet' | 'keras-cnn' | 'lenet5' | 'mlp' | 'row-lstm' | 'row-rnn'
  | 'char-lstm' | 'char-rnn' | 'conv-autoencoder' | 'ae-2d'

/** Palette family, as the IPC contract's PresetInfo.kind. */
export type PresetKind = 'cnn' | 'mlp' | 'rnn' | 'autoencoder'

export interface Text { en: string; ko: string }

export interface PresetDefaults {
  optimizer: OptimizerName
  lr: number
  batchSize: number
  epochs: number
  /** Gradient clipping by global norm, for the recurrent presets. */
  clip?: number
}

export interface Preset {
  id: PresetId
  title: Text
  kind: PresetKind
  spec: NetSpec
  defaults: PresetDefaults
  /** A teaching note shown with the preset (where it differs from its source, and why). */
  note?: Text
}

/** Sequence length of the character presets (tokens per example). */
export const CHAR_SEQ_LEN = 64

const conv = (filters: number, kernel: number, stride = 1, pad = 0): LayerSpec =>
  ({ type: 'Convolution', filters, kernel, stride, pad })
const maxPool = (size: number, stride: number): LayerSpec => ({ type: 'Pooling', mode: 'max', size, stride })
const affine = (units: number): LayerSpec => ({ type: 'Affine', units })
// functions, not shared constants, so that no two layers of any spec are the same object
const relu = (): LayerSpec => ({ type: 'Relu' })
const softmax = (): LayerSpec => ({ type: 'SoftmaxWithLoss' })
const mnist = (): number[] => [1, 28, 28]

/** Character language model: tokens → embedding → recurrent layer → scores over the vocabulary at every step. */
function charModel(cell: 'TimeLSTM' | 'TimeRNN', hidden: number): NetSpec {
  return {
    name: cell === 'TimeLSTM' ? 'Character LSTM' : 'Character RNN',
    input: [CHAR_SEQ_LEN],
    task: 'language-model',
    layers: [
      { type: 'TimeEmbedding', dim: 64 },
      { type: cell, hidden },
      // 'vocab': as many units as the text has distinct characters, known once it is loaded
      { type: 'TimeAffine', units: 'vocab' },
      { type: 'TimeSoftmaxWithLoss' }
    ]
  }
}

function rowModel(cell: 'TimeLSTM' | 'TimeRNN'): NetSpec {
  return {
    name: cell === 'TimeLSTM' ? 'Row-by-row LSTM' : 'Row-by-row RNN',
    // each digit read as T = 28 rows of D = 28 pixels
    input: [28, 28],
    task: 'classify',
    layers: [{ type: cell, hidden: 128 }, { type: 'LastTimeStep' }, affine(10), softmax()]
  }
}

export const PRESETS: Preset[] = [
  {
    id: 'simple-convnet',
    title: { en: 'Simple ConvNet (book)', ko: '간단한 합성곱 신경망 (책)' },
    kind: 'cnn',
    spec: {
      name: 'SimpleConvNet', input: mnist(), task: 'classify',
      layers: [conv(30, 5, 1, 0), relu(), maxPool(2, 2), affine(100), relu(), affine(10), softmax()]
    },
    // lr 0.002: on the 8,000 built-in training digits Adam at 0.001 reaches 96.2 % held-out in 3 epochs, 0.002 reaches 97.3 % (seed 1).
    defaults: { optimizer: 'Adam', lr: 0.002, batchSize: 100, epochs: 10 }
  },
  {
    id: 'keras-cnn',
    title: { en: 'Keras-style CNN (course)', ko: '케라스 스타일 CNN (강의)' },
    kind: 'cnn',
    spec: {
      name: 'Keras CNN', input: mnist(), task: 'classify',
      layers: [
        conv(32, 3, 1, 1), relu(), maxPool(2, 2),
        conv(64, 3, 1, 1), relu(), maxPool(2, 2),
        { type: 'Flatten' }, affine(1024), relu(),
        { type: 'Dropout', rate: 0.25 },
        affine(10), softmax()
      ]
    },
    defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5 },
    note: {
      en: 'The course puts Dropout(0.25) after the softmax output, where it would zero random class probabilities. ' +
        'Here it sits before the last Affine layer instead; Dropout has no parameters, so the count is the ' +
        "course's 3,241,354 either way. Move it after SoftmaxWithLoss to see the lab's warning.",
      ko: '강의에서는 Dropout(0.25)을 소프트맥스 출력 뒤에 두어 클래스 확률을 무작위로 0으로 만듭니다. ' +
        '여기서는 마지막 Affine 계층 앞에 두었습니다. Dropout에는 매개변수가 없으므로 매개변수 수는 어느 쪽이든 ' +
        '강의와 같은 3,241,354개입니다. SoftmaxWithLoss 뒤로 옮기면 경고를 볼 수 있습니다.'
    }
  },
  {
    id: 'lenet5',
    title: { en: 'LeNet-5', ko: 'LeNet-5' },
    kind: 'cnn',
    spec: {
      name: 'LeNet-5', input: mnist(), task: 'classify',
      layers: [
        // pad 2 turns the 28×28 digits into LeNet's original 32×32 input
        conv(6, 5, 1, 2), { type: 'Tanh' }, { type: 'Pooling', mode: 'avg', size: 2, stride: 2 },
        conv(16, 5, 1, 0), { type: 'Tanh' }, { type: 'Pooling', mode: 'avg', size: 2, stride: 2 },
        { type: 'Flatten' }, affine(120), { type: 'Tanh' }, affine(84), { type: 'Tanh' }, affine(10), softmax()
      ]
    },
    defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 10 },
    note: {
      en: 'The 1998 layout with tanh and average pooling; pad 2 on the first convolution stands in for its 32×32 input.',
      ko: '1998년 구조 그대로 tanh와 평균 풀링을 씁니다. 첫 합성곱의 pad 2가 원래의 32×32 입력을 대신합니다.'
    }
  },
  {
    id: 'mlp',
    title: { en: 'Two-layer network (784 → 100 → 10)', ko: '2층 신경망 (784 → 100 → 10)' },
    kind: 'mlp',
    spec: { name: 'Two-layer net', input: mnist(), task: 'classify', layers: [affine(100), relu(), affine(10), softmax()] },
    defaults: { optimizer: 'SGD', lr: 0.1, batchSize: 100, epochs: 10 }
  },
  {
    id: 'row-lstm',
    title: { en: 'Row-by-row LSTM (digits)', ko: '한 행씩 읽는 LSTM (숫자)' },
    kind: 'rnn',
    spec: rowModel('TimeLSTM'),
    // Held-out accuracy (%) after 3 epochs, 1 thread, Adam, clip 5, seeds 1–8 (mean / worst):
    //   lr 0.003, batch 16: 95.45 96.60 95.45 95.80 95.55 95.00 95.00 95.25 (95.51 / 95.00)
    //   lr 0.003, batch 32: 95.45 93.35 96.30 95.05 95.40 95.15 96.50 95.40 (95.33 / 93.35)
    //   lr 0.002, batch 16: 96.30 94.95 95.25 96.25 95.15 94.90 96.05 95.50 (95.54 / 94.90)
    //   lr 0.002, batch 8:  95.75 94.65 95.85 96.20 95.55 94.90 96.00 95.10 (95.50 / 94.65)
    //   lr 0.0015, batch 8: 95.30 96.10 95.30 95.70 95.65 95.85 96.30 94.40 (95.58 / 94.40)
    // Seeds 1–4, worst: lr 0.002/b32 93.90, 0.004/b16 94.30, 0.0025/b16 95.15, 0.003/b24 95.15,
    // 0.003/b8 94.55, clip 1 (0.003/b16) 94.80, RMSProp 0.001/b16 95.05. The spread across seeds
    // (about ±0.5) exceeds the differences; lr 0.003 / batch 16 has the best worst case.
    defaults: { optimizer: 'Adam', lr: 0.003, batchSize: 16, epochs: 5, clip: 5 }
  },
  {
    id: 'row-rnn',
    title: { en: 'Row-by-row RNN (digits)', ko: '한 행씩 읽는 RNN (숫자)' },
    kind: 'rnn',
    spec: rowModel('TimeRNN'),
    defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5, clip: 5 }
  },
  {
    id: 'char-lstm',
    title: { en: 'Character LSTM language model', ko: '문자 단위 LSTM 언어 모델' },
    kind: 'rnn',
    spec: charModel('TimeLSTM', 256),
    defaults: { optimizer: 'Adam', lr: 0.003, batchSize: 32, epochs: 5, clip: 5 }
  },
  {
    id: 'char-rnn',
    title: { en: 'Character RNN language model', ko: '문자 단위 RNN 언어 모델' },
    kind: 'rnn',
    spec: charModel('TimeRNN', 256),
    defaults: { optimizer: 'Adam', lr: 0.002, batchSize: 32, epochs: 5, clip: 5 }
  },
  {
    id: 'conv-autoencoder',
    title: { en: 'Convolutional autoencoder', ko: '합성곱 오토인코더' },
    kind: 'autoencoder',
    spec: {
      name: 'Conv autoencoder', input: mnist(), task: 'reconstruct',
      layers: [
        conv(16, 3, 1, 1), relu(), maxPool(2, 2),   // (16, 14, 14)
        conv(8, 3, 1, 1), relu(), maxPool(2, 2),    // (8, 7, 7): the bottleneck
        { type: 'Upsample', scale: 2 },
        conv(16, 3, 1, 1), relu(),                  // (16, 14, 14)
        { type: 'Upsample', scale: 2 },
        conv(1, 3, 1, 1),                         // (1, 28, 28) pixel scores
        { type: 'SigmoidWithLoss' }
      ]
    },
    defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 5 }
  },
  {
    id: 'ae-2d',
    title: { en: 'Autoencoder with a 2-D code', ko: '2차원 코드 오토인코더' },
    kind: 'autoencoder',
    spec: {
      name: '2-D autoencoder', input: mnist(), task: 'reconstruct',
      layers: [
        affine(256), relu(), affine(64), relu(),
        affine(2),                                // the code: each digit becomes a point on a plane
        affine(64), relu(), affine(256), relu(), affine(784),
        { type: 'Reshape', shape: [1, 28, 28] },
        { type: 'SigmoidWithLoss' }
      ]
    },
    defaults: { optimizer: 'Adam', lr: 0.001, batchSize: 100, epochs: 10 }
  }
]

/** The preset with this id, or undefined. */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id)
}

/** What an empty network is built for: images (the digits, any IDX set) or text. */
export type EmptyDataset = 'digits' | 'mnist' | 'idx' | 'text'

/**
 * A network to build by hand: the dataset's input and the loss layer it needs, nothing between.
 * The validator then says what to add first (an Affine before the softmax; an embedding for text).
 */
export function emptySpec(dataset: EmptyDataset): NetSpec {
  if (dataset === 'text') {
    return { name: 'My language model', input: [CHAR_SEQ_LEN], task: 'language-model', layers: [{ type: 'TimeSoftmaxWithLoss' }] }
  }
  return { name: 'My network', input: [1, 28, 28], task: 'classify', layers: [{ type: 'SoftmaxWithLoss' }] }
}
