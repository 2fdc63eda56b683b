/**
 * The course's standard terms in Korean and English. The names are data (both languages are shown
 * side by side whatever the UI language); each term's definition is in i18n/<lang>/glossary.ts under
 * its id. `<Term id="…">` (components/lessons/Term.svelte) shows a term with its definition as a tooltip.
 */
export const TERMS = {
  tensor: { ko: '텐서', en: 'tensor' },
  shape: { ko: '형상', en: 'shape' },
  miniBatch: { ko: '미니배치', en: 'mini-batch' },
  epoch: { ko: '에폭', en: 'epoch' },
  affine: { ko: '완전연결 계층', en: 'fully connected (Affine/Dense) layer' },
  weight: { ko: '가중치', en: 'weight' },
  bias: { ko: '편향', en: 'bias' },
  parameter: { ko: '매개변수', en: 'parameter' },
  activation: { ko: '활성화 함수', en: 'activation function' },
  convolution: { ko: '합성곱', en: 'convolution' },
  filter: { ko: '필터(커널)', en: 'filter (kernel)' },
  featureMap: { ko: '특징 맵', en: 'feature map' },
  padding: { ko: '패딩', en: 'padding' },
  stride: { ko: '스트라이드', en: 'stride' },
  im2col: { ko: 'im2col / col2im', en: 'im2col / col2im' },
  pooling: { ko: '풀링', en: 'pooling' },
  maxPooling: { ko: '최대 풀링', en: 'max pooling' },
  receptiveField: { ko: '수용 영역', en: 'receptive field' },
  loss: { ko: '손실 함수', en: 'loss function' },
  accuracy: { ko: '정확도', en: 'accuracy' },
  softmax: { ko: '소프트맥스', en: 'softmax' },
  gradient: { ko: '기울기', en: 'gradient' },
  numericalDiff: { ko: '수치 미분', en: 'numerical differentiation' },
  backprop: { ko: '오차역전파', en: 'backpropagation' },
  optimizer: { ko: '최적화 기법(옵티마이저)', en: 'optimizer' },
  sgd: { ko: '확률적 경사 하강법', en: 'SGD (stochastic gradient descent)' },
  momentum: { ko: '모멘텀', en: 'Momentum' },
  learningRate: { ko: '학습률', en: 'learning rate' },
  overfitting: { ko: '과적합', en: 'overfitting' },
  dropout: { ko: '드롭아웃', en: 'dropout' },
  weightDecay: { ko: '가중치 감소', en: 'weight decay' },
  rnn: { ko: '순환 신경망', en: 'RNN (recurrent neural network)' },
  hiddenState: { ko: '은닉 상태', en: 'hidden state' },
  memoryCell: { ko: '기억 셀', en: 'memory cell' },
  forgetGate: { ko: '망각 게이트', en: 'forget gate' },
  inputGate: { ko: '입력 게이트', en: 'input gate' },
  outputGate: { ko: '출력 게이트', en: 'output gate' },
  vanishingGradient: { ko: '기울기 소실', en: 'vanishing gradient' },
  languageModel: { ko: '언어 모델', en: 'language model' },
  perplexity: { ko: '퍼플렉서티', en: 'perplexity' },
  selfAttention: { ko: '셀프 어텐션', en: 'self-attention' },
  query: { ko: '쿼리', en: 'query' },
  key: { ko: '키', en: 'key' },
  value: { ko: '밸류', en: 'value' }
} as const satisfies Record<string, { ko: string; en: string }>

export type TermId = keyof typeof TERMS

export const TERM_IDS = Object.keys(TERMS) as TermId[]

export function isTermId(id: string): id is TermId {
  return Object.hasOwn(TERMS, id)
}

/** The i18n key of a term's definition. */
export const definitionKey = (id: TermId): string => `glossary.${id}`
