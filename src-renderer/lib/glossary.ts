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
  value: { ko: '밸류', en: 'value' },
  crossEntropy: { ko: '교차 엔트로피', en: 'cross-entropy' },
  initialisation: { ko: '가중치 초깃값', en: 'weight initialisation' },
  batchNorm: { ko: '배치 정규화', en: 'batch normalization' },
  explodingGradient: { ko: '기울기 폭발', en: 'exploding gradient' },
  gradientClipping: { ko: '기울기 클리핑', en: 'gradient clipping' },
  autoencoder: { ko: '오토인코더', en: 'autoencoder' },
  transposedConv: { ko: '전치 합성곱', en: 'transposed convolution' },
  embedding: { ko: '임베딩', en: 'embedding' },
  temperature: { ko: '온도', en: 'temperature' }
} as const satisfies Record<string, { ko: string; en: string }>

export type TermId = keyof typeof TERMS

export const TERM_IDS = Object.keys(TERMS) as TermId[]

export function isTermId(id: string): id is TermId {
  return Object.hasOwn(TERMS, id)
}

/** The i18n key of a term's definition. */
export const definitionKey = (id: TermId): string => `glossary.${id}`

/**
 * Other names and spellings a student searches for, Korean and English (the names above are the course's standard
 * ones): the loanword spellings many books and blogs use (에포크, 오버피팅, 러닝 레이트), abbreviations (lr, FC, PPL),
 * and for the activation function the common functions' names, which have no entry of their own (렐루, sigmoid). Only a
 * search reads them: spaces and hyphens do not count there (러닝레이트 finds 러닝 레이트), nor does case.
 */
export const ALIASES: Partial<Record<TermId, readonly string[]>> = {
  shape: ['모양'],
  miniBatch: ['배치 크기', 'batch size'],
  epoch: ['에포크', 'epochs'],
  affine: ['전결합 계층', '밀집층', 'FC', 'dense layer', 'linear layer'],
  weight: ['웨이트', 'weights'],
  bias: ['바이어스'],
  parameter: ['파라미터', 'params'],
  activation: ['활성 함수', '렐루', 'ReLU', '시그모이드', 'sigmoid', 'tanh'],
  convolution: ['컨볼루션', '컨벌루션', '콘볼루션', 'conv'],
  featureMap: ['피처 맵', '특성 맵', 'activation map'],
  pooling: ['서브샘플링', 'subsampling'],
  maxPooling: ['맥스 풀링', 'maxpool'],
  receptiveField: ['수용장', '수용 필드'],
  loss: ['로스', '비용 함수', '오차 함수', 'cost function'],
  gradient: ['그래디언트', '그레이디언트', 'grad'],
  numericalDiff: ['수치 기울기', '유한 차분', 'numerical gradient', 'finite difference'],
  backprop: ['백프롭', '백프로퍼게이션'],
  learningRate: ['러닝 레이트', '학습 속도', 'lr', 'eta', 'η', 'step size'],
  overfitting: ['오버피팅', '과대적합'],
  dropout: ['드랍아웃'],
  weightDecay: ['L2 정규화', '가중치 감쇠', 'L2 regularization'],
  rnn: ['순환신경망', 'recurrent network'],
  hiddenState: ['히든 스테이트'],
  memoryCell: ['셀 상태', 'cell state'],
  vanishingGradient: ['그래디언트 소실', 'vanishing gradients'],
  languageModel: ['LM'],
  perplexity: ['혼란도', 'PPL'],
  selfAttention: ['셀프어텐션', 'attention'],
  crossEntropy: ['크로스 엔트로피', 'CE', 'cross entropy loss', 'log loss'],
  initialisation: ['초기화', '가중치 초기화', '초깃값', 'initialization', 'init', 'He', 'Xavier', 'Glorot'],
  batchNorm: ['배치 놈', '배치놈', '배치 노멀라이제이션', 'BN', 'batch norm', 'batchnorm', 'batch normalisation'],
  explodingGradient: ['그래디언트 폭발', '기울기 폭주', 'exploding gradients'],
  gradientClipping: ['그래디언트 클리핑', '기울기 자르기', 'clip', 'clipping', 'grad clip'],
  autoencoder: ['자기부호화기', '오토 인코더', 'AE', 'encoder', 'decoder', '인코더', '디코더'],
  transposedConv: ['업샘플링', '디컨볼루션', '역합성곱', 'upsampling', 'deconvolution', 'deconv', 'ConvTranspose'],
  embedding: ['임베딩 계층', '단어 벡터', 'embedding layer', 'word vector'],
  temperature: ['샘플링 온도', '템퍼러처', 'T', 'sampling temperature']
}

/** A glossary row as the page shows it: the names and the definition in the page's language. */
export interface GlossaryRow { id: TermId; ko: string; en: string; def: string }

/**
 * Text without the word joiners (U+2060) the Korean catalogue puts after ')' so no line breaks before a particle: a
 * definition holds '(코드)\u2060를' where the learner types '(코드)를', and a query pasted from the lab's text holds one.
 */
const plainText = (s: string): string => s.replace(/\u2060/g, '')

/** A name as a search compares it: lower case, without spaces or hyphens ('러닝 레이트' = '러닝레이트', 'Mini batch' = 'mini-batch'). */
const squeeze = (s: string): string => plainText(s).toLowerCase().replace(/[\s\-\u2010-\u2015_]+/g, '')

/** A term's names to search: each whole, and the parts a name holds in brackets or around a slash ('필터(커널)' gives 커널). */
function searchNames(row: GlossaryRow): string[] {
  const names = [row.ko, row.en, ...(ALIASES[row.id] ?? [])]
  return [...names, ...names.flatMap((n) => n.split(/[()/]/))].map(squeeze).filter((n) => n !== '')
}

/**
 * How closely a row answers a search, smaller first, or null when it does not: a name (or alias) that is the query,
 * then one that starts with it, then one holding it, then only the definition holding it. So "스트라이드" lists
 * 스트라이드 above 매개변수, whose definition mentions it (Q3 F18: in 가나다 order the term's own row came second).
 */
export function searchRank(row: GlossaryRow, query: string): number | null {
  const plain = plainText(query).trim().toLowerCase()
  if (plain === '') return 0
  const q = squeeze(plain)
  if (q !== '') {
    const names = searchNames(row)
    if (names.includes(q)) return 0
    if (names.some((n) => n.startsWith(q))) return 1
    if (names.some((n) => n.includes(q))) return 2
  }
  return plainText(row.def).toLowerCase().includes(plain) ? 3 : null
}

/** The rows a search finds, the closest first, and in the page's language's order among equally close ones. */
export function searchGlossary(rows: readonly GlossaryRow[], query: string, lang: 'ko' | 'en'): GlossaryRow[] {
  return rows
    .map((row) => ({ row, rank: searchRank(row, query) }))
    .filter((r): r is { row: GlossaryRow; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank || (lang === 'ko' ? a.row.ko.localeCompare(b.row.ko, 'ko') : a.row.en.localeCompare(b.row.en, 'en')))
    .map((r) => r.row)
}
