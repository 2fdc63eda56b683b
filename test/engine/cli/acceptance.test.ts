/**
 * The acceptance check: `train --preset simple-convnet --epochs 3 --seed 1 --json` on the
 * built-in digits reaches ≥ 97 % held-out accuracy, and running it twice prints identical numbers
 * (all but the seconds). Slow-ish (two full trainings): about a minute on one core.
 */
import { describe, expect, it } from 'vitest'
import { lab } from './helpers'

function numbers(events: Record<string, unknown>[]): unknown[] {
  return events.map(({ seconds: _s, ...rest }) => rest)
}

describe('acceptance: SimpleConvNet on the built-in digits', () => {
  it('reaches at least 97 % held-out accuracy in 3 epochs, with identical numbers on a second run', async () => {
    const argv = ['train', '--preset', 'simple-convnet', '--epochs', '3', '--seed', '1', '--json']
    const a = await lab(...argv)
    expect(a.code).toBe(0)
    const epochs = a.events.filter((e) => e.event === 'epoch')
    expect(epochs.length).toBe(3)
    const last = epochs[2] as { testAcc: number; trainLoss: number }
    // Printed so the run's figure shows up in the test log.
    console.info(`simple-convnet, 3 epochs, seed 1: held-out accuracy ${(last.testAcc * 100).toFixed(2)}%`, epochs)
    expect(last.testAcc).toBeGreaterThanOrEqual(0.97)
    const b = await lab(...argv)
    expect(numbers(b.events.filter((e) => e.event === 'epoch'))).toEqual(numbers(epochs))
    expect(numbers(b.events.filter((e) => e.event === 'done'))).toEqual(numbers(a.events.filter((e) => e.event === 'done')))
  }, 1_800_000)
})
