/** English messages shared by the whole app. Keys are identical in ko/common.ts (a test checks). */
export default {
  appName: 'Backprop Lab',
  navEditor: 'Architecture',
  navTrain: 'Training',
  navDraw: 'Draw',
  navLessons: 'Lessons',
  themeLight: 'Light',
  themeDark: 'Dark',
  language: 'Language'
} as const
