/** English messages of the draw page. */
export default {
  title: 'Draw a digit',
  intro: 'Draw a digit from 0 to 9. The model you trained answers as you draw.',
  clear: 'Clear',
  undo: 'Undo stroke',
  brush: 'Brush',
  padLabel: 'Drawing pad: draw a digit with the mouse, a pen or a finger',
  modelInput: 'What the model receives (28 × 28)',
  modelInputHelp: 'Cropped to the ink, scaled to fit 20 × 20, and centred by its centre of mass — the way MNIST digits were made.',
  scaledInfo: 'Scaled to {w} × {h}, shifted by ({dx}, {dy})',
  prediction: 'Prediction',
  probabilities: 'Class probabilities',
  emptyPad: 'Nothing drawn yet: no ink, no guess.',
  noModel: 'No trained model yet. Train one first, then come back and draw.',
  goTrain: 'Go to training',
  latency: 'Answered in {ms} ms',
  predictFailed: 'Could not predict: {message}',
  featureMaps: 'What each layer made of your drawing',
  confidence: '{p}% sure'
} as const
