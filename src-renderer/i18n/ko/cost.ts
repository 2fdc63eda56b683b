/** 학습이 느리거나 메모리를 많이 쓰는 설계에 대한 안내(편집기, 학습 페이지)의 한국어 문구 (components/editor/cost.ts). 키는 en/cost.ts와 같습니다. */
export default {
  title: '학습이 무거운 설계',
  slow: '내장 데이터({examples})로 한 에폭을 학습하는 데 약 {epoch} 걸립니다. 예시 하나의 순전파 곱셈-덧셈이 {macs}번이고, {source}',
  'source.benchmark': '실험실이 2코어 테스트 컴퓨터의 코어 하나에서 잰 속도(초당 약 {rate} 번)로 계산했으므로 여러분의 컴퓨터에서는 더 빠르거나 느릴 수 있습니다.',
  'source.measured': '이 컴퓨터에서 마지막으로 학습한 속도(초당 약 {rate} 번: {name}, 스레드 {threads}개, 초당 예시 {eps}개)로 계산했습니다.',
  unnamed: '이름 없는 신경망',
  hungry: '학습에 메모리가 약 {size} 필요합니다(가중치, 옵티마이저 상태, 크기 100인 미니배치의 층 출력). 실험실은 2 GiB까지 받습니다.',
  fix: '가볍게 하려면 {what}.',
  'fix.hidden': '{layer}의 은닉 크기를 줄이세요',
  'fix.filters': '{layer}의 필터 수를 줄이거나 그 앞에 풀링 층을 넣으세요',
  'fix.units': '{layer}의 유닛 수를 줄이세요',
  'fix.before': '{layer} 바로 앞 층의 은닉 크기를 줄이세요(이 층의 계산량은 그 은닉 크기 × 어휘 수입니다)',
  'fix.dim': '{layer}의 임베딩 크기를 줄이세요',
  'fix.layers': '계산을 가장 많이 하는 {layer} 주변의 층을 줄이거나 작게 하세요',
  'rate.value': '{n}억',
  digits: '숫자 이미지 {n}개',
  windows: '{t}글자 구간 {n}개',
  's': '{n}초',
  'min': '{n}분',
  'h': '{n}시간'
}
