/** 그리기 페이지 메시지. */
export default {
  title: '숫자 그리기',
  intro: '0부터 9까지 숫자 하나를 그려 보세요. 직접 학습시킨 모델이 그리는 동안 바로 답합니다.',
  clear: '지우기',
  undo: '획 되돌리기',
  brush: '붓 굵기',
  padLabel: '그림판: 마우스, 펜, 손가락으로 숫자를 그리세요',
  modelInput: '모델이 실제로 받는 입력 (28 × 28)',
  modelInputHelp: '잉크 영역만 잘라 20 × 20 안에 맞게 줄이고, 무게중심이 가운데 오도록 옮깁니다. MNIST 숫자를 만든 방식 그대로입니다.',
  scaledInfo: '{w} × {h} 크기로 축소, ({dx}, {dy})만큼 이동',
  prediction: '예측',
  probabilities: '클래스별 확률',
  emptyPad: '아직 아무것도 그리지 않았습니다. 잉크가 없으면 추측도 하지 않습니다.',
  noModel: '아직 학습된 모델이 없습니다. 먼저 학습시킨 뒤 돌아와서 그려 보세요.',
  goTrain: '학습 페이지로',
  latency: '{ms} ms 만에 응답',
  predictFailed: '예측하지 못했습니다: {message}',
  featureMaps: '각 계층이 그림에서 본 것',
  confidence: '{p}% 확신'
} as const
