// Test-only worker entry: one side of a ping-pong over sleepWhile / wake (thread-sync.ts), with random
// delays on either side so that each side sometimes finds the other asleep and sometimes still spinning, and
// between a side's store and its look at the other's announcement (where a preempted thread would pause), so
// that the other side often announces its sleep in between.
//
// Each side writes round i's value to one of two words by the round's parity (a: 0 or 1, b: 2 or 3), so the
// word a side sleeps on names its round. With one word per side, a side slow to look after its store could find
// the announcement the other had already made for its next round, on the same word, and notify it: a needless
// notify, which thread-sync.ts allows (that sleep is notified again by the next round), but which gave that sleep
// two notifies and made the count of notifies exceed the count of sleeps (5206 > 5205, 4999 > 4998 under load).
import { parentPort, workerData } from 'node:worker_threads'
import { sleepWhile, wake } from '../../../src-engine/train/thread-sync'

// control words: 0 and 1 a's values (odd, even rounds), 2 and 3 b's, 4 a's announcement, 5 b's
const { control: buf, side, rounds } = workerData as { control: SharedArrayBuffer; side: 'a' | 'b'; rounds: number }
const control = new Int32Array(buf)
const [mineBase, theirsBase, me, other] = side === 'a' ? [0, 2, 4, 5] : [2, 0, 5, 4]

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
  const mine = mineBase + (i & 1 ? 0 : 1)
  const theirs = theirsBase + (i & 1 ? 0 : 1)
  /** After this side's store: wakes the partner if it announced a sleep on that word. */
  const notify = (): void => {
    delay()
    if (wake(control, mine, [other])) notifies++
  }
  if (side === 'a') {
    Atomics.store(control, mine, i)
    notify()
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
    notify()
  }
}
parentPort!.postMessage({ sleeps, notifies, order })
