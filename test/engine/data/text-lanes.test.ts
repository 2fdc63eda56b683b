/**
 * data/text-lanes.ts statefulLanesShort, which the page and the host judge a stateful run's text by before Start: its
 * numbers are the engine's own (train/examples.ts lanes throws exactly when it says the text is short, and not at the
 * length it says is needed), for several input lengths and batch sizes.
 */
import { describe, expect, it } from 'vitest'
import { statefulLanesShort } from '../../../src-engine/data/text-lanes'
import { textMinChars, textTrainLength } from '../../../src-engine/data/text'
import { textExamples } from '../../../src-engine/train/examples'

/** Whether the engine can cut the trained part of a text of `chars` characters into B lanes of windows of T. */
function engineFits(chars: number, T: number, B: number): boolean {
  const ids = new Int32Array(textTrainLength(chars))
  try {
    textExamples(ids, T, 2).lanes!(B)
    return true
  } catch (e) {
    expect(String(e)).toMatch(/lower the batch size to \d+ or fewer, turn stateful training off, or use a longer text/)
    return false
  }
}

describe('statefulLanesShort', () => {
  it('says what the engine would refuse, with the windows there are and the fewest characters that fit', () => {
    // the char-lstm preset's input of 64 and batch of 20 on an 800-character text: 11 windows in its 720 trained on
    expect(statefulLanesShort(800, 64, 20)).toEqual({ windows: 11, B: 20, T: 64, needs: 1423 })
    for (const [T, B] of [[64, 20], [8, 3], [1, 50], [100, 7], [13, 128]]) {
      const needs = statefulLanesShort(textMinChars(T), T, B)?.needs ?? textMinChars(T)
      for (const chars of [textMinChars(T), needs - 1, needs, needs + 1, 3 * needs]) {
        const short = statefulLanesShort(chars, T, B)
        expect(short === null, `T ${T}, B ${B}, ${chars} characters`).toBe(engineFits(chars, T, B))
      }
      const at = statefulLanesShort(textMinChars(T), T, B)
      if (at) {
        expect(statefulLanesShort(at.needs, T, B)).toBeNull()
        expect(statefulLanesShort(at.needs - 1, T, B)).not.toBeNull()
        expect(engineFits(at.needs, T, B)).toBe(true)
      }
    }
  })

  it('leaves a text too short for one window to textMinChars, and odd sizes alone', () => {
    expect(statefulLanesShort(textMinChars(64) - 1, 64, 20)).toBeNull()
    expect(statefulLanesShort(800, 0, 20)).toBeNull()
    expect(statefulLanesShort(800, 64, 0)).toBeNull()
    expect(statefulLanesShort(Number.NaN, 64, 20)).toBeNull()
  })
})
