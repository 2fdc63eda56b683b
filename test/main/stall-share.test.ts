/**
 * The lab's part of an event-loop stall (stall-share.ts), on gaps recorded by event-loop.test.ts on the shared 2-core
 * VM (load average 6–9) and one built to show a wait behind our own threads.
 */
import { describe, expect, it } from 'vitest'
import { labShare, worstShare, type Gap } from './stall-share'

// the steal read 12 ms after the gap's end, as event-loop.test.ts reads it unless the loop stalled again meanwhile
const gap = (ms: number, ranMs: number, waitedMs: number, ownMs: number, machineMs: number, stolenMs = 0, stealAfterMs = 12): Gap =>
  ({ at: 0, ms, ranMs, waitedMs, ownMs, machineMs, stolenMs, stealAfterMs })

// recorded: the lab's work at an epoch made 25 ms longer (busy on the main thread for 25 ms of its CPU time)
const injected = gap(33.3, 29.3, 2.7, 33.8, 67.2)
// recorded: other processes held both cores (the machine ran 480 ms of CPU in 241 ms, this process 0.7)
const loaded = gap(241, 0, 239.9, 0.7, 480.4)
// recorded: the whole VM paused, nothing counted, not even steal
const paused = gap(90.7, 0.1, 90.1, 0.1, 0.1)
// recorded: the hypervisor took 100 ms of the machine's CPUs
const stolen = gap(101, 0, 0, 74.2, 172.1, 100)
// recorded (this process's time not printed: at least the main thread's run): counted past the 2 CPUs' 492.6 ms
const twice = gap(246.3, 89.8, 146.1, 89.8, 483.8 + 89.8, 100)
// built: the main thread waits 30 ms for a core while only this process's threads run (two of them, 61 ms)
const behindOurs = gap(31, 0.1, 29.8, 61, 61.5)

describe('labShare', () => {
  it("counts the main thread's own run whole", () => {
    expect(labShare(injected, 'split', 2)).toEqual({ ms: 29.3, ranMs: 29.3, behindOursMs: 0 })
  })

  it('leaves to the machine a wait other processes, a paused VM or steal account for', () => {
    expect(labShare(loaded, 'split', 2).ms).toBe(0)
    expect(labShare(paused, 'split', 2).ms).toBeCloseTo(0.1)
    expect(labShare(stolen, 'split', 2).ms).toBe(0)
  })

  it('leaves out of the run what the counters counted past the CPUs the machine has', () => {
    expect(labShare(twice, 'split', 2).ranMs).toBe(0)
    // the same figures on a machine with 4 CPUs add up: the run counts
    expect(labShare(twice, 'split', 4).ranMs).toBe(89.8)
  })

  it('does not take steal counted after the gap for counting twice', () => {
    // built: a 25 ms stall (ran 27 of a 30 ms gap, the other core busy), then the hypervisor takes both CPUs: 40 ms of
    // steal is read 12 ms after the gap's end (10 ms ticks), or 200 ms after it when the loop stalled again meanwhile
    expect(labShare(gap(30, 27, 0, 28, 60, 40), 'split', 2).ranMs).toBe(27)
    expect(labShare(gap(30, 27, 0, 28, 60, 300, 200), 'split', 2).ms).toBe(27)
  })

  it('counts a wait that only our own threads account for, past the sleep until the timer', () => {
    const s = labShare(behindOurs, 'split', 2)
    expect(s.behindOursMs).toBeCloseTo(31 - 1 - 0.1 - 0.5)
    expect(s.ms).toBeGreaterThan(20)
  })

  it('counts the run alone where the machine is counted in ticks, and the whole gap without schedstat', () => {
    expect(labShare(behindOurs, 'ran', 2).ms).toBeCloseTo(0.1)
    expect(labShare(injected, 'ran', 2).ms).toBe(29.3)
    expect(labShare(loaded, 'whole', 2).ms).toBe(241)
  })

  it('finds the gap with the largest share, not the longest gap', () => {
    expect(worstShare([loaded, injected, paused], 'split', 2)?.gap).toBe(injected)
    expect(worstShare([], 'split', 2)).toBeNull()
  })
})
