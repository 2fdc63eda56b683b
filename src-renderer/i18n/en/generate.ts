/** English messages of the training page's Generate panel (language models). */
export default {
  title: 'Generate text',
  help: 'The model continues your prompt one character at a time, drawing each from its predicted probabilities. Low temperature plays safe and repeats itself; high temperature takes chances and invents words.',
  prompt: 'Prompt',
  promptPlaceholder: 'Start the text here',
  length: 'Characters',
  temperature: 'Temperature',
  temperatureValue: 'Temperature {t}',
  seed: 'Seed',
  run: 'Generate',
  running: 'Writing…',
  waiting: 'Train the language model first (a paused or finished run works), then ask it to write.',
  outputLabel: 'Generated text: the prompt, then what the model wrote',
  took: '{n} characters in {ms} ms',
  failed: 'Could not generate: {message}',
  greedy: '0 = always the likeliest character',
  errLength: 'Characters must be a whole number from 1 to 2000.',
  errSeed: 'The seed must be a whole number from 0 to 4294967295.'
}
