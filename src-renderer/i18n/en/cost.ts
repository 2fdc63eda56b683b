/** English words of the note (editor, training page) on a design that will be slow or memory-hungry to train (components/editor/cost.ts). Keys match ko/cost.ts. */
export default {
  title: 'Heavy to train',
  slow: 'One epoch of the built-in data ({examples}) will take about {epoch}: {macs} multiply-adds per example forward, {source}.',
  'source.benchmark': 'at the rate the lab trained at on one core of its 2-core test computer ({rate} a second; yours may be faster or slower)',
  'source.measured': 'at the rate your last run trained at on this computer ({rate} a second: {name} on {threads} thread(s), {eps} examples a second)',
  unnamed: 'an unnamed network',
  hungry: 'Training needs about {size} of memory (weights, optimizer state and the layer outputs of a mini-batch of 100); the lab takes up to 2 GiB.',
  fix: 'To make it lighter: {what}.',
  'fix.hidden': 'a smaller hidden size on {layer}',
  'fix.filters': 'fewer filters on {layer}, or a pooling layer before it',
  'fix.units': 'fewer units on {layer}',
  'fix.before': 'a smaller hidden size on the layer before {layer} (its work is that hidden size × the vocabulary)',
  'fix.dim': 'a smaller embedding size on {layer}',
  'fix.layers': 'fewer or smaller layers around {layer}, which does the most work',
  'rate.value': '{n} billion',
  digits: '{n} digits',
  windows: '{n} windows of {t} characters',
  's': '{n} s',
  'min': '{n} min',
  'h': '{n} h'
}
