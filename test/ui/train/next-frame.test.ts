/** afterNextFrame (lib/next-frame.ts): the training page's charts and panels start after its first frame, in a task of their own. */
import { describe, expect, it } from 'vitest'
import { afterNextFrame } from '../../../src-renderer/lib/next-frame'

const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()))
const task = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('afterNextFrame', () => {
  it('runs after the next frame, not in the frame\'s own callback, and not at all once cancelled', async () => {
    let ran = 0
    afterNextFrame(() => ran++)
    const cancel = afterNextFrame(() => (ran += 10))
    cancel()
    expect(ran).toBe(0)
    await frame()
    // the frame has come: the work waits for a task of its own
    expect(ran).toBe(0)
    await task()
    await task()
    expect(ran).toBe(1)
  })
})
