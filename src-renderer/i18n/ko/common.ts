/** 한국어 공통 메시지. en/common.ts와 같은 키를 가진다. */
export default {
  appName: 'Backprop Lab',
  navEditor: '아키텍처',
  navTrain: '학습',
  navDraw: '그리기',
  navLessons: '레슨',
  themeLight: '밝게',
  themeDark: '어둡게',
  language: '언어'
} as const
