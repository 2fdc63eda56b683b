// Test-only worker entry: one side of a ping-pong over sleepWhile / wake (thread-sync.ts), with random
// delays on either side so that each side sometimes finds the other asleep and sometimes still spinning.
import { parentPort, workerData } from 'node:worker_threads'
import { sleepWhile, wake } from '../../../src-engine/train/thread-sync'

// control words: 0 ping (side a writes), 1 pong (side b writes), 2 a's announcement, 3 b's
const { control: buf, side, rounds } = workerData as { control: SharedArrayBuffer; side: 'a' | 'b'; rounds: number }
const control = new Int32Array(buf)
const [mine, theirs, me, other] = side === 'a' ? [0, 1, 2, 3] : [1, 0, 3, 2]

/** Busy for a random 0–30 µs, or not at all. */
function delay(): void {
  if (Math.random() < 0.3) return
  const until = performance.now() + Math.random() * 0.03
  while (performance.now() < until) { /* spin */ }
}

let sleeps = 0
let notifies = 0
let order = 0 // rounds whose partner value was not the one expected (must stay 0)
for (let i = 1; i <= rounds; i++) {
  if (side === 'a') {
    Atomics.store(control, mine, i)
    if (wake(control, mine, [other])) notifies++
  }
  delay()
  // wait for the partner's i (a: its answer; b: the ping)
  for (let seen = Atomics.load(control, theirs); seen !== i; seen = Atomics.load(control, theirs)) {
    if (seen > i) order++
    if (Math.random() < 0.5) continue // sometimes spin a little longer
    sleepWhile(control, me, theirs, seen)
    sleeps++
  }
  if (side === 'b') {
    delay()
    Atomics.store(control, mine, i)
    if (wake(control, mine, [other])) notifies++
  }
}
parentPort!.postMessage({ sleeps, notifies, order })
