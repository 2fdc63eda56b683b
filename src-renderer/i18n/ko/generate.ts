/** 훈련 화면의 텍스트 생성 패널(언어 모델) 메시지. */
export default {
  title: '텍스트 생성',
  help: '모델이 프롬프트에 이어 한 글자씩 씁니다. 글자마다 예측한 확률에 따라 뽑습니다. 온도가 낮으면 안전하지만 같은 말을 되풀이하고, 높으면 모험을 하며 없는 단어도 지어냅니다.',
  prompt: '프롬프트',
  promptPlaceholder: '여기에 글의 시작을 쓰세요',
  length: '글자 수',
  temperature: '온도',
  temperatureValue: '온도 {t}',
  seed: '시드',
  run: '생성',
  running: '쓰는 중…',
  waiting: '먼저 언어 모델을 훈련하세요(일시 정지했거나 끝난 실행도 됩니다). 그다음 글을 쓰게 할 수 있습니다.',
  outputLabel: '생성된 텍스트: 프롬프트 다음에 모델이 쓴 글',
  took: '{n}글자, {ms}밀리초',
  failed: '생성하지 못했습니다: {message}',
  greedy: '0 = 항상 가장 가능성이 높은 글자'
}
