/**
 * How the data-parallel threads (data-parallel.ts, replica.ts) wait for each other: spin for a moment, then
 * sleep on a word of their shared control array, announcing it so that the thread that wakes them calls
 * Atomics.notify only when someone sleeps.
 */

/*
 * Atomics.wait and Atomics.notify take a process-wide mutex in V8 (its FutexEmulation), which the app's main
 * thread needs too (StackGuard::RequestInterrupt, e.g. when a platform thread has compiled code for it): a
 * starved SCHED_IDLE thread preempted inside Atomics.notify stalled the window (docs/architecture.md). So a
 * thread notifies only when the thread it wakes has said it is (about to be) asleep on that word:
 *
 *   waiter (sleep):   store(me, word + 1); if (load(word) === seen) wait(word, seen); store(me, 0)
 *   notifier (wake):  store(word, v);      if (load(waiter's me) === word + 1) notify(word)
 *
 * No wake-up is lost. Atomics loads and stores are sequentially consistent: they happen in one total order
 * that every thread agrees with, each thread's in program order. If the waiter's store(me) comes before the
 * notifier's load(me) in that order, the notifier sees it and notifies after its store(word); Atomics.wait
 * compares the word with `seen` and queues the waiter in one step under that same mutex, so either it is
 * queued before the notify (and woken) or it compares after store(word) (and returns 'not-equal'). Otherwise
 * load(me) comes before store(me), so store(word) < load(me) < store(me) < the waiter's load(word), which
 * then sees the new value and does not sleep. (This is the store-buffering pattern, which sequential
 * consistency forbids from seeing both old values.) A stale announcement only costs a needless notify, and so
 * does a notifier slow to look after its store, which may find the announcement the waiter has made since for a
 * later value on the same word: that sleep may be notified twice, so every waiter re-checks its condition in a
 * loop (test/engine/train/sleep-wake-entry.ts counts notifies against sleeps with a word per round's parity).
 */

/** Blocks while control[word] === seen (up to `timeout` ms), announcing it in control[me] first (see above). */
export function sleepWhile(control: Int32Array, me: number, word: number, seen: number, timeout = Infinity): void {
  Atomics.store(control, me, word + 1)
  if (Atomics.load(control, word) === seen) Atomics.wait(control, word, seen, timeout)
  Atomics.store(control, me, 0)
}

/**
 * After a store to control[word]: wakes the threads asleep on it, if any of `sleepers` (their announcement
 * words) says so; returns whether it called Atomics.notify.
 */
export function wake(control: Int32Array, word: number, sleepers: readonly number[]): boolean {
  for (const s of sleepers) {
    if (Atomics.load(control, s) === word + 1) {
      Atomics.notify(control, word)
      return true
    }
  }
  return false
}

/**
 * How long a replica spins for its next command before it blocks in Atomics.wait: a wake-up from Atomics.wait
 * took 0.1–1.7 ms on the 2-core build machine (a VM), and the next step is posted only once the training
 * thread has finished its own slice. With 1 ms, a W1 replica that finished its slice more than 1 ms before
 * that had gone to sleep, and started the next step up to 1.4 ms late (90th percentile, bench/timeline.ts);
 * with 4 ms, 0.12–0.14 ms.
 */
export const SPIN_MS = 4
/**
 * How long the training thread spins for the replicas to finish before it blocks: they usually finish within
 * that (a W1 step's median wait is under 1 ms); a longer wait is mostly a replica without a core, which a
 * spinning training thread would keep from this one.
 */
export const WAIT_SPIN_MS = 2
/**
 * Spins while `waiting()` holds, for at most `ms` of time on a core: a gap of over 0.5 ms between two looks
 * means this thread was preempted, and does not count. Returns whether `waiting()` stopped holding. So a
 * starved thread (SCHED_IDLE with every core busy) keeps spinning on the slivers of CPU it gets rather than
 * going to sleep and being woken, each of which takes V8's process-wide FutexEmulation mutex (see sleepWhile)
 * — in a syscall that a starved thread is likely to be preempted in; a thread with a core of its own
 * spins as long as before, and one paused sleeps after `ms`.
 */
export function spin(waiting: () => boolean, ms: number): boolean {
  let spun = 0
  let last = performance.now()
  while (waiting()) {
    const now = performance.now()
    if (now - last < 0.5) spun += now - last
    last = now
    if (spun >= ms) return false
  }
  return true
}
