import { describe, expect, it } from 'vitest'
import { gradientFlow } from '../../src-engine/models/gradient-flow'

describe('vanishing gradients: RNN against LSTM on the same sequence', () => {
  for (const seed of [1, 2, 3]) {
    it(`the gradient reaching early steps falls off much faster in the RNN (seed ${seed})`, () => {
      const o = { T: 28, D: 28, H: 64, seed }
      const rnn = gradientFlow('rnn', o)
      const lstm = gradientFlow('lstm', o)
      expect(rnn[27]).toBeCloseTo(1)
      expect(lstm[27]).toBeCloseTo(1)
      // 28 steps back, the LSTM keeps at least ten times more of the gradient than the RNN
      expect(lstm[0]).toBeGreaterThan(10 * rnn[0])
      // and the RNN's norm shrinks step after step on the way back
      expect(rnn[0]).toBeLessThan(rnn[14])
      expect(rnn[14]).toBeLessThan(rnn[27])
    })
  }

  it('without the forget-gate bias the LSTM forgets quickly too (why it starts at 1)', () => {
    const o = { T: 28, D: 28, H: 64, seed: 1 }
    expect(gradientFlow('lstm', { ...o, forgetBias: 0 })[0]).toBeLessThan(gradientFlow('lstm', o)[0] / 10)
  })
})
